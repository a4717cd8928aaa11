//! The administrative commands: migrate, jobs, config check, mail test.

use std::io::Write;

use anyhow::Context;
use platform::config::Config;
use platform::jobs::Job;

use crate::cli::{AdminCommand, JobsCommand, MailCommand};
use crate::server::{connect, migrations};

pub async fn migrate(config: Config) -> anyhow::Result<()> {
    let platform = connect(config).await?;
    platform.db.migrate(&migrations()).await?;
    println!("The database is up to date.");
    Ok(())
}

/// The document as a server on these contexts serves it, built on a
/// throwaway SQLite database so that it needs nothing installed.
pub async fn openapi(mut config: Config) -> anyhow::Result<()> {
    let scratch = tempfile::tempdir()?;
    config.data_dir = scratch.path().to_path_buf();
    config.database_url = None;
    config.s3_endpoint = None;
    config.files_dir = None;
    config.smtp_url = None;
    config.outbox_dir = None;
    let platform = connect(config).await?;
    platform.db.migrate(&migrations()).await?;
    let contexts = crate::server::Contexts::new(&platform).await?;
    let document = platform::http::document(contexts.routes());
    platform.db.close().await;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{}", document.to_pretty_json()?) {
        // Piped into `head` or the like: the reader has what it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        written => Ok(written?),
    }
}

pub fn config_check(config: &Config) -> anyhow::Result<()> {
    print!("{}", config.masked_toml());
    println!("\nThe configuration is valid.");
    Ok(())
}

pub async fn jobs(config: Config, command: JobsCommand) -> anyhow::Result<()> {
    let platform = connect(config).await?;
    match command {
        JobsCommand::List { state, limit, json } => {
            let jobs = platform.jobs.list(state, limit).await?;
            if json {
                for job in &jobs {
                    println!("{}", serde_json::to_string(job)?);
                }
            } else {
                print_table(&jobs);
            }
        }
        JobsCommand::Retry { ids, all_dead } => {
            if all_dead {
                let count = platform.jobs.retry_all_dead().await?;
                println!("{count} dead job(s) queued again.");
            }
            for id in ids {
                platform.jobs.retry(&id).await.with_context(|| format!("cannot retry {id}"))?;
                println!("{id} queued again.");
            }
        }
    }
    Ok(())
}

fn print_table(jobs: &[Job]) {
    if jobs.is_empty() {
        println!("No jobs.");
        return;
    }
    println!("{:<36}  {:<16}  {:<7}  {:>8}  {:<20}  LAST ERROR", "ID", "KIND", "STATE", "ATTEMPTS", "RUN AT");
    for job in jobs {
        println!(
            "{:<36}  {:<16}  {:<7}  {:>8}  {:<20}  {}",
            job.id,
            job.kind,
            job.state.as_str(),
            format!("{}/{}", job.attempts, job.max_attempts),
            format_time(job.run_at),
            job.last_error.as_deref().unwrap_or("")
        );
    }
}

fn format_time(ms: i64) -> String {
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_seconds(at).to_string()
}

pub async fn mail(config: Config, command: MailCommand) -> anyhow::Result<()> {
    let MailCommand::Test { to } = command;
    let instance = config.public_url();
    let platform = connect(config).await?;
    let mut tx = platform.db.begin().await?;
    let id = platform
        .mailer
        .enqueue(&platform.jobs, &mut tx, "test", &to, serde_json::json!({ "instance": instance }))
        .await?;
    tx.commit().await?;
    println!("Test mail queued as job {id}; a running server or `athlos worker` delivers it.");
    Ok(())
}

pub async fn admin(config: Config, command: AdminCommand) -> anyhow::Result<()> {
    let platform = connect(config).await?;
    platform.db.migrate(&migrations()).await?;
    let identity = crate::server::Contexts::new(&platform).await?.identity;
    match command {
        AdminCommand::CreateUser { email, name, admin } => {
            let password = read_password()?;
            let role = if admin { identity::Role::Admin } else { identity::Role::User };
            let id = identity.create_user(&email, &name, &password, role).await?;
            println!("Created {} {email} with id {id}.", role.as_str());
        }
        AdminCommand::RotateSigningKey => {
            let kid = identity.keys.rotate().await?;
            println!("Key {kid} signs access tokens from now on; the old keys still verify.");
        }
    }
    Ok(())
}

/// The new account's password: one line of standard input, prompted for on a terminal.
fn read_password() -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal, Write};
    if std::io::stdin().is_terminal() {
        eprint!("Password for the new account (it will show as you type): ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    anyhow::ensure!(!password.is_empty(), "no password given on standard input");
    Ok(password)
}
