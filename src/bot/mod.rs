//! The bot's turn: one customer message through detection, the language decision, matching and
//! templating, giving the answer and how the conversation state changes.
//!
//! Pure: given the content and the conversation state it computes; it stores and sends
//! nothing, so the gateway and `switchboard try` run the very same code.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use regex::Regex;
use unic_langid::LanguageIdentifier;

use crate::content::{self, Content};
use crate::intents::{self, suggestion_label, Handoff, Match, Matcher, WhileQueued};
use crate::language::{self, Decision, Detection, LanguageContext, Reason, StoreEvidence};
use crate::templates::{Arg, FormatError};

mod state;

pub use state::{ConversationState, SharedStr, TurnNote, HISTORY};

/// Why a conversation should go to a human.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandoffReason {
    /// The customer asked (`human_agent`, or the `handoff` frame).
    Requested,
    /// The content marks the intent as needing a human (`damaged_item`).
    Intent(String),
}

/// A suggestion to show as a quick reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub text: String,
    pub payload: String,
}

/// Everything about one answer; `try` prints it, the gateway sends part of it.
#[derive(Debug, Clone)]
pub struct Turn {
    pub locale: LanguageIdentifier,
    pub detection: Detection,
    /// The language decision with its evidence and reason (`switchboard try` prints it).
    pub decision: Decision,
    /// The matcher's view (absent when a payload named the intent).
    pub matched: Option<Match>,
    pub intent: Option<String>,
    pub confidence: f32,
    pub message_id: String,
    pub text: String,
    pub suggestions: Vec<Suggestion>,
    pub handoff: Option<HandoffReason>,
    pub order: Option<String>,
    /// The conversation state after this turn.
    pub state: ConversationState,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error(transparent)]
    Template(#[from] FormatError),
}

/// Order numbers: "48213377", "#55120934", "NW-204981".
static ORDER_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^a-z\p{Nd}])#?((?:[a-z]{2,3}-)?\p{Nd}{5,12})(?:$|[^a-z\p{Nd}])")
        .expect("order number pattern is valid")
});

/// Web addresses and e-mail addresses: written alike in every language, so the language is
/// judged without them.
static ADDRESSES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
        .expect("address pattern is valid")
});

/// `text` with its web and e-mail addresses blanked, for the language decision.
fn without_addresses(text: &str) -> std::borrow::Cow<'_, str> {
    ADDRESSES.replace_all(text, " ")
}

/// The first order number in `text`, with its digits in ASCII.
pub fn find_order_number(text: &str) -> Option<String> {
    let found = ORDER_NUMBER.captures(text)?.get(1)?.as_str();
    Some(
        found
            .chars()
            .map(|c| match ascii_digit(c) {
                Some(d) => d,
                None => c.to_ascii_uppercase(),
            })
            .collect(),
    )
}

fn ascii_digit(c: char) -> Option<char> {
    let zero = match c {
        '0'..='9' => return Some(c),
        '\u{0660}'..='\u{0669}' => 0x0660,
        '\u{06F0}'..='\u{06F9}' => 0x06F0,
        '\u{0966}'..='\u{096F}' => 0x0966,
        '\u{FF10}'..='\u{FF19}' => 0xFF10,
        _ => return None,
    };
    char::from_digit(u32::from(c) - zero, 10)
}

fn parse_state_locale(tag: &Option<String>, content: &Content) -> Option<LanguageIdentifier> {
    tag.as_ref()
        .and_then(|t| t.parse::<LanguageIdentifier>().ok())
        .filter(|l| content.supports(l))
}

/// The locale the conversation is in before any new message (for `welcome` and for texts
/// that are not answers to a message).
pub fn current_locale(content: &Content, state: &ConversationState) -> LanguageIdentifier {
    parse_state_locale(&state.explicit_locale, content)
        .or_else(|| parse_state_locale(&state.locale, content))
        .or_else(|| parse_state_locale(&state.negotiated, content))
        .unwrap_or_else(|| content.default_locale.clone())
}

/// Whether the answer to `intent` is worth giving a customer who waits for a person: a question
/// the bot can answer is; small talk (`while_queued = "status"`), asking for a person again and
/// what the bot did not understand are not (they get where the customer stands instead).
pub fn answers_while_queued(content: &Content, intent: Option<&str>) -> bool {
    intent
        .and_then(|id| content.catalog.intents.get(id))
        .is_some_and(|def| def.handoff != Handoff::Now && def.while_queued == WhileQueued::Answer)
}

/// Quick replies for these intents, labelled in `locale` (intents without a label are left out).
pub fn suggestions(
    content: &Content,
    locale: &LanguageIdentifier,
    intents: &[&str],
) -> Vec<Suggestion> {
    intents
        .iter()
        .filter_map(|intent| {
            let text = content
                .templates
                .format(locale, &suggestion_label(intent), &[])
                .ok()?;
            Some(Suggestion {
                text,
                payload: intent.to_string(),
            })
        })
        .collect()
}

/// What the intent stores say about one message, for the language decision: the share of
/// its words each store has seen, and each store's match, kept so that the store the
/// message is finally matched in does not match it twice.
pub struct Stores<'t, F> {
    store: F,
    text: &'t str,
    threshold: f32,
    words: Option<Vec<intents::features::Feature>>,
    matches: Vec<(LanguageIdentifier, Match)>,
}

impl<'s, 't, F> Stores<'t, F>
where
    F: Fn(&LanguageIdentifier) -> Option<&'s Matcher>,
{
    /// `store` gives a locale's matcher; matches are decided with `threshold`.
    pub fn new(store: F, text: &'t str, threshold: f32) -> Self {
        Stores {
            store,
            text,
            threshold,
            words: None,
            matches: Vec::new(),
        }
    }

    /// `locale`'s match of the message (computed once).
    pub fn matched(&mut self, locale: &LanguageIdentifier) -> Option<&Match> {
        let at = match self.matches.iter().position(|(l, _)| l == locale) {
            Some(at) => at,
            None => {
                let m = (self.store)(locale)?.classify(self.text, self.threshold);
                self.matches.push((locale.clone(), m));
                self.matches.len() - 1
            }
        };
        Some(&self.matches[at].1)
    }
}

impl<'s, F> StoreEvidence for Stores<'_, F>
where
    F: Fn(&LanguageIdentifier) -> Option<&'s Matcher>,
{
    fn known_words(&mut self, locale: &LanguageIdentifier) -> Option<f32> {
        let matcher = (self.store)(locale)?;
        let words = self
            .words
            .get_or_insert_with(|| intents::features::words(self.text));
        if words.is_empty() {
            return None;
        }
        let known = words.iter().filter(|w| matcher.knows(**w)).count();
        Some(known as f32 / words.len() as f32)
    }

    fn match_confidence(&mut self, locale: &LanguageIdentifier) -> Option<f32> {
        self.matched(locale).map(|m| m.confidence)
    }
}

/// The language decision for `text` in the conversation `state`, with the content's stores
/// as evidence (their matches stay in `stores`, to be reused).
pub fn decide_language<'s>(
    content: &Content,
    state: &ConversationState,
    detection: &Detection,
    stores: &mut Stores<'_, impl Fn(&LanguageIdentifier) -> Option<&'s Matcher>>,
) -> Decision {
    let explicit = parse_state_locale(&state.explicit_locale, content);
    let session = parse_state_locale(&state.locale, content);
    let negotiated = parse_state_locale(&state.negotiated, content);
    let context = LanguageContext {
        explicit: explicit.as_ref(),
        session: session.as_ref(),
        negotiated: negotiated.as_ref(),
    };
    language::decide(&context, detection, stores, &content.default_locale)
}

/// Answers one customer message. `payload` is a quick reply's payload: when it names an
/// intent, that intent is taken as is.
pub fn respond(
    content: &Content,
    state: &ConversationState,
    text: &str,
    payload: Option<&str>,
    threshold: f32,
) -> Result<Turn, BotError> {
    let started = Instant::now();
    let judged = without_addresses(text);
    let detection = content.detector.detect(&judged);
    let mut stores = Stores::new(|l| content.matchers.get(l), text, threshold);
    let decision = decide_language(content, state, &detection, &mut stores);
    let locale = decision.locale.clone();

    // Intents mean the same in every locale: match the message in the store of the language
    // it is written in (a customer who chose German may still write English), else in the
    // store of the answer's locale.
    let match_locale = decision.written.as_ref().unwrap_or(&locale);
    let payload_intent = payload.filter(|p| content.catalog.intents.contains_key(*p));
    let (matched, intent, confidence) = match payload_intent {
        Some(intent) => (None, Some(intent.to_string()), 1.0),
        None => match stores.matched(match_locale) {
            Some(m) => (Some(m.clone()), m.intent.clone(), m.confidence),
            None => (None, None, 0.0),
        },
    };

    let mut next = state.clone();
    if decision.reason == Reason::Detected {
        next.locale = Some(locale.to_string());
    }
    next.remember(TurnNote {
        locale: locale.to_string().into(),
        intent: intent.as_deref().map(Into::into),
        confidence,
    });
    let order = find_order_number(text);
    let templates = &content.templates;
    let (message_id, text, suggested, handoff) = match &intent {
        Some(id) => {
            next.fallbacks_in_row = 0;
            let def = &content.catalog.intents[id];
            let mut message_id = def.reply_message(id);
            let mut args = Vec::new();
            if let (Some(order), Some(with_order)) = (&order, def.reply_when.get("order")) {
                message_id = with_order.clone();
                args.push(("order", Arg::Text(order.clone())));
            }
            let text = templates.format(&locale, &message_id, &args)?;
            let suggested: Vec<&str> = def.suggestions.iter().map(String::as_str).collect();
            let handoff = match def.handoff {
                Handoff::Now if id == content::HUMAN_AGENT => Some(HandoffReason::Requested),
                Handoff::Now => Some(HandoffReason::Intent(id.clone())),
                Handoff::Offer | Handoff::None => None,
            };
            (message_id, text, suggested, handoff)
        }
        None => {
            next.fallbacks_in_row += 1;
            if next.fallbacks_in_row >= 2 {
                let id = content::FALLBACK_OFFER_HUMAN.to_string();
                let text = templates.format(&locale, &id, &[])?;
                (id, text, vec![content::HUMAN_AGENT], None)
            } else {
                let id = content::FALLBACK.to_string();
                let text = templates.format(&locale, &id, &[])?;
                (id, text, content::FALLBACK_SUGGESTIONS.to_vec(), None)
            }
        }
    };
    Ok(Turn {
        suggestions: suggestions(content, &locale, &suggested),
        locale,
        detection,
        decision,
        matched,
        intent,
        confidence,
        message_id,
        text,
        handoff,
        order,
        state: next,
        elapsed: started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_order_numbers_in_their_usual_shapes() {
        assert_eq!(
            find_order_number("where is order 48213377?").as_deref(),
            Some("48213377")
        );
        assert_eq!(
            find_order_number("order #55120934 late").as_deref(),
            Some("55120934")
        );
        assert_eq!(
            find_order_number("status of nw-204981").as_deref(),
            Some("NW-204981")
        );
        assert_eq!(
            find_order_number("طلبي رقم ٤٨٢١٣٣٧٧").as_deref(),
            Some("48213377")
        );
        assert_eq!(
            find_order_number("注文番号48213377はどこ").as_deref(),
            Some("48213377")
        );
        assert_eq!(find_order_number("sku abc48213377"), None);
        assert_eq!(find_order_number("call me at 1234"), None);
        assert_eq!(find_order_number("where is my order"), None);
    }
}

/// The language decision on the demo content: the cases issue 16 lists, each as the reply
/// locale of one message in a session with the given browser language and established locale.
#[cfg(test)]
mod language_decision {
    use super::*;
    use std::sync::LazyLock;

    static DEMO: LazyLock<Content> = LazyLock::new(|| {
        Content::load(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
            &"en".parse().expect("tag"),
        )
        .expect("the demo content loads")
    });

    fn turn(state: &ConversationState, text: &str) -> Turn {
        respond(&DEMO, state, text, None, 0.5).expect("answers")
    }

    fn reply(hello: Option<&str>, session: Option<&str>, text: &str) -> String {
        let state = ConversationState {
            negotiated: hello.map(str::to_string),
            locale: session.map(str::to_string),
            ..Default::default()
        };
        turn(&state, text).locale.to_string()
    }

    #[test]
    fn a_script_only_one_locale_writes_answers_in_it_whatever_the_browser() {
        for (text, locale) in [
            ("मेरा ऑर्डर कहाँ है", "hi"),
            ("где мой заказ", "ru"),
            ("طلبي لم يصل", "ar"),
            ("注文はまだですか", "ja"),
        ] {
            assert_eq!(reply(Some("en"), None, text), locale, "{text}");
            assert_eq!(reply(Some("de"), Some("de"), text), locale, "{text}");
        }
    }

    #[test]
    fn an_unsupported_language_of_a_supported_script_keeps_the_browsers_locale() {
        for text in [
            "من می خواهم سفارشم را لغو کنم",
            "Dzień dobry, chciałbym zwrócić zamówienie",
            "Hej, jag vill returnera min beställning",
        ] {
            assert_eq!(reply(Some("en"), None, text), "en", "{text}");
        }
    }

    #[test]
    fn one_clear_greeting_or_thanks_answers_in_its_language() {
        for (text, locale) in [
            ("bonjour", "fr"),
            ("merci", "fr"),
            ("au revoir", "fr"),
            ("danke", "de"),
            ("gracias", "es"),
            ("obrigado", "pt"),
        ] {
            assert_eq!(reply(Some("en"), None, text), locale, "{text}");
        }
    }

    #[test]
    fn short_support_messages_without_accents_answer_in_their_language() {
        assert_eq!(reply(Some("en"), None, "aceptais bizum?"), "es");
        assert_eq!(reply(Some("en"), None, "el envio es gratis?"), "es");
    }

    #[test]
    fn an_ambiguous_word_keeps_the_sessions_or_the_browsers_locale() {
        for text in [
            "ok",
            "hotel",
            "taxi",
            "pizza",
            "12345",
            "#48213377",
            "NW-204981",
        ] {
            assert_eq!(reply(Some("en"), None, text), "en", "{text}");
            assert_eq!(reply(Some("en"), Some("es"), text), "es", "{text}");
        }
    }

    #[test]
    fn an_established_conversation_follows_a_real_switch_only() {
        let state = ConversationState {
            negotiated: Some("en".into()),
            ..Default::default()
        };
        let first = turn(&state, "hola, donde esta mi pedido?");
        assert_eq!(first.locale.to_string(), "es");
        let second = turn(&first.state, "ok");
        assert_eq!(second.locale.to_string(), "es");
        let third = turn(
            &second.state,
            "actually can I write in English? where is my parcel",
        );
        assert_eq!(third.locale.to_string(), "en");
        assert_eq!(third.state.locale.as_deref(), Some("en"));
    }

    #[test]
    fn matching_follows_the_decision() {
        let state = ConversationState {
            negotiated: Some("en".into()),
            ..Default::default()
        };
        let turn = turn(&state, "el envio es gratis?");
        assert_eq!(
            turn.decision.written.map(|l| l.to_string()).as_deref(),
            Some("es")
        );
        assert_eq!(turn.intent.as_deref(), Some("shipping_cost"));
    }

    #[test]
    fn the_explicit_choice_is_final_and_the_text_is_matched_where_it_is_written() {
        let state = ConversationState {
            explicit_locale: Some("de".into()),
            ..Default::default()
        };
        let turn = turn(&state, "where is my order, it has not arrived");
        assert_eq!(turn.locale.to_string(), "de");
        assert_eq!(
            turn.decision.written.map(|l| l.to_string()).as_deref(),
            Some("en")
        );
        assert_eq!(turn.intent.as_deref(), Some("order_status"));
    }

    #[test]
    fn bad_input_gets_the_conversations_language_and_never_panics() {
        let long: String =
            "hello world ".repeat(60) + &"где заказ ".repeat(60) + &"注文 ".repeat(60);
        for text in [
            "",
            "   ",
            "😀😀🙏",
            "1234 5678",
            "https://shop.example.com/p/123?ref=abc",
            "john.smith@example.com",
        ] {
            assert_eq!(reply(Some("es"), None, text), "es", "{text:?}");
            assert_eq!(reply(Some("es"), Some("fr"), text), "fr", "{text:?}");
        }
        // A message with a pasted signature is in the message's language.
        let signed = "hola, mi pedido no ha llegado\n--\nJohn Smith | ACME Corp\n+1 555 0100 | john@example.com";
        assert_eq!(reply(Some("en"), None, signed), "es");
        // Three scripts in 2,000 characters: some supported locale, no panic.
        let locale = reply(Some("en"), None, &long);
        assert!(DEMO.supports(&locale.parse().unwrap()));
    }
}
