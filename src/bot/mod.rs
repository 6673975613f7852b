//! The bot's turn: one customer message through detection, arbitration, matching and
//! templating, giving the answer and how the conversation state changes.
//!
//! Pure: given the content and the conversation state it computes; it stores and sends
//! nothing, so the gateway and `switchboard try` run the very same code.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use regex::Regex;
use unic_langid::LanguageIdentifier;

use crate::content::{self, Content};
use crate::intents::{suggestion_label, Handoff, Match};
use crate::language::{self, Detection, LanguageContext, Reason, Verdict};
use crate::session::{ConversationState, TurnNote};
use crate::templates::{Arg, FormatError};

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
    pub reason: Reason,
    pub detection: Detection,
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
    let detection = content.detector.detect(text);
    let explicit = parse_state_locale(&state.explicit_locale, content);
    let session = parse_state_locale(&state.locale, content);
    let negotiated = parse_state_locale(&state.negotiated, content);
    let context = LanguageContext {
        explicit: explicit.as_ref(),
        session: session.as_ref(),
        negotiated: negotiated.as_ref(),
    };
    let (locale, reason) = language::arbitrate(&context, &detection, &content.default_locale);

    // Intents mean the same in every locale: match the message in the store of the language
    // it is written in when that is reliable (a customer who chose German may still write
    // English), else in the store of the answer's locale.
    let match_locale = match &detection.verdict {
        Verdict::Reliable(written) => written,
        _ => &locale,
    };
    let payload_intent = payload.filter(|p| content.catalog.intents.contains_key(*p));
    let (matched, intent, confidence) = match payload_intent {
        Some(intent) => (None, Some(intent.to_string()), 1.0),
        None => match content.matchers.get(match_locale) {
            Some(matcher) => {
                let m = matcher.classify(text, threshold);
                let (intent, confidence) = (m.intent.clone(), m.confidence);
                (Some(m), intent, confidence)
            }
            None => (None, None, 0.0),
        },
    };

    let mut next = state.clone();
    if matches!(reason, Reason::Detected | Reason::Guessed) {
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
        reason,
        detection,
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
