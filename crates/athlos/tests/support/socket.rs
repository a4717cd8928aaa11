//! A test's side of the realtime socket.

use std::time::Duration;

use futures::StreamExt;
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message as Frame;

pub type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Long enough for a slow machine running the whole suite at once.
const PATIENCE: Duration = Duration::from_secs(30);

/// The next JSON message (pings and pongs skipped); panics on a close, or
/// when none comes in time however many pings do.
pub async fn next_message(socket: &mut Socket) -> Value {
    let message = async {
        loop {
            match socket.next().await.expect("the socket is open").unwrap() {
                Frame::Text(text) => return serde_json::from_str(&text).unwrap(),
                Frame::Close(close) => panic!("closed: {close:?}"),
                _ => continue,
            }
        }
    };
    tokio::time::timeout(PATIENCE, message).await.expect("a message in time")
}
