//! Integration tests: the real server on a free port, real WebSocket clients.

mod accuracy;
mod bad_input;
mod chat;
mod cli;
mod handoff;
mod helpers;
mod ops;
mod redis;
mod redis_server;
mod reload;
mod topologies;
