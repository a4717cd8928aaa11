//! The event bus end to end, on every database and every bus: the relay
//! publishes the outbox, each consuming context handles each event once and
//! in order per subject, through duplicates, a poison event, a broker
//! connection cut mid-stream and two relays at once.

mod support;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use platform::events::{Delivery, EventHandlers, HandlerError};
use platform::outbox::{self, DomainEvent};
use platform::Platform;
use sqlx::Row;
use support::bus::{published, Bus};
use support::proxy::Proxy;
use support::{eventually, Backend, TestEnv};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

const CONTEXTS: [&str; 2] = ["alpha", "beta"];
const PATIENCE: Duration = Duration::from_secs(60);

/// One process's events: its platform, the probes' handlers and its tasks.
struct Process {
    platform: Platform,
    handlers: EventHandlers,
    shutdown: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl Process {
    async fn start(env: &TestEnv, bus_url: Option<String>, namespace: &str, poison: Poison) -> Self {
        let mut config = env.config();
        config.bus_url = bus_url;
        config.bus_namespace = namespace.into();
        config.event_max_attempts = 3;
        config.event_retry_base_ms = 10;
        config.relay_poll_ms = 10;
        if let Ok(filter) = std::env::var("EVENTS_TEST_LOG") {
            platform::telemetry::init(&filter, platform::config::LogFormat::Pretty);
        }
        let platform = athlos::server::connect(config).await.expect("connect");
        platform.db.migrate(&athlos::server::migrations()).await.expect("migrate");
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS probe_seen (context TEXT NOT NULL, event_id TEXT NOT NULL, \
             subject_id TEXT NOT NULL, n BIGINT NOT NULL, position BIGINT NOT NULL)",
        )
        .execute(platform.db.pool())
        .await
        .expect("probe table");
        let handlers = probes(poison);
        let shutdown = CancellationToken::new();
        let modules: Vec<String> = CONTEXTS.iter().map(|c| c.to_string()).collect();
        let tasks = platform.events.start(&handlers, &modules, &shutdown);
        Self { platform, handlers, shutdown, tasks }
    }

    /// Stops the relay and the consumers and waits for them: a relay finishes
    /// the round it is in, so its metrics are final once this returns.
    async fn stop(self) -> Platform {
        self.shutdown.cancel();
        for task in self.tasks {
            task.await.expect("event task");
        }
        self.platform
    }
}

/// The subject whose events always fail, while set.
type Poison = Arc<Mutex<Option<String>>>;

/// Both probe contexts note each `Tick` they handle, in their transaction.
fn probes(poison: Poison) -> EventHandlers {
    static POSITION: AtomicI64 = AtomicI64::new(0);
    let mut handlers = EventHandlers::default();
    for context in CONTEXTS {
        let poison = poison.clone();
        handlers.on(context, "Tick", move |event, mut tx| {
            let poisoned = poison.lock().unwrap().as_deref() == Some(event.subject_id.as_str());
            async move {
                if poisoned {
                    return Err(HandlerError::new("this subject always fails"));
                }
                let n: i64 = event.payload::<serde_json::Value>()?["n"].as_i64().unwrap();
                sqlx::query(
                    "INSERT INTO probe_seen (context, event_id, subject_id, n, position) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(context)
                .bind(&event.id)
                .bind(&event.subject_id)
                .bind(n)
                .bind(POSITION.fetch_add(1, Ordering::SeqCst))
                .execute(&mut *tx)
                .await?;
                Ok(tx)
            }
        });
    }
    handlers
}

async fn tick(platform: &Platform, subject: &str, n: i64) {
    let mut tx = platform.db.begin().await.unwrap();
    let payload = serde_json::json!({ "n": n });
    let event = DomainEvent { kind: "Tick", subject_id: subject, user_id: "someone", payload: &payload };
    outbox::record(&mut tx, &event).await.unwrap();
    tx.commit().await.unwrap();
}

/// Writes ticks numbered `numbers` on each subject, the subjects concurrently.
async fn ticks(platform: &Platform, subjects: &[String], numbers: std::ops::Range<i64>) {
    let writers = subjects.iter().map(|subject| {
        let numbers = numbers.clone();
        async move {
            for n in numbers {
                tick(platform, subject, n).await;
            }
        }
    });
    futures::future::join_all(writers).await;
}

struct Seen {
    context: String,
    event_id: String,
    subject_id: String,
    n: i64,
}

async fn seen(platform: &Platform) -> Vec<Seen> {
    let rows = sqlx::query("SELECT context, event_id, subject_id, n FROM probe_seen ORDER BY position")
        .fetch_all(platform.db.pool())
        .await
        .unwrap();
    rows.iter()
        .map(|r| Seen {
            context: r.get("context"),
            event_id: r.get("event_id"),
            subject_id: r.get("subject_id"),
            n: r.get("n"),
        })
        .collect()
}

async fn count_seen(platform: &Platform) -> usize {
    seen(platform).await.len()
}

/// Every context handled each event once, and each subject's in order.
fn assert_once_in_order(seen: &[Seen]) {
    let mut keys: Vec<(&str, &str)> = seen.iter().map(|s| (s.context.as_str(), s.event_id.as_str())).collect();
    keys.sort_unstable();
    let before = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), before, "an event was handled twice by one context");
    for context in CONTEXTS {
        let mut last: std::collections::HashMap<&str, i64> = Default::default();
        for s in seen.iter().filter(|s| s.context == context) {
            let previous = last.insert(&s.subject_id, s.n);
            assert!(previous.is_none_or(|p| p < s.n), "{context} saw {} #{} after #{previous:?}", s.subject_id, s.n);
        }
    }
}

fn namespace() -> String {
    format!("test-{}", uuid::Uuid::now_v7().simple())
}

fn subjects(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("subject-{i}-{}", uuid::Uuid::now_v7().simple())).collect()
}

async fn each_event_reaches_each_context_once_in_order(backend: Backend, bus: Bus) {
    let env = TestEnv::new(backend).await;
    let process = Process::start(&env, bus.url().unwrap(), &namespace(), Poison::default()).await;
    let p = &process.platform;
    ticks(p, &subjects(6), 0..10).await;
    eventually("120 handlings", PATIENCE, || async { count_seen(p).await >= 120 }).await;

    // Every event delivered again, as after a relay that died before marking
    // its batch: a marker behind them shows when they have all gone through.
    sqlx::query("UPDATE outbox_events SET published_at = NULL").execute(p.db.pool()).await.unwrap();
    tick(p, "marker", 0).await;
    eventually("the marker", PATIENCE, || async { count_seen(p).await >= 122 }).await;
    let seen = seen(p).await;
    assert_eq!(seen.len(), 122, "the duplicates changed nothing");
    assert_once_in_order(&seen);
    process.stop().await;
}

async fn a_poison_event_goes_dead_while_the_rest_flow_on(backend: Backend, bus: Bus) {
    let env = TestEnv::new(backend).await;
    let poison = Poison::default();
    *poison.lock().unwrap() = Some("poison".into());
    let process = Process::start(&env, bus.url().unwrap(), &namespace(), poison.clone()).await;
    let p = &process.platform;
    tick(p, "poison", 0).await;
    ticks(p, &subjects(2), 0..5).await;
    eventually("the events behind the poison", PATIENCE, || async { count_seen(p).await >= 20 }).await;
    eventually("two dead letters", PATIENCE, || async {
        platform::events::store::dead_letters(&p.db, &[]).await.unwrap().len() == 2
    })
    .await;
    let dead = platform::events::store::dead_letters(&p.db, &[]).await.unwrap();
    assert!(dead
        .iter()
        .all(|d| d.attempts == 3 && d.last_error.contains("always fails") && d.event.subject_id == "poison"));

    // Still broken: a replay fails again and the letters stay dead.
    let again = p.events.replay(&process.handlers, &[]).await.unwrap();
    assert!(again.iter().all(|(_, delivery)| *delivery == Delivery::Dead));

    // Fixed: a replay handles it once, and a second replay finds nothing.
    *poison.lock().unwrap() = None;
    let replayed = p.events.replay(&process.handlers, &[dead[0].event.id.clone()]).await.unwrap();
    assert_eq!(replayed.len(), 2);
    assert!(replayed.iter().all(|(_, delivery)| *delivery == Delivery::Handled));
    assert!(platform::events::store::dead_letters(&p.db, &[]).await.unwrap().is_empty());
    assert!(p.events.replay(&process.handlers, &[]).await.unwrap().is_empty());
    assert_eq!(seen(p).await.iter().filter(|s| s.subject_id == "poison").count(), 2);
    process.stop().await;
}

async fn a_cut_connection_loses_and_repeats_nothing(backend: Backend, bus: Bus) {
    let Some(address) = bus.address() else { return }; // in-process: no connection to cut
    let env = TestEnv::new(backend).await;
    let proxy = Proxy::start(address).await;
    let process = Process::start(&env, bus.url_through(proxy.addr), &namespace(), Poison::default()).await;
    let p = &process.platform;
    let subjects = subjects(5);
    let mut cuts = 0;
    for round in 0..6i64 {
        ticks(p, &subjects, round * 5..round * 5 + 5).await;
        // Cut while events are in flight, as soon as some of this round got through.
        let expected = (round as usize * 25 + 1) * 2;
        eventually("some of the round", PATIENCE, || async { count_seen(p).await >= expected }).await;
        cuts += proxy.cut();
    }
    assert!(cuts > 0, "the proxy cut live connections");
    eventually("all 300 handlings", PATIENCE, || async { count_seen(p).await >= 300 }).await;
    let seen = seen(p).await;
    assert_eq!(seen.len(), 300);
    assert_once_in_order(&seen);
    process.stop().await;
}

async fn two_relays_publish_each_event_once(backend: Backend, bus: Bus) {
    let env = TestEnv::new(backend).await;
    let namespace = namespace();
    let first = Process::start(&env, bus.url().unwrap(), &namespace, Poison::default()).await;
    let second = Process::start(&env, bus.url().unwrap(), &namespace, Poison::default()).await;
    let (a, b) = (&first.platform, &second.platform);
    let subjects = subjects(4);
    futures::future::join(ticks(a, &subjects[..2], 0..25), ticks(b, &subjects[2..], 0..25)).await;
    eventually("200 handlings", PATIENCE, || async { count_seen(a).await >= 200 }).await;
    let seen = seen(a).await;
    assert_eq!(seen.len(), 200);
    assert_once_in_order(&seen);
    // A relay counts a batch after marking it published, which can be after
    // its events were handled; once stopped, both counts are final.
    let (a, b) = (first.stop().await, second.stop().await);
    assert_eq!(published(&a) + published(&b), 100, "each event was published once, by one relay");
}

on_every_bus_and_database!(
    each_event_reaches_each_context_once_in_order,
    a_poison_event_goes_dead_while_the_rest_flow_on,
    a_cut_connection_loses_and_repeats_nothing,
    two_relays_publish_each_event_once,
);
