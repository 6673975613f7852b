//! switchboard: a multilingual support chat gateway.
//!
//! Customers' chat widgets connect over WebSocket (`gateway`); each message's language is
//! decided from all the evidence (`language`), matched against the intents of that locale
//! (`intents`) and answered from Fluent templates (`templates`): one turn is `bot`, what it
//! answers from is `content`. Conversations outlive sockets in `session`; hand-offs to people
//! are stored in `handoff` and decided by `desk`; agents work in `agents`. `transport` holds
//! the sockets, `state` the one `AppState`, `app` the router and the server.
//!
//! The modules import downward only, in the layers ARCHITECTURE.md draws (and
//! tests/it/layers.rs checks).

#![forbid(unsafe_code)]

pub mod admin;
pub mod agents;
pub mod app;
pub mod bot;
pub mod cli;
pub mod config;
pub mod content;
pub mod desk;
pub mod eval;
pub mod gateway;
pub mod handoff;
pub mod ids;
pub mod intents;
pub mod language;
pub mod ops;
pub mod privacy;
pub mod protocol;
pub mod redis_link;
pub mod session;
pub mod state;
pub mod telemetry;
pub mod templates;
pub mod transport;
pub mod web;
