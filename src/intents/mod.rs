//! The intent store: the catalogue of intents (`intents/catalog.toml`), each locale's examples
//! (`intents/<locale>/*.toml`) and the matcher built from them.
//!
//! Parses text and builds matchers; it reads no files (the `content` module does) and knows
//! nothing of sockets or Fluent.

pub mod features;
mod linear;
mod matcher;

pub use features::Analyzer;
pub use linear::Training;
pub use matcher::{Calibrate, Match, Matcher, Scored, Settings};

use std::collections::BTreeMap;

use serde::Deserialize;

/// How an intent involves a human agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Handoff {
    #[default]
    None,
    /// The answer offers a human (a suggestion to hand off).
    Offer,
    /// The answer hands the conversation to a human.
    Now,
}

/// One intent of the catalogue, the same in every locale.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntentDef {
    /// Fluent message id of the answer.
    #[serde(default)]
    pub reply: Option<String>,
    /// Entity name → message id used instead of `reply` when the message contains it.
    #[serde(default)]
    pub reply_when: BTreeMap<String, String>,
    /// Intents offered as quick replies under the answer.
    #[serde(default)]
    pub suggestions: Vec<String>,
    #[serde(default)]
    pub handoff: Handoff,
    /// How the bot answers it while the customer waits for a person.
    #[serde(default)]
    pub while_queued: WhileQueued,
}

/// How the bot answers an intent while the customer waits in a hand-off queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum WhileQueued {
    /// As ever: a question the bot can answer is answered while the customer waits.
    #[default]
    Answer,
    /// With where the customer stands in the queue instead (greetings, thanks, small talk).
    Status,
}

impl IntentDef {
    pub fn reply_message(&self, id: &str) -> String {
        self.reply.clone().unwrap_or_else(|| default_reply(id))
    }
}

/// `order_status` → `reply-order-status`.
pub fn default_reply(id: &str) -> String {
    format!("reply-{}", id.replace('_', "-"))
}

/// `order_status` → `suggest-order-status`: the label of a quick reply to that intent.
pub fn suggestion_label(id: &str) -> String {
    format!("suggest-{}", id.replace('_', "-"))
}

/// `intents/catalog.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub intents: BTreeMap<String, IntentDef>,
}

impl Catalog {
    pub fn parse(text: &str) -> Result<Catalog, toml::de::Error> {
        toml::from_str(text)
    }

    pub fn ids(&self) -> Vec<String> {
        self.intents.keys().cloned().collect()
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExamplesTable {
    examples: Vec<toml::Spanned<String>>,
}

/// Where an example was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
}

/// `(intent id, example text)` pairs.
pub type Labelled = Vec<(String, String)>;

/// The examples of one file of `intents/<locale>/`: intent id → examples, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Examples {
    pub by_intent: BTreeMap<String, Vec<String>>,
    /// The file and line of each example, parallel to `by_intent`.
    pub origins: BTreeMap<String, Vec<Origin>>,
}

impl Examples {
    /// Parses one examples file; `file` names it in [`Examples::origins`].
    pub fn parse(file: &str, text: &str) -> Result<Examples, toml::de::Error> {
        let tables: BTreeMap<String, ExamplesTable> = toml::from_str(text)?;
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let mut examples = Examples::default();
        for (id, table) in tables {
            let origins = table
                .examples
                .iter()
                .map(|e| Origin {
                    file: file.to_string(),
                    line: line_of(e.span().start),
                })
                .collect();
            examples.origins.insert(id.clone(), origins);
            examples.by_intent.insert(
                id,
                table.examples.into_iter().map(|e| e.into_inner()).collect(),
            );
        }
        Ok(examples)
    }

    pub fn merge(&mut self, other: Examples) {
        for (id, examples) in other.by_intent {
            self.by_intent.entry(id).or_default().extend(examples);
        }
        for (id, origins) in other.origins {
            self.origins.entry(id).or_default().extend(origins);
        }
    }

    /// Where `intent`'s `index`-th example was written.
    pub fn origin(&self, intent: &str, index: usize) -> Option<&Origin> {
        self.origins.get(intent).and_then(|o| o.get(index))
    }

    /// Splits the examples for a held-out test: the `every`-th example of each intent (the
    /// last of each group of `every`, by position in the files) goes to the test side.
    /// Returns `(train, test)`, both as `(intent, text)` pairs.
    pub fn hold_out(&self, every: usize) -> (Labelled, Labelled) {
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for (intent, texts) in &self.by_intent {
            for (i, text) in texts.iter().enumerate() {
                let pair = (intent.clone(), text.clone());
                if every > 0 && i % every == every - 1 {
                    test.push(pair);
                } else {
                    train.push(pair);
                }
            }
        }
        (train, test)
    }

    /// `(intent, text)` pairs in a stable order.
    pub fn pairs(&self) -> Labelled {
        self.by_intent
            .iter()
            .flat_map(|(id, texts)| texts.iter().map(move |t| (id.clone(), t.clone())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_defaults_and_explicit_fields() {
        let catalog = Catalog::parse(
            r#"
            [intents.greeting]
            [intents.order_status]
            reply_when = { order = "reply-order-status-known" }
            suggestions = ["greeting"]
            [intents.human_agent]
            handoff = "now"
            "#,
        )
        .unwrap();
        let greeting = &catalog.intents["greeting"];
        assert_eq!(greeting.reply_message("greeting"), "reply-greeting");
        assert_eq!(greeting.handoff, Handoff::None);
        assert_eq!(
            catalog.intents["order_status"].reply_when["order"],
            "reply-order-status-known"
        );
        assert_eq!(catalog.intents["human_agent"].handoff, Handoff::Now);
        assert_eq!(suggestion_label("order_status"), "suggest-order-status");
    }

    #[test]
    fn catalog_rejects_unknown_keys_with_a_position() {
        let err = Catalog::parse("[intents.greeting]\nreplly = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("replly"), "{err}");
        assert!(err.span().is_some());
    }

    #[test]
    fn examples_parse_and_merge_in_order() {
        let mut a =
            Examples::parse("a.toml", "[greeting]\nexamples = [\"hi\", \"hello\"]\n").unwrap();
        let b = Examples::parse(
            "b.toml",
            "[greeting]\nexamples = [\n\"hey\"]\n[thanks]\nexamples = [\"ty\"]",
        )
        .unwrap();
        a.merge(b);
        assert_eq!(a.by_intent["greeting"], vec!["hi", "hello", "hey"]);
        assert_eq!(a.pairs().len(), 4);
        let (train, test) = a.hold_out(2);
        assert_eq!(test, vec![("greeting".to_string(), "hello".to_string())]);
        assert_eq!(train.len(), 3);
        assert_eq!(
            a.origin("greeting", 2),
            Some(&Origin {
                file: "b.toml".into(),
                line: 3
            })
        );
        assert!(Examples::parse("c.toml", "[greeting]\nexample = []").is_err());
    }
}
