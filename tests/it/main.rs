//! Integration tests: the real server on a free port, real WebSocket clients.

mod accuracy;
mod bad_input;
mod chat;
mod cli;
mod deploy;
mod desk;
mod echo;
mod faults;
mod handoff;
mod helpers;
mod languages;
mod layers;
mod limits;
mod ops;
mod privacy;
mod redis;
mod reload;
mod topologies;
mod web;
