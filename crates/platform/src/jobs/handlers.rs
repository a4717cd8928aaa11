//! The registry of what to run for each kind of job.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use futures::future::BoxFuture;
use serde_json::Value;

/// What a handler is given: the job's payload and which attempt this is.
#[derive(Clone, Debug)]
pub struct JobContext {
    pub id: String,
    pub kind: String,
    pub attempt: u32,
    pub payload: Value,
}

/// Why a run failed, and whether trying again could help.
#[derive(Debug)]
pub struct JobFailure {
    pub message: String,
    /// A permanent failure (a payload that can never work) goes straight to dead.
    pub permanent: bool,
}

impl JobFailure {
    pub fn retry(message: impl std::fmt::Display) -> Self {
        Self { message: message.to_string(), permanent: false }
    }

    pub fn permanent(message: impl std::fmt::Display) -> Self {
        Self { message: message.to_string(), permanent: true }
    }
}

type Handler = Arc<dyn Fn(JobContext) -> BoxFuture<'static, Result<(), JobFailure>> + Send + Sync>;

#[derive(Clone, Default)]
pub struct JobHandlers {
    by_kind: HashMap<String, Handler>,
    /// Kinds that run once every so often, with no change causing them.
    periodic: Vec<(String, std::time::Duration)>,
}

impl JobHandlers {
    pub fn register<F, Fut>(&mut self, kind: &str, handler: F)
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobFailure>> + Send + 'static,
    {
        self.by_kind.insert(kind.to_string(), Arc::new(move |ctx| Box::pin(handler(ctx))));
    }

    /// Runs `kind` (registered as usual) once every `every`, across all
    /// workers together; the payload is `{}`.
    pub fn schedule(&mut self, kind: &str, every: std::time::Duration) {
        self.periodic.push((kind.to_string(), every));
    }

    pub(super) fn periodic(&self) -> &[(String, std::time::Duration)] {
        &self.periodic
    }

    pub(super) fn get(&self, kind: &str) -> Option<Handler> {
        self.by_kind.get(kind).cloned()
    }

    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.by_kind.keys().map(String::as_str)
    }
}
