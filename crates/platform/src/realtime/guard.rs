//! Who may listen to which topic. A topic is `<kind>:<id>`; the context
//! that owns the kind says who may see it through a [`TopicGuard`]. The
//! platform guards `user:<id>`: a person's own notifications and changes.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use futures::future::BoxFuture;

use crate::http::Caller;

pub trait TopicGuard: Send + Sync {
    /// Ok when `caller` may listen to the topic `<kind>:<id>`; the reason otherwise.
    fn may_listen<'a>(&'a self, caller: &'a Caller, id: &'a str) -> BoxFuture<'a, Result<(), String>>;
}

/// `user:<id>` is its owner's alone.
struct OwnUser;

impl TopicGuard for OwnUser {
    fn may_listen<'a>(&'a self, caller: &'a Caller, id: &'a str) -> BoxFuture<'a, Result<(), String>> {
        let allowed = caller.id == id;
        Box::pin(async move {
            if allowed {
                Ok(())
            } else {
                Err("a person's topic is theirs alone".into())
            }
        })
    }
}

#[derive(Clone)]
pub struct Guards(Arc<RwLock<HashMap<String, Arc<dyn TopicGuard>>>>);

impl Default for Guards {
    fn default() -> Self {
        let guards = Self(Arc::default());
        guards.add("user", Arc::new(OwnUser));
        guards
    }
}

impl Guards {
    /// The guard of the topics `<kind>:…`.
    pub fn add(&self, kind: &str, guard: Arc<dyn TopicGuard>) {
        self.0.write().expect("guards lock").insert(kind.to_string(), guard);
    }

    /// Whether `caller` may listen to `topic`, and if not, why.
    pub async fn check(&self, caller: &Caller, topic: &str) -> Result<(), String> {
        let Some((kind, id)) = topic.split_once(':').filter(|(k, i)| !k.is_empty() && !i.is_empty()) else {
            return Err("a topic is `<kind>:<id>`, such as `user:<your id>`".into());
        };
        let guard = self.0.read().expect("guards lock").get(kind).cloned();
        match guard {
            Some(guard) => guard.may_listen(caller, id).await,
            None => Err(format!("there are no `{kind}` topics")),
        }
    }
}
