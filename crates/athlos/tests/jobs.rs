//! The durable job queue: transactional enqueue, retries with backoff, dead
//! jobs and their retry, several workers, shutdown and a worker killed mid-job.

mod support;

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use platform::jobs::{JobFailure, JobHandlers, JobState};
use platform::Platform;
use support::{Backend, TestEnv};
use tokio_util::sync::CancellationToken;

const LIMIT: Duration = Duration::from_secs(30);

async fn platform(env: &TestEnv, adjust: impl FnOnce(&mut platform::config::Config)) -> Platform {
    let mut config = env.config();
    adjust(&mut config);
    let platform = athlos::server::connect(config).await.unwrap();
    platform.db.migrate(&athlos::server::migrations()).await.unwrap();
    platform
}

async fn enqueue(platform: &Platform, kind: &str, payload: serde_json::Value) -> String {
    let mut tx = platform.db.begin().await.unwrap();
    let id = platform.jobs.enqueue(&mut tx, kind, &payload).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn wait_for_state(platform: &Platform, id: &str, state: JobState) -> platform::jobs::Job {
    let started = Instant::now();
    loop {
        let job = platform.jobs.get(id).await.unwrap();
        if job.state == state {
            return job;
        }
        assert!(started.elapsed() < LIMIT, "job {id} did not become {state:?}: {job:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn start(platform: &Platform, handlers: JobHandlers) -> (CancellationToken, tokio::task::JoinHandle<()>) {
    let stop = CancellationToken::new();
    let task = tokio::spawn(platform.worker(handlers).run(stop.clone()));
    (stop, task)
}

async fn a_job_exists_only_if_its_transaction_commits(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let platform = platform(&env, |_| {}).await;

    let mut tx = platform.db.begin().await.unwrap();
    platform.jobs.enqueue(&mut tx, "test.noop", &serde_json::json!({})).await.unwrap();
    tx.rollback().await.unwrap();
    assert!(platform.jobs.list(None, 10).await.unwrap().is_empty());

    let id = enqueue(&platform, "test.noop", serde_json::json!({ "n": 1 })).await;
    let jobs = platform.jobs.list(None, 10).await.unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!((jobs[0].id.as_str(), jobs[0].state, jobs[0].attempts), (id.as_str(), JobState::Queued, 0));
    assert_eq!(jobs[0].payload["n"], 1);
}

/// The worker is woken by the commit of the transaction that queued the job:
/// woken earlier (as it once was), on PostgreSQL it found nothing yet and
/// slept a whole poll, a second for every upload. Here the poll is an hour,
/// so only the wake-up can run the jobs; a rolled-back job wakes nobody.
async fn a_job_runs_as_soon_as_its_transaction_commits(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let platform = platform(&env, |c| c.job_poll_ms = 3_600_000).await;
    let mut handlers = JobHandlers::default();
    handlers.register("test.noop", |_| async { Ok(()) });
    let (stop, task) = start(&platform, handlers);
    for n in 0..5 {
        let mut tx = platform.db.begin().await.unwrap();
        let id = platform.jobs.enqueue(&mut tx, "test.noop", &serde_json::json!({ "n": n })).await.unwrap();
        // More of the transaction's work after the job is queued, as an upload does.
        sqlx::query("SELECT 1").execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        wait_for_state(&platform, &id, JobState::Done).await;
    }
    let mut tx = platform.db.begin().await.unwrap();
    platform.jobs.enqueue(&mut tx, "test.noop", &serde_json::json!({})).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(platform.jobs.list(None, 10).await.unwrap().len(), 5);
    stop.cancel();
    task.await.unwrap();
}

async fn a_failing_job_is_retried_with_backoff_until_it_succeeds(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let platform = platform(&env, |c| c.job_retry_base_ms = 200).await;
    let runs: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let mut handlers = JobHandlers::default();
    let seen = runs.clone();
    handlers.register("test.flaky", move |ctx| {
        seen.lock().unwrap().push(Instant::now());
        async move {
            if ctx.attempt < 3 {
                Err(JobFailure::retry(format!("attempt {} fails", ctx.attempt)))
            } else {
                Ok(())
            }
        }
    });
    let id = enqueue(&platform, "test.flaky", serde_json::json!({})).await;
    let (stop, task) = start(&platform, handlers);
    let job = wait_for_state(&platform, &id, JobState::Done).await;
    stop.cancel();
    task.await.unwrap();

    assert_eq!(job.attempts, 3);
    assert_eq!(job.last_error, None);
    let runs = runs.lock().unwrap();
    assert_eq!(runs.len(), 3);
    // Exponential: the second wait is twice the first. A job's next run is
    // kept in whole milliseconds, so a wait may come out up to one short.
    assert!(runs[1] - runs[0] >= Duration::from_millis(199), "{:?}", runs[1] - runs[0]);
    assert!(runs[2] - runs[1] >= Duration::from_millis(399), "{:?}", runs[2] - runs[1]);
}

async fn a_job_that_keeps_failing_ends_dead_and_can_be_retried(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let platform = platform(&env, |c| c.job_max_attempts = 3).await;
    let healthy = Arc::new(AtomicU32::new(0));
    let mut handlers = JobHandlers::default();
    let flag = healthy.clone();
    handlers.register("test.broken", move |_| {
        let ok = flag.load(Ordering::SeqCst) == 1;
        async move {
            if ok {
                Ok(())
            } else {
                Err(JobFailure::retry("the remote end is down"))
            }
        }
    });
    let id = enqueue(&platform, "test.broken", serde_json::json!({})).await;
    let unknown = enqueue(&platform, "test.nobody-handles-this", serde_json::json!({})).await;
    let (stop, task) = start(&platform, handlers);

    let dead = wait_for_state(&platform, &id, JobState::Dead).await;
    assert_eq!(dead.attempts, 3);
    assert_eq!(dead.last_error.as_deref(), Some("the remote end is down"));
    let orphan = wait_for_state(&platform, &unknown, JobState::Dead).await;
    assert_eq!(orphan.attempts, 1, "a job nobody can run is not retried");
    assert!(orphan.last_error.unwrap().contains("no handler"));

    assert!(matches!(platform.jobs.retry("no-such-job").await, Err(platform::jobs::JobError::NotFound(_))));
    healthy.store(1, Ordering::SeqCst);
    platform.jobs.retry(&id).await.unwrap();
    let done = wait_for_state(&platform, &id, JobState::Done).await;
    assert_eq!(done.attempts, 1, "a retried job starts with fresh attempts");
    assert!(matches!(platform.jobs.retry(&id).await, Err(platform::jobs::JobError::NotDead { .. })));
    stop.cancel();
    task.await.unwrap();
}

async fn many_workers_run_each_job_exactly_once(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let platform = platform(&env, |c| c.worker_concurrency = 4).await;
    let runs: Arc<Mutex<HashMap<u64, u32>>> = Arc::default();
    let mut handlers = JobHandlers::default();
    let seen = runs.clone();
    handlers.register("test.count", move |ctx| {
        let seen = seen.clone();
        async move {
            tokio::task::yield_now().await;
            *seen.lock().unwrap().entry(ctx.payload["n"].as_u64().unwrap()).or_default() += 1;
            Ok(())
        }
    });
    let mut ids = Vec::new();
    for n in 0..60u64 {
        ids.push(enqueue(&platform, "test.count", serde_json::json!({ "n": n })).await);
    }
    let workers: Vec<_> = (0..3).map(|_| start(&platform, handlers.clone())).collect();
    for id in &ids {
        wait_for_state(&platform, id, JobState::Done).await;
    }
    for (stop, task) in workers {
        stop.cancel();
        task.await.unwrap();
    }
    let runs = runs.lock().unwrap();
    assert_eq!(runs.len(), 60);
    assert!(runs.values().all(|&count| count == 1), "{runs:?}");
}

async fn shutdown_releases_running_jobs(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let platform = platform(&env, |_| {}).await;
    let started = Arc::new(tokio::sync::Notify::new());
    let mut stuck = JobHandlers::default();
    let signal = started.clone();
    stuck.register("test.long", move |_| {
        signal.notify_one();
        std::future::pending()
    });
    let id = enqueue(&platform, "test.long", serde_json::json!({})).await;
    let (stop, task) = start(&platform, stuck);
    started.notified().await;
    stop.cancel();
    task.await.unwrap();

    let released = platform.jobs.get(&id).await.unwrap();
    assert_eq!((released.state, released.attempts), (JobState::Queued, 0), "the interrupted run does not count");

    let mut quick = JobHandlers::default();
    quick.register("test.long", |_| async { Ok(()) });
    let (stop, task) = start(&platform, quick);
    let done = wait_for_state(&platform, &id, JobState::Done).await;
    assert_eq!(done.attempts, 1);
    stop.cancel();
    task.await.unwrap();
}

/// A worker process dies (SIGKILL) in the middle of delivering a mail; once
/// its lease runs out another worker takes the job and the mail goes out once.
async fn a_job_survives_its_worker_being_killed(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let platform = platform(&env, |_| {}).await;
    // An SMTP "server" that accepts the connection and never answers, so the
    // first worker is certainly in the middle of the job when it is killed.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_url = format!("smtp://{}?tls=none", silent.local_addr().unwrap());
    let mut tx = platform.db.begin().await.unwrap();
    let id = platform
        .mailer
        .enqueue(&platform.jobs, &mut tx, "test", "runner@example.org", serde_json::json!({ "instance": "test" }))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let worker = |extra: Vec<(&str, String)>| {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_athlos"));
        command.arg("worker").envs(env.child_env()).env("ATHLOS_JOB_HEARTBEAT_MS", "300");
        command.envs(extra).stdout(Stdio::null()).stderr(Stdio::null()).kill_on_drop(true);
        command.spawn().unwrap()
    };
    let mut first = worker(vec![("ATHLOS_SMTP_URL", silent_url)]);
    let (_held, _) =
        tokio::time::timeout(LIMIT, silent.accept()).await.expect("the first worker starts the job").unwrap();
    let job = platform.jobs.get(&id).await.unwrap();
    assert_eq!((job.state, job.attempts), (JobState::Running, 1));
    first.kill().await.unwrap();

    let outbox = env.dir.path().join("outbox-of-the-second");
    let mut second = worker(vec![("ATHLOS_OUTBOX_DIR", outbox.display().to_string())]);
    let done = wait_for_state(&platform, &id, JobState::Done).await;
    second.kill().await.unwrap();

    assert_eq!(done.attempts, 2);
    let mails: Vec<_> = std::fs::read_dir(&outbox).unwrap().filter_map(Result::ok).collect();
    assert_eq!(mails.len(), 1, "the mail is delivered exactly once");
}

/// A job that runs for longer than its lease keeps it by heartbeats: a
/// second worker polling all the while never starts it a second time.
async fn a_long_job_keeps_its_lease_by_heartbeats(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let platform = platform(&env, |c| c.job_heartbeat_ms = 100).await;
    let runs = Arc::new(AtomicU32::new(0));
    let finish = Arc::new(tokio::sync::Notify::new());
    let mut handlers = JobHandlers::default();
    let (counted, released) = (runs.clone(), finish.clone());
    handlers.register("test.long", move |_| {
        let (counted, released) = (counted.clone(), released.clone());
        async move {
            counted.fetch_add(1, Ordering::SeqCst);
            released.notified().await;
            Ok(())
        }
    });
    let id = enqueue(&platform, "test.long", serde_json::json!({})).await;
    let workers: Vec<_> = (0..2).map(|_| start(&platform, handlers.clone())).collect();
    let first = wait_for_state(&platform, &id, JobState::Running).await.locked_until.unwrap();
    // Renewed again and again, until well past three leases (of 300 ms) from the claim.
    let started = Instant::now();
    loop {
        let job = platform.jobs.get(&id).await.unwrap();
        if job.locked_until.unwrap() > first + 1_000 {
            break;
        }
        assert!(started.elapsed() < LIMIT, "the lease was not renewed: {job:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1, "nobody else started the job while its lease was kept");
    finish.notify_waiters();
    let done = wait_for_state(&platform, &id, JobState::Done).await;
    assert_eq!((done.attempts, runs.load(Ordering::SeqCst)), (1, 1));
    for (stop, task) in workers {
        stop.cancel();
        task.await.unwrap();
    }
}

async fn the_cli_lists_and_retries_dead_jobs(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let platform = platform(&env, |_| {}).await;
    let id = enqueue(&platform, "test.unhandled", serde_json::json!({})).await;
    let mut handlers = JobHandlers::default();
    handlers.register("test.other", |_| async { Ok(()) });
    let (stop, task) = start(&platform, handlers);
    wait_for_state(&platform, &id, JobState::Dead).await;
    stop.cancel();
    task.await.unwrap();

    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_athlos")).args(args).envs(env.child_env()).output().unwrap()
    };
    let listed = cli(&["jobs", "list", "--state", "dead", "--json"]);
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(listed.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], id.as_str());

    let table = cli(&["jobs", "list"]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("test.unhandled"));

    let retried = cli(&["jobs", "retry", &id]);
    assert!(retried.status.success(), "{}", String::from_utf8_lossy(&retried.stderr));
    assert_eq!(platform.jobs.get(&id).await.unwrap().state, JobState::Queued);

    let again = cli(&["jobs", "retry", &id]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("only dead jobs can be retried"));
    let bad_state = cli(&["jobs", "list", "--state", "sleeping"]);
    assert_eq!(bad_state.status.code(), Some(2));
}

on_every_database!(
    a_job_exists_only_if_its_transaction_commits,
    a_job_runs_as_soon_as_its_transaction_commits,
    a_failing_job_is_retried_with_backoff_until_it_succeeds,
    a_job_that_keeps_failing_ends_dead_and_can_be_retried,
    many_workers_run_each_job_exactly_once,
    shutdown_releases_running_jobs,
    a_job_survives_its_worker_being_killed,
    a_long_job_keeps_its_lease_by_heartbeats,
    the_cli_lists_and_retries_dead_jobs,
);
