//! The topics of one process: who listens here, and the recent messages of
//! each, kept for a short window so that a client that reconnects resumes
//! where it left off.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::broadcast;

use super::Message;

/// How many messages a topic keeps for resuming, and for how long.
pub const RESUME_MESSAGES: usize = 256;
pub const RESUME_WINDOW: Duration = Duration::from_secs(300);
/// Messages a listener may fall behind by before it is cut off as too slow.
pub const LISTENER_BACKLOG: usize = 256;

struct Topic {
    sender: broadcast::Sender<Arc<Message>>,
    recent: VecDeque<(Instant, Arc<Message>)>,
}

impl Topic {
    fn new() -> Self {
        Self { sender: broadcast::channel(LISTENER_BACKLOG).0, recent: VecDeque::new() }
    }

    fn forget_old(&mut self, now: Instant) {
        while self.recent.len() > RESUME_MESSAGES
            || self.recent.front().is_some_and(|(at, _)| now.duration_since(*at) > RESUME_WINDOW)
        {
            self.recent.pop_front();
        }
    }
}

/// What a subscription starts with.
pub struct Subscription {
    /// Messages after the one the client saw last, to send first.
    pub missed: Vec<Arc<Message>>,
    /// False when the client's last message is older than the window: it
    /// must fetch the state afresh.
    pub resumed: bool,
    pub receiver: broadcast::Receiver<Arc<Message>>,
}

#[derive(Clone, Default)]
pub struct Hub {
    topics: Arc<Mutex<HashMap<String, Topic>>>,
}

impl Hub {
    /// Hands a message that reached this process to its topic's listeners.
    pub fn deliver(&self, message: Arc<Message>) {
        let now = Instant::now();
        let mut topics = self.topics.lock().expect("hub lock");
        let topic = topics.entry(message.topic.clone()).or_insert_with(Topic::new);
        topic.recent.push_back((now, message.clone()));
        topic.forget_old(now);
        // Nobody listening here is not an error: the message is kept for resuming.
        let _ = topic.sender.send(message);
    }

    /// Listens to `topic`; with `after`, also returns what came after that
    /// message id, if it is still within the window.
    pub fn subscribe(&self, topic: &str, after: Option<&str>) -> Subscription {
        let now = Instant::now();
        let mut topics = self.topics.lock().expect("hub lock");
        let state = topics.entry(topic.to_string()).or_insert_with(Topic::new);
        state.forget_old(now);
        let receiver = state.sender.subscribe();
        let Some(after) = after else { return Subscription { missed: Vec::new(), resumed: true, receiver } };
        match state.recent.iter().position(|(_, m)| m.id == after) {
            Some(seen) => Subscription {
                missed: state.recent.iter().skip(seen + 1).map(|(_, m)| m.clone()).collect(),
                resumed: true,
                receiver,
            },
            None => Subscription { missed: Vec::new(), resumed: false, receiver },
        }
    }

    /// How many sockets of this process listen to `topic`.
    pub fn listeners(&self, topic: &str) -> usize {
        self.topics.lock().expect("hub lock").get(topic).map_or(0, |t| t.sender.receiver_count())
    }

    /// Drops topics nobody listens to and whose window has passed.
    pub fn sweep(&self) {
        let now = Instant::now();
        let mut topics = self.topics.lock().expect("hub lock");
        topics.retain(|_, topic| {
            topic.forget_old(now);
            topic.sender.receiver_count() > 0 || !topic.recent.is_empty()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(topic: &str, n: usize) -> Arc<Message> {
        let mut message = Message::new(topic, "Tick", serde_json::json!(n));
        message.id = format!("{n:04}");
        Arc::new(message)
    }

    #[test]
    fn resumes_after_a_message_it_still_holds_and_not_after_one_it_forgot() {
        let hub = Hub::default();
        for n in 0..RESUME_MESSAGES + 10 {
            hub.deliver(message("user:a", n));
        }
        let resumed = hub.subscribe("user:a", Some("0200"));
        assert!(resumed.resumed);
        assert_eq!(resumed.missed.first().unwrap().id, "0201");
        assert_eq!(resumed.missed.len(), RESUME_MESSAGES + 10 - 201);
        let too_old = hub.subscribe("user:a", Some("0001"));
        assert!(!too_old.resumed && too_old.missed.is_empty());
        assert!(hub.subscribe("user:b", None).missed.is_empty());
    }
}
