//! The widget's own words, from the Fluent content (`locales/<locale>/widget.ftl`): every
//! message whose id starts with `widget-`, formatted with the shop's facts, so editors
//! translate the widget like the bot and a content reload changes both.

use std::collections::BTreeMap;

use unic_langid::LanguageIdentifier;

use crate::bot;
use crate::content::{Content, FALLBACK_SUGGESTIONS};
use crate::language;
use crate::protocol::{UiLocale, UiStrings};
use crate::templates::is_rtl;

/// Prefix of the widget's message ids.
pub const PREFIX: &str = "widget-";
/// The message naming each locale in itself, for the language picker.
pub const LANGUAGE_NAME: &str = "widget-language-name";

fn dir(locale: &LanguageIdentifier) -> String {
    if is_rtl(locale) { "rtl" } else { "ltr" }.to_string()
}

/// The widget's strings in the best supported match of `requested` (else the default locale);
/// a message a locale lacks comes from the default locale.
pub fn ui_strings(content: &Content, requested: &[String]) -> UiStrings {
    let locale = language::negotiate(requested, &content.locales)
        .unwrap_or_else(|| content.default_locale.clone());
    let templates = &content.templates;
    let mut ids = templates.message_ids(&content.default_locale);
    ids.extend(templates.message_ids(&locale));
    let strings: BTreeMap<String, String> = ids
        .iter()
        .filter_map(|id| {
            let key = id.strip_prefix(PREFIX)?;
            let text = templates.format(&locale, id, &[]).ok()?;
            Some((key.to_string(), text))
        })
        .collect();
    let locales = content
        .locales
        .iter()
        .map(|l| UiLocale {
            locale: l.to_string(),
            // Never the default locale's name for another locale: the tag instead.
            name: if templates.has_message(l, LANGUAGE_NAME) {
                templates
                    .format(l, LANGUAGE_NAME, &[])
                    .unwrap_or_else(|_| l.to_string())
            } else {
                l.to_string()
            },
            dir: dir(l),
        })
        .collect();
    UiStrings {
        locale: locale.to_string(),
        dir: dir(&locale),
        strings,
        locales,
        suggestions: bot::suggestions(content, &locale, FALLBACK_SUGGESTIONS)
            .into_iter()
            .map(|s| crate::protocol::Suggestion {
                text: s.text,
                payload: s.payload,
            })
            .collect(),
        content_version: content.version.clone(),
    }
}
