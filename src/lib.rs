//! switchboard: a multilingual support chat gateway.
//!
//! Customers' chat widgets connect over WebSocket (`gateway`); each message's language is
//! decided from all the evidence, the conversation's included (`language`), matched against the
//! intents of that locale (`intents`) and answered from Fluent templates (`templates`). The
//! pipeline of one answer is `bot`; what it answers from is `content`; conversations outlive
//! sockets in `session`. `protocol` is the only module that knows the wire format; `app` wires
//! it all into one `AppState`; `ops` is health, readiness and metrics; `cli` the commands;
//! `web` the widget, the agent console and the demo page browsers load.
//!
//! See ARCHITECTURE.md for the codemap and the invariants.

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
