//! One client's socket: it authenticates (a ticket at connection, or its
//! access token in the first message), subscribes to topics it may see,
//! hears heartbeats, and is closed with a clear code when it falls behind,
//! stops answering, or the server goes away.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message as Frame, WebSocket};
use futures::SinkExt;
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc};
use tokio::task::AbortHandle;
use tokio_util::sync::CancellationToken;

use super::hub::LISTENER_BACKLOG;
use super::store::Holder;
use super::{Message, Realtime};
use crate::db::now_secs;
use crate::http::{Authenticator, Caller};

/// How long a client that came without a ticket has to send its token.
pub const AUTH_PATIENCE: Duration = Duration::from_secs(10);
/// How long one frame (or batch) may wait for a client that does not read.
const SEND_PATIENCE: Duration = Duration::from_secs(10);
/// Queued frames written together before one flush.
const SEND_BATCH: usize = 64;
/// How long before the access token expires the server asks for a new one.
pub const RENEWAL_LEAD: Duration = Duration::from_secs(30);

/// Close codes, as `docs/realtime.md` lists them.
pub mod close {
    pub const GOING_AWAY: u16 = 1001;
    pub const UNAUTHENTICATED: u16 = 4001;
    pub const SILENT: u16 = 4002;
    pub const BAD_MESSAGE: u16 = 4003;
    pub const TOO_SLOW: u16 = 4008;
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    Auth { token: String },
    Subscribe { topic: String, after: Option<String> },
    Unsubscribe { topic: String },
    Ping,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ServerMessage<'a> {
    Ready {
        user_id: &'a str,
        heartbeat_secs: u64,
    },
    /// Send `auth` with a new access token within `expires_in` seconds.
    Reauth {
        expires_in: i64,
    },
    Renewed {
        expires_in: i64,
    },
    Subscribed {
        topic: &'a str,
        resumed: bool,
    },
    Refetch {
        topic: &'a str,
    },
    Refused {
        topic: &'a str,
        reason: &'a str,
    },
    Unsubscribed {
        topic: &'a str,
    },
    Event {
        topic: &'a str,
        id: &'a str,
        kind: &'a str,
        data: &'a serde_json::Value,
    },
    Pong,
    Error {
        reason: &'a str,
    },
}

impl ServerMessage<'_> {
    fn frame(&self) -> Frame {
        Frame::Text(serde_json::to_string(self).expect("a message serialises").into())
    }
}

/// An event's frame, rendered once for all its listeners.
fn event(message: &Message) -> Frame {
    let text = message.rendered.get_or_init(|| {
        let Message { topic, id, kind, data, .. } = message;
        let event = ServerMessage::Event { topic, id, kind, data };
        serde_json::to_string(&event).expect("a message serialises").into()
    });
    Frame::Text(text.clone())
}

/// The moment `epoch_secs` falls, for the timers (at once when it has passed).
fn at(epoch_secs: i64) -> tokio::time::Instant {
    let wait = epoch_secs.saturating_sub(now_secs()).clamp(0, 365 * 24 * 3600);
    tokio::time::Instant::now() + Duration::from_secs(wait as u64)
}

/// A send that a client not reading its socket cannot hold up for long.
async fn send(socket: &mut WebSocket, frame: Frame) -> bool {
    matches!(tokio::time::timeout(SEND_PATIENCE, socket.send(frame)).await, Ok(Ok(())))
}

/// Sends `first` and whatever else is queued (up to a batch) with one flush:
/// a burst costs one write per batch, not one per message.
async fn send_queued(socket: &mut WebSocket, first: Frame, queued: &mut mpsc::Receiver<Frame>) -> bool {
    let batch = async {
        socket.feed(first).await?;
        for _ in 1..SEND_BATCH {
            let Ok(next) = queued.try_recv() else { break };
            socket.feed(next).await?;
        }
        socket.flush().await
    };
    matches!(tokio::time::timeout(SEND_PATIENCE, batch).await, Ok(Ok(())))
}

fn closing(code: u16, reason: &str) -> Frame {
    Frame::Close(Some(CloseFrame { code, reason: reason.to_string().into() }))
}

pub struct Session {
    realtime: Realtime,
    authenticator: Arc<dyn Authenticator>,
    caller: Option<Caller>,
    /// When the access token behind the socket expires (seconds since the epoch).
    token_expires: Option<i64>,
    /// Whether the client was asked for a new token since the last one came.
    asked_renewal: bool,
    /// Messages of the subscribed topics, bounded: a client that cannot keep up is cut off.
    outgoing: mpsc::Sender<Frame>,
    too_slow: CancellationToken,
    listening: HashMap<String, AbortHandle>,
}

impl Drop for Session {
    fn drop(&mut self) {
        self.listening.values().for_each(AbortHandle::abort);
    }
}

/// Serves one socket until it closes.
pub async fn serve(
    mut socket: WebSocket,
    realtime: Realtime,
    authenticator: Arc<dyn Authenticator>,
    holder: Option<Holder>,
) {
    let (outgoing, mut queued) = mpsc::channel(LISTENER_BACKLOG);
    let server_closing = realtime.closing.clone();
    let heartbeat_every = realtime.heartbeat;
    let (caller, token_expires) = holder.map(|h| (h.caller, h.token_expires)).unzip();
    let mut session = Session {
        realtime,
        authenticator,
        caller,
        token_expires,
        asked_renewal: false,
        outgoing,
        too_slow: CancellationToken::new(),
        listening: HashMap::new(),
    };
    if let Some(caller) = &session.caller {
        let ready = ServerMessage::Ready { user_id: &caller.id, heartbeat_secs: heartbeat_every.as_secs() }.frame();
        if !send(&mut socket, ready).await {
            return;
        }
    }
    let started = Instant::now();
    let mut last_heard = Instant::now();
    let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + heartbeat_every, heartbeat_every);
    let ending = loop {
        let auth_deadline = tokio::time::sleep(AUTH_PATIENCE.saturating_sub(started.elapsed()));
        let expiry = session.token_expires.unwrap_or(i64::MAX);
        let renewal_due = tokio::time::sleep_until(at(expiry.saturating_sub(RENEWAL_LEAD.as_secs() as i64)));
        let expired = tokio::time::sleep_until(at(expiry));
        tokio::select! {
            incoming = socket.recv() => {
                let Some(Ok(frame)) = incoming else { return };
                last_heard = Instant::now();
                match session.hear(frame).await {
                    Ok(replies) => for reply in replies {
                        if !send(&mut socket, reply).await { return }
                    },
                    Err(ending) => break ending,
                }
            }
            Some(frame) = queued.recv() => if !send_queued(&mut socket, frame, &mut queued).await { return },
            _ = heartbeat.tick() => {
                if last_heard.elapsed() > heartbeat_every * 3 {
                    break closing(close::SILENT, "no heartbeat: nothing heard for three heartbeats");
                }
                if !send(&mut socket, Frame::Ping(Default::default())).await { return }
            }
            _ = auth_deadline, if session.caller.is_none() => {
                break closing(close::UNAUTHENTICATED, "send {\"type\":\"auth\",\"token\":…} first, or connect with a ticket");
            }
            _ = renewal_due, if session.token_expires.is_some() && !session.asked_renewal => {
                session.asked_renewal = true;
                let ask = ServerMessage::Reauth { expires_in: (expiry - now_secs()).max(0) }.frame();
                if !send(&mut socket, ask).await { return }
            }
            _ = expired, if session.token_expires.is_some() => {
                break closing(close::UNAUTHENTICATED, "the access token expired and no new one came; connect again");
            }
            _ = session.too_slow.cancelled() => break closing(close::TOO_SLOW, "too slow: messages were arriving faster than they were read"),
            _ = server_closing.cancelled() => break closing(close::GOING_AWAY, "the server is going away; connect again"),
        }
    };
    send(&mut socket, ending).await;
}

impl Session {
    /// What to answer to one frame, or the close frame that ends the session.
    async fn hear(&mut self, frame: Frame) -> Result<Vec<Frame>, Frame> {
        let text = match frame {
            Frame::Text(text) => text,
            Frame::Close(_) => return Err(closing(1000, "")),
            _ => return Ok(Vec::new()),
        };
        let Ok(message) = serde_json::from_str::<ClientMessage>(&text) else {
            let reason = "not a message this server knows; see docs/realtime.md";
            return Ok(vec![ServerMessage::Error { reason }.frame()]);
        };
        match message {
            ClientMessage::Auth { token } => self.authenticate(&token).await.map(|ready| vec![ready]),
            ClientMessage::Ping => Ok(vec![ServerMessage::Pong.frame()]),
            _ if self.caller.is_none() => Err(closing(close::UNAUTHENTICATED, "authenticate first")),
            ClientMessage::Subscribe { topic, after } => Ok(self.subscribe(topic, after).await),
            ClientMessage::Unsubscribe { topic } => {
                if let Some(listening) = self.listening.remove(&topic) {
                    listening.abort();
                }
                Ok(vec![ServerMessage::Unsubscribed { topic: &topic }.frame()])
            }
        }
    }

    /// The first token makes the socket the caller's; a later one (asked
    /// for by `reauth`) must be the same person's and extends its life.
    async fn authenticate(&mut self, token: &str) -> Result<Frame, Frame> {
        let refused = |reason: &str| closing(close::UNAUTHENTICATED, reason);
        let bearer = self.authenticator.authenticate(token).await.map_err(|e| refused(&e.to_string()))?;
        if bearer.application.is_some() {
            return Err(refused("applications cannot open a realtime socket"));
        }
        if let Some(caller) = &self.caller {
            if caller.id != bearer.caller.id {
                return Err(closing(close::BAD_MESSAGE, "a socket stays with the person who opened it"));
            }
        }
        self.token_expires = Some(bearer.expires_at);
        self.asked_renewal = false;
        let expires_in = (bearer.expires_at - now_secs()).max(0);
        if self.caller.is_some() {
            return Ok(ServerMessage::Renewed { expires_in }.frame());
        }
        let heartbeat_secs = self.realtime.heartbeat.as_secs();
        let caller = self.caller.insert(bearer.caller);
        Ok(ServerMessage::Ready { user_id: &caller.id, heartbeat_secs }.frame())
    }

    async fn subscribe(&mut self, topic: String, after: Option<String>) -> Vec<Frame> {
        let caller = self.caller.as_ref().expect("checked by the caller");
        if let Err(reason) = self.realtime.guards.check(caller, &topic).await {
            return vec![ServerMessage::Refused { topic: &topic, reason: &reason }.frame()];
        }
        let subscription = self.realtime.hub.subscribe(&topic, after.as_deref());
        let mut replies = vec![ServerMessage::Subscribed { topic: &topic, resumed: subscription.resumed }.frame()];
        if !subscription.resumed {
            replies.push(ServerMessage::Refetch { topic: &topic }.frame());
        }
        replies.extend(subscription.missed.iter().map(|m| event(m)));
        let forwarding = forward(subscription.receiver, self.outgoing.clone(), self.too_slow.clone());
        if let Some(before) = self.listening.insert(topic, tokio::spawn(forwarding).abort_handle()) {
            before.abort();
        }
        replies
    }
}

/// Moves a topic's messages to the socket's queue; a full queue, or a
/// topic that ran ahead of this listener, means the client is too slow.
async fn forward(
    mut receiver: broadcast::Receiver<Arc<Message>>,
    outgoing: mpsc::Sender<Frame>,
    too_slow: CancellationToken,
) {
    loop {
        match receiver.recv().await {
            Ok(message) => {
                if outgoing.try_send(event(&message)).is_err() {
                    return too_slow.cancel();
                }
            }
            Err(broadcast::error::RecvError::Lagged(_)) => return too_slow.cancel(),
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}
