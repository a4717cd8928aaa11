//! Mail goes through the job queue to the outbox folder by default, or to a
//! real SMTP server (aiosmtpd, started by scripts/test) over STARTTLS or
//! implicit TLS with authentication.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use platform::config::Config;
use platform::jobs::JobState;
use platform::Platform;
use support::{Backend, TestEnv};
use tokio_util::sync::CancellationToken;

const LIMIT: Duration = Duration::from_secs(30);

/// Queues the test mail to `to`, runs a worker until the job settles, and
/// returns the job's final state.
async fn send_test_mail(
    env: &TestEnv,
    adjust: impl FnOnce(&mut Config),
    to: &str,
    instance: &str,
) -> platform::jobs::Job {
    let mut config = env.config();
    config.job_max_attempts = 2;
    adjust(&mut config);
    let platform: Platform = athlos::server::connect(config).await.unwrap();
    platform.db.migrate(&athlos::server::migrations()).await.unwrap();
    let mut tx = platform.db.begin().await.unwrap();
    let id = platform
        .mailer
        .enqueue(&platform.jobs, &mut tx, "test", to, serde_json::json!({ "instance": instance }))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let stop = CancellationToken::new();
    let worker = tokio::spawn(platform.worker(platform.job_handlers()).run(stop.clone()));
    let started = Instant::now();
    let job = loop {
        let job = platform.jobs.get(&id).await.unwrap();
        if matches!(job.state, JobState::Done | JobState::Dead) {
            break job;
        }
        assert!(started.elapsed() < LIMIT, "the mail job did not settle: {job:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    stop.cancel();
    worker.await.unwrap();
    job
}

/// The messages in `folder` whose text contains `needle`.
fn messages_containing(folder: &Path, needle: &str) -> Vec<String> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .filter(|text| text.contains(needle))
                .collect()
        })
        .unwrap_or_default()
}

fn assert_is_the_test_mail(message: &str, instance: &str) {
    assert!(message.contains("Subject: Athlos can send mail"), "{message}");
    assert!(message.contains("From: Athlos <athlos@localhost>"), "{message}");
    assert!(message.contains("Content-Type: text/plain"), "a text part: {message}");
    assert!(message.contains("Content-Type: text/html"), "an HTML part: {message}");
    assert!(message.contains(instance), "{message}");
}

fn recipient() -> String {
    format!("{}@example.org", uuid::Uuid::now_v7().simple())
}

async fn mail_lands_in_the_outbox_by_default(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let to = recipient();
    let job = send_test_mail(&env, |_| {}, &to, "outbox-instance").await;
    assert_eq!(job.state, JobState::Done);
    let found = messages_containing(&env.data_dir().join("outbox"), &to);
    assert_eq!(found.len(), 1);
    assert_is_the_test_mail(&found[0], "outbox-instance");
}

fn smtp(var: &str) -> Option<(String, PathBuf, PathBuf)> {
    let url = support::service(var, "the test SMTP server")?;
    let ca = support::service("TEST_SMTP_CA_FILE", "the test SMTP server's CA")?;
    let maildir = support::service("TEST_SMTP_MAILDIR", "the test SMTP server's mail folder")?;
    Some((url, ca.into(), maildir.into()))
}

async fn delivered_over(var: &str, backend: Backend) {
    let Some((url, ca, maildir)) = smtp(var) else { return };
    let env = TestEnv::new(backend).await;
    let to = recipient();
    let job = send_test_mail(
        &env,
        |c| {
            c.smtp_url = Some(url);
            c.smtp_ca_file = Some(ca);
        },
        &to,
        "smtp-instance",
    )
    .await;
    assert_eq!(job.state, JobState::Done, "{:?}", job.last_error);
    let found = messages_containing(&maildir, &format!("X-Envelope-To: {to}"));
    assert_eq!(found.len(), 1, "the SMTP server received the mail once");
    assert_is_the_test_mail(&found[0], "smtp-instance");
    assert!(!env.data_dir().join("outbox").exists(), "nothing goes to the outbox when SMTP is set");
}

async fn mail_is_delivered_over_starttls_with_auth(backend: Backend) {
    delivered_over("TEST_SMTP_STARTTLS_URL", backend).await;
}

async fn mail_is_delivered_over_implicit_tls_with_auth(backend: Backend) {
    delivered_over("TEST_SMTP_TLS_URL", backend).await;
}

async fn a_refused_login_leaves_the_mail_dead_and_unsent(backend: Backend) {
    let Some((url, ca, maildir)) = smtp("TEST_SMTP_STARTTLS_URL") else { return };
    let env = TestEnv::new(backend).await;
    let to = recipient();
    let wrong = url.replace("test-password", "wrong-password");
    let job = send_test_mail(
        &env,
        |c| {
            c.smtp_url = Some(wrong);
            c.smtp_ca_file = Some(ca);
        },
        &to,
        "x",
    )
    .await;
    assert_eq!(job.state, JobState::Dead);
    let error = job.last_error.unwrap();
    assert!(error.contains("SMTP"), "{error}");
    assert!(!error.contains("wrong-password"), "the password never shows in errors: {error}");
    assert!(messages_containing(&maildir, &to).is_empty());
}

async fn an_untrusted_certificate_is_refused(backend: Backend) {
    let Some((url, _ca, maildir)) = smtp("TEST_SMTP_STARTTLS_URL") else { return };
    let env = TestEnv::new(backend).await;
    let to = recipient();
    // Without the test CA the server's certificate is not trusted.
    let job = send_test_mail(&env, |c| c.smtp_url = Some(url), &to, "x").await;
    assert_eq!(job.state, JobState::Dead, "the mail is retried, then given up");
    assert_eq!(job.attempts, 2);
    assert!(messages_containing(&maildir, &to).is_empty());
}

on_every_database!(
    mail_lands_in_the_outbox_by_default,
    mail_is_delivered_over_starttls_with_auth,
    mail_is_delivered_over_implicit_tls_with_auth,
    a_refused_login_leaves_the_mail_dead_and_unsent,
    an_untrusted_certificate_is_refused,
);
