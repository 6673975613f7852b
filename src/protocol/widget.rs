//! HTTP: the widget's UI strings (`GET /v1/widget/strings`, an addition to v1).

use serde::{Deserialize, Serialize};

use super::Suggestion;

/// The widget's own words in one locale, with what it needs to offer a language picker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UiStrings {
    /// The locale the strings are in (the best match of the request, else the default).
    pub locale: String,
    /// `"ltr"` or `"rtl"`.
    pub dir: String,
    /// Message ids of `locales/<locale>/widget.ftl` without the `widget-` prefix → text.
    pub strings: std::collections::BTreeMap<String, String>,
    /// Every locale the gateway speaks, each named in itself.
    pub locales: Vec<UiLocale>,
    /// Quick replies to offer before the first message.
    pub suggestions: Vec<Suggestion>,
    /// The content version the strings come from.
    pub content_version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UiLocale {
    pub locale: String,
    pub name: String,
    pub dir: String,
}
