//! How both channels hold their connections, below either of them: the WebSocket with its
//! queue, pings and close codes ([`socket`]), admission at the handshake and the per-connection
//! frame budget ([`limits`]), the registry of which connection of this node holds which
//! session or agent ([`Hub`]), and the TCP settings of the listener.

pub mod hub;
pub mod limits;
pub mod socket;

pub use hub::Hub;
pub use limits::Admission;
pub use socket::{configure as configure_websocket, Settings, READ_BUFFER_BYTES};

use tokio::net::{TcpListener, TcpStream};

/// Frames go out as soon as they are written: with Nagle's algorithm a bot reply written right
/// after its `ack` would wait for the client's delayed ACK (up to 40 ms on Linux).
pub fn no_delay(listener: TcpListener) -> axum::serve::TapIo<TcpListener, fn(&mut TcpStream)> {
    use axum::serve::ListenerExt;
    fn set(tcp: &mut TcpStream) {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
    }
    listener.tap_io(set as fn(&mut TcpStream))
}
