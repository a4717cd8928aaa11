//! A test's side of the realtime socket.

use std::time::Duration;

use futures::StreamExt;
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message as Frame;

pub type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Long enough for a slow machine running the whole suite at once.
const PATIENCE: Duration = Duration::from_secs(30);

/// The next JSON message (pings and pongs skipped); panics on a close.
pub async fn next_message(socket: &mut Socket) -> Value {
    loop {
        match tokio::time::timeout(PATIENCE, socket.next()).await.expect("a message in time").unwrap().unwrap() {
            Frame::Text(text) => return serde_json::from_str(&text).unwrap(),
            Frame::Close(close) => panic!("closed: {close:?}"),
            _ => continue,
        }
    }
}
