//! The binary as a person meets it: `serve` on the embedded defaults,
//! `config check`, and the clear refusals (bad setting, port in use,
//! unreachable database).

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use support::{Backend, TestEnv};

fn athlos(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_athlos"));
    command.current_dir(dir);
    // The test run's own settings must not leak into the child.
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("ATHLOS_")) {
        command.env_remove(key);
    }
    command
}

/// Starts `athlos serve` and returns it with the URL it printed.
fn serve(mut command: Command) -> (Child, String) {
    let mut child = command.arg("serve").stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines.next().expect("serve prints a line").unwrap();
    // Keep reading, as a terminal would, so the server never writes into a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let url = line.strip_prefix("Athlos is running at ").unwrap_or_else(|| panic!("unexpected: {line}")).to_string();
    (child, url)
}

fn terminate(child: &mut Child) -> std::process::ExitStatus {
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    child.wait().unwrap()
}

#[tokio::test]
async fn serve_runs_on_embedded_defaults_and_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = athlos(dir.path());
    // Port 0 stands in for the default 8080, which another test run may hold.
    command.env("ATHLOS_LISTEN", "127.0.0.1:0");
    let (mut child, url) = serve(command);

    let health = reqwest::get(format!("{url}/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);

    let data = dir.path().join("athlos-data");
    for made in ["athlos.db", "files", "outbox", "secret.key"] {
        assert!(data.join(made).exists(), "{made} was not created in the data folder");
    }
    let journal = {
        use sqlx::Connection;
        let mut conn =
            sqlx::SqliteConnection::connect(&format!("sqlite://{}", data.join("athlos.db").display())).await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut conn).await.unwrap();
        mode
    };
    assert_eq!(journal, "wal");

    let status = terminate(&mut child);
    assert!(status.success(), "SIGTERM ends serve cleanly: {status}");

    // A second start keeps the same secret key.
    let key = std::fs::read_to_string(data.join("secret.key")).unwrap();
    let mut command = athlos(dir.path());
    command.env("ATHLOS_LISTEN", "127.0.0.1:0");
    let (mut child, _) = serve(command);
    terminate(&mut child);
    assert_eq!(std::fs::read_to_string(data.join("secret.key")).unwrap(), key);
}

/// Client generators read the document from the binary, with no database
/// about: even one configured elsewhere is not touched.
#[test]
fn openapi_prints_the_document_without_any_service() {
    let dir = tempfile::tempdir().unwrap();
    let output = athlos(dir.path())
        .arg("openapi")
        .env("ATHLOS_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    assert!(document["paths"]["/api/v1/workouts"]["post"].is_object());
    assert!(document["components"]["schemas"]["Workout"].is_object());
    assert!(!dir.path().join("athlos-data").exists(), "nothing is left in the working folder");
}

#[test]
fn config_check_shows_the_effective_configuration_with_secrets_masked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("athlos.toml"),
        "listen = \"127.0.0.1:9000\"\nmail_from = \"Club <club@example.org>\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join(".env"), "ATHLOS_LISTEN=127.0.0.1:9100\nATHLOS_SECRET_KEY=from-dotenv-secret\n")
        .unwrap();
    let output = athlos(dir.path())
        .args(["config", "check"])
        .env("ATHLOS_DATABASE_URL", "postgres://athlos:hunter2@db.example.org/athlos")
        .output()
        .unwrap();
    assert!(output.status.success());
    let shown = String::from_utf8(output.stdout).unwrap();
    // .env beats the file; the file beats the default.
    assert!(shown.contains("127.0.0.1:9100"), "{shown}");
    assert!(shown.contains("Club <club@example.org>"), "{shown}");
    assert!(!shown.contains("hunter2") && !shown.contains("from-dotenv-secret"), "{shown}");
    assert!(shown.contains("postgres://athlos:********@db.example.org/athlos"), "{shown}");

    // The environment beats .env.
    let output = athlos(dir.path()).args(["config", "check"]).env("ATHLOS_LISTEN", "127.0.0.1:9200").output().unwrap();
    assert!(String::from_utf8(output.stdout).unwrap().contains("127.0.0.1:9200"));
}

#[test]
fn a_bad_setting_stops_with_one_line_and_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    for (key, value, expected) in [
        ("ATHLOS_LISTEN", "localhost", "ATHLOS_LISTEN"),
        ("ATHLOS_WORKER_CONCURRENCY", "many", "ATHLOS_WORKER_CONCURRENCY"),
        ("ATHLOS_SMTP_URL", "mail.example.org", "ATHLOS_SMTP_URL"),
        ("ATHLOS_LISTN", "127.0.0.1:1", "ATHLOS_LISTN"),
        ("ATHLOS_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}.png", "ATHLOS_MAP_TILES"),
    ] {
        let output = athlos(dir.path()).arg("serve").env(key, value).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{key}={value}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with(&format!("error: configuration: {expected}:")), "{stderr}");
    }
    assert!(!dir.path().join("athlos-data").exists(), "nothing is created on a bad configuration");
}

#[tokio::test]
async fn a_port_in_use_is_reported_clearly() {
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = held.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let output = athlos(dir.path()).arg("serve").env("ATHLOS_LISTEN", &addr).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!("cannot listen on {addr}: another program already uses that address")),
        "{stderr}"
    );
}

#[test]
fn an_unreachable_database_is_retried_then_reported() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let output = athlos(dir.path())
        .arg("migrate")
        .env("ATHLOS_DATABASE_URL", format!("postgres://athlos:s3cret@{closed}/athlos"))
        .env("ATHLOS_DATABASE_CONNECT_TIMEOUT_SECS", "2")
        .env("ATHLOS_LOG_FORMAT", "json")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(started.elapsed() >= Duration::from_secs(1), "it retried before giving up");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("database not reachable yet"), "retries are logged: {stderr}");
    let last = stderr.lines().last().unwrap();
    assert!(last.starts_with("error: cannot reach the database at postgres://athlos:********@"), "{last}");
    assert!(last.contains("Connection refused") && last.contains("ATHLOS_DATABASE_URL"), "{last}");
    assert!(!stderr.contains("s3cret"));
}

async fn migrate_brings_an_empty_database_up_to_date(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let run = || Command::new(env!("CARGO_BIN_EXE_athlos")).arg("migrate").envs(env.child_env()).output().unwrap();
    for _ in 0..2 {
        let output = run();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert!(String::from_utf8_lossy(&output.stdout).contains("up to date"));
    }
    // serve --no-migrate finds the tables migrate made.
    let platform = athlos::server::connect(env.config()).await.unwrap();
    assert!(platform.jobs.list(None, 1).await.unwrap().is_empty());
}

/// `athlos import` reads a folder (here with a Strava-style
/// `activities.csv`) into an account's workouts; a second run adds nothing.
async fn import_reads_a_folder_into_workouts_once(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let platform = athlos::server::connect(env.config()).await.unwrap();
    platform.db.migrate(&athlos::server::migrations()).await.unwrap();
    let contexts = athlos::server::Contexts::new(&platform).await.unwrap();
    let email = support::unique_email("importer");
    let user =
        contexts.identity.create_user(&email, "Importer", "correct horse battery", identity::Role::User).await.unwrap();
    // Without --privacy, workouts take the account's default.
    let public = identity::preferences::ProfileChange { default_privacy: Some("public".into()), ..Default::default() };
    contexts.identity.change_profile(&user, public).await.unwrap();
    let folder = env.dir.path().join("export");
    std::fs::create_dir_all(folder.join("activities")).unwrap();
    std::fs::write(
        folder.join("activities.csv"),
        "Activity Name,Activity Type,Filename\nLake walk,Walk,activities/lake.gpx\n",
    )
    .unwrap();
    std::fs::write(folder.join("activities/lake.gpx"), support::corpus_file("gpx/cerknicko-jezero.gpx")).unwrap();
    std::fs::write(folder.join("activities/run.fit"), support::corpus_file("fit/garmin-fenix-5-run.fit")).unwrap();
    std::fs::write(folder.join("activities/notes.gpx"), "not a track").unwrap();
    std::fs::write(folder.join("readme.txt"), "not an activity file name").unwrap();

    let run = || {
        Command::new(env!("CARGO_BIN_EXE_athlos"))
            .args(["import", "--user", &email])
            .arg(&folder)
            .envs(env.child_env())
            .output()
            .unwrap()
    };
    let first = run();
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(stdout.contains("2 imported, 0 already there, 1 not imported (of 3 activity files)"), "{stdout}");
    assert!(stdout.contains("activities/notes.gpx: not a GPX, TCX or FIT file"), "{stdout}");
    let second = run();
    assert!(String::from_utf8_lossy(&second.stdout).contains("0 imported, 2 already there"));

    let page = contexts.training.list_workouts(&user, Default::default()).await.unwrap();
    let mut titles: Vec<(&str, &str)> = page.items.iter().map(|w| (w.title.as_str(), w.sport.as_str())).collect();
    titles.sort();
    assert_eq!(titles.len(), 2);
    assert_eq!(titles[0], ("Lake walk", "walking"));
    assert!(page.items.iter().all(|w| w.privacy == training::workouts::Privacy::Public));

    let nobody = Command::new(env!("CARGO_BIN_EXE_athlos"))
        .args(["import", "--user", "nobody@example.org"])
        .arg(&folder)
        .envs(env.child_env())
        .output()
        .unwrap();
    assert!(!nobody.status.success());
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("there is no account nobody@example.org"));
}

on_every_database!(migrate_brings_an_empty_database_up_to_date, import_reads_a_folder_into_workouts_once);
