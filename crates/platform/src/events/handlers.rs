//! The registry of what each context does with each kind of event.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::Arc;

use futures::future::BoxFuture;

use super::Event;
use crate::db::Transaction;

/// Why a handler failed. The transaction it was given is rolled back and
/// the event tried again, up to `ATHLOS_EVENT_MAX_ATTEMPTS` times.
#[derive(Debug)]
pub struct HandlerError(pub String);

impl HandlerError {
    pub fn new(message: impl std::fmt::Display) -> Self {
        Self(message.to_string())
    }
}

impl std::fmt::Display for HandlerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<sqlx::Error> for HandlerError {
    fn from(e: sqlx::Error) -> Self {
        Self::new(e)
    }
}

/// A handler takes the event and the transaction its inbox row is written
/// in, does its work in that transaction, and gives the transaction back
/// to be committed.
pub type Handler =
    Arc<dyn Fn(Event, Transaction) -> BoxFuture<'static, Result<Transaction, HandlerError>> + Send + Sync>;

#[derive(Clone, Default)]
pub struct EventHandlers {
    /// context → kind → handler; ordered, so topology is declared alike everywhere.
    by_context: BTreeMap<String, HashMap<String, Handler>>,
}

impl EventHandlers {
    /// `context` handles events of `kind` with `handler`.
    pub fn on<F, Fut>(&mut self, context: &str, kind: &str, handler: F)
    where
        F: Fn(Event, Transaction) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Transaction, HandlerError>> + Send + 'static,
    {
        let handler: Handler = Arc::new(move |event, tx| Box::pin(handler(event, tx)));
        self.by_context.entry(context.to_string()).or_default().insert(kind.to_string(), handler);
    }

    /// The contexts that consume events.
    pub fn contexts(&self) -> impl Iterator<Item = &str> {
        self.by_context.keys().map(String::as_str)
    }

    /// The kinds `context` handles, sorted.
    pub fn kinds(&self, context: &str) -> Vec<&str> {
        let mut kinds: Vec<&str> =
            self.by_context.get(context).map(|k| k.keys().map(String::as_str).collect()).unwrap_or_default();
        kinds.sort_unstable();
        kinds
    }

    pub fn get(&self, context: &str, kind: &str) -> Option<Handler> {
        self.by_context.get(context)?.get(kind).cloned()
    }

    /// Only the consumers of the contexts this process serves.
    pub fn only(&self, modules: &[String]) -> Self {
        let by_context =
            self.by_context.iter().filter(|(c, _)| modules.contains(c)).map(|(c, h)| (c.clone(), h.clone())).collect();
        Self { by_context }
    }

    pub fn is_empty(&self) -> bool {
        self.by_context.is_empty()
    }
}
