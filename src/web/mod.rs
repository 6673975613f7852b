//! What the gateway serves to browsers: the embeddable chat widget (`/widget.js`), the agent
//! console (`/agent`), the demo page (`/`), and the widget's localized words
//! (`/v1/widget/strings`).
//!
//! The files live in the top-level `web/` folder and are compiled into the binary, so
//! `switchboard serve` needs nothing beside it. They need no build step: plain HTML, CSS and
//! JavaScript, served as written (gzip when the browser accepts it).

mod strings;

pub use strings::ui_strings;

use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use axum::extract::{Query, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use tower_http::compression::CompressionLayer;

use crate::state::AppState;

/// Scripts and styles of the console come from the gateway only; it talks to its own origin.
const CONSOLE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
     frame-ancestors 'none'";
/// The demo page embeds the widget from its own origin.
const DEMO_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'";

/// One file compiled into the binary.
pub struct Asset {
    pub path: &'static str,
    pub body: &'static str,
    pub content_type: &'static str,
    /// `Cache-Control`: the widget's URL has no version in it, so caches keep it only a few
    /// minutes and then revalidate with the `ETag`.
    pub cache: &'static str,
    pub csp: Option<&'static str>,
}

pub const WIDGET: Asset = Asset {
    path: "/widget.js",
    body: include_str!("../../web/widget.js"),
    content_type: "text/javascript; charset=utf-8",
    cache: "public, max-age=300",
    csp: None,
};

pub const ASSETS: &[Asset] = &[
    WIDGET,
    Asset {
        path: "/",
        body: include_str!("../../web/demo.html"),
        content_type: "text/html; charset=utf-8",
        cache: "no-cache",
        csp: Some(DEMO_CSP),
    },
    Asset {
        path: "/agent",
        body: include_str!("../../web/agent.html"),
        content_type: "text/html; charset=utf-8",
        cache: "no-cache",
        csp: Some(CONSOLE_CSP),
    },
    Asset {
        path: "/agent/console.js",
        body: include_str!("../../web/agent.js"),
        content_type: "text/javascript; charset=utf-8",
        cache: "no-cache",
        csp: None,
    },
    Asset {
        path: "/agent/console.css",
        body: include_str!("../../web/agent.css"),
        content_type: "text/css; charset=utf-8",
        cache: "no-cache",
        csp: None,
    },
    // What browsers ask for on every page of the gateway (the demo page, the console).
    Asset {
        path: "/favicon.ico",
        body: include_str!("../../web/favicon.svg"),
        content_type: "image/svg+xml",
        cache: "public, max-age=86400",
        csp: None,
    },
];

impl Asset {
    /// A strong validator of the body (stable for one build).
    fn etag(&self) -> &'static str {
        static ETAGS: OnceLock<Vec<String>> = OnceLock::new();
        let etags = ETAGS.get_or_init(|| ASSETS.iter().map(|a| etag_of(a.body)).collect());
        let index = ASSETS
            .iter()
            .position(|a| a.path == self.path)
            .expect("every asset is listed");
        &etags[index]
    }

    fn respond(&self, headers: &HeaderMap) -> Response {
        let etag = self.etag();
        let mut response = if if_none_match(headers, etag) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(self.content_type),
                )],
                self.body,
            )
                .into_response()
        };
        let h = response.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(self.cache));
        if let Ok(value) = HeaderValue::from_str(etag) {
            h.insert(header::ETAG, value);
        }
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        if let Some(csp) = self.csp {
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(csp),
            );
            h.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("same-origin"),
            );
        }
        response
    }
}

fn etag_of(body: &str) -> String {
    // SipHash with fixed keys: the same body gives the same tag for the life of a build.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    format!("\"{:016x}-{:x}\"", hasher.finish(), body.len())
}

/// Whether the client's `If-None-Match` already names `etag` (or `*`).
fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

/// The routes of this module, compressed when the client accepts gzip.
pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for asset in ASSETS {
        router = router.route(
            asset.path,
            get(move |headers: HeaderMap| async move { asset.respond(&headers) }),
        );
    }
    router
        .route("/v1/widget/strings", get(widget_strings))
        .layer(CompressionLayer::new())
}

#[derive(Debug, Deserialize)]
struct StringsQuery {
    /// Comma-separated BCP 47 tags in order of preference (`navigator.languages`).
    #[serde(default)]
    locale: Option<String>,
}

/// Most tags a request may list; the rest are ignored.
const MAX_REQUESTED_TAGS: usize = 16;

/// `GET /v1/widget/strings?locale=es-MX,en`: the widget's words in the best locale. Readable
/// from any page allowed to open `/v1/chat` (CORS), revalidated by the content version.
async fn widget_strings(
    State(state): State<AppState>,
    Query(query): Query<StringsQuery>,
    headers: HeaderMap,
) -> Response {
    let requested: Vec<String> = query
        .locale
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 64)
        .take(MAX_REQUESTED_TAGS)
        .map(String::from)
        .collect();
    let content = state.content.load_full();
    let body = ui_strings(&content, &requested);
    let etag = format!("\"{}-{}\"", content.version, body.locale);
    let mut response = if if_none_match(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Json(body).into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, value);
    }
    if let Some(origin) = cors_origin(state.config.allowed_origins.as_deref(), &headers) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    response
}

/// The `Access-Control-Allow-Origin` to answer: any page when no origins are configured,
/// else the requesting origin only when it is one of them.
fn cors_origin(allowed: Option<&[String]>, headers: &HeaderMap) -> Option<HeaderValue> {
    let Some(allowed) = allowed else {
        return Some(HeaderValue::from_static("*"));
    };
    let origin = headers.get(header::ORIGIN)?;
    let text = origin.to_str().ok()?;
    allowed
        .iter()
        .any(|a| a.eq_ignore_ascii_case(text))
        .then(|| origin.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, value.parse().unwrap());
        h
    }

    #[test]
    fn etags_differ_by_body_and_revalidate() {
        let tag = WIDGET.etag();
        assert!(tag.starts_with('"') && tag.ends_with('"'));
        assert_ne!(tag, ASSETS[1].etag());
        assert!(if_none_match(&headers(header::IF_NONE_MATCH, tag), tag));
        assert!(if_none_match(
            &headers(header::IF_NONE_MATCH, &format!("\"x\", W/{tag}")),
            tag
        ));
        assert!(!if_none_match(
            &headers(header::IF_NONE_MATCH, "\"x\""),
            tag
        ));
        assert!(!if_none_match(&HeaderMap::new(), tag));
    }

    #[test]
    fn cors_allows_any_page_unless_origins_are_configured() {
        assert_eq!(
            cors_origin(None, &HeaderMap::new()).unwrap(),
            HeaderValue::from_static("*")
        );
        let allowed = vec!["https://shop.example".to_string()];
        let shop = headers(header::ORIGIN, "https://shop.example");
        assert_eq!(
            cors_origin(Some(&allowed), &shop).unwrap(),
            "https://shop.example"
        );
        let evil = headers(header::ORIGIN, "https://evil.example");
        assert!(cors_origin(Some(&allowed), &evil).is_none());
        assert!(cors_origin(Some(&allowed), &HeaderMap::new()).is_none());
    }

    #[test]
    fn the_widget_is_plain_javascript_with_no_html_sinks() {
        // Messages are rendered as text: the widget never assigns markup it did not write.
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
        ] {
            assert!(!WIDGET.body.contains(sink), "widget.js uses {sink}");
        }
        let console = ASSETS
            .iter()
            .find(|a| a.path == "/agent/console.js")
            .unwrap();
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
        ] {
            assert!(!console.body.contains(sink), "console.js uses {sink}");
        }
    }
}
