//! The load tool (`switchboard-bench`): a WebSocket load client (closed loop or fixed rate,
//! latency percentiles, errors counted; idle connections weighed in the server's memory), the
//! bare reference server it compares the gateway with, and the side-by-side runs of both.
//! Not part of the serving path: nothing in the gateway uses it.

pub mod bare;
pub mod cli;
pub mod client;
pub mod compare;
pub mod texts;

#[cfg(test)]
mod tests;
