//! The administrative commands: migrate, jobs, config check, mail test.

use std::io::Write;

use anyhow::Context;
use platform::config::Config;
use platform::jobs::Job;

use crate::cli::{AdminCommand, EventsCommand, JobsCommand, MailCommand};
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

pub async fn events(config: Config, command: EventsCommand) -> anyhow::Result<()> {
    let platform = connect(config).await?;
    let outcome = match command {
        EventsCommand::List { dead: false, limit, json } => list_events(&platform, limit, json).await,
        EventsCommand::List { dead: true, limit, json } => list_dead_events(&platform, limit, json).await,
        EventsCommand::Replay { ids, .. } => replay_events(&platform, &ids).await,
    };
    platform.db.close().await;
    outcome
}

async fn list_events(platform: &platform::Platform, limit: u32, json: bool) -> anyhow::Result<()> {
    let entries = platform::events::store::recent(&platform.db, limit).await?;
    if json {
        for entry in &entries {
            println!("{}", serde_json::to_string(entry)?);
        }
        return Ok(());
    }
    println!("{:<36}  {:<18}  {:<36}  {:<20}  published", "id", "kind", "subject", "recorded");
    for entry in &entries {
        let e = &entry.event;
        let published = entry.published_at.map(format_time).unwrap_or_else(|| "waiting".into());
        println!("{:<36}  {:<18}  {:<36}  {:<20}  {published}", e.id, e.kind, e.subject_id, format_time(e.created_at));
    }
    Ok(())
}

async fn list_dead_events(platform: &platform::Platform, limit: u32, json: bool) -> anyhow::Result<()> {
    let dead = platform::events::store::dead_letters(&platform.db, &[]).await?;
    let dead = &dead[..dead.len().min(limit as usize)];
    if json {
        for failure in dead {
            println!("{}", serde_json::to_string(failure)?);
        }
        return Ok(());
    }
    if dead.is_empty() {
        println!("No dead events.");
    }
    for f in dead {
        let died = f.dead_at.map(format_time).unwrap_or_default();
        println!(
            "{}  {}  in {}  after {} attempts, {died}\n    {}",
            f.event.id, f.event.kind, f.context, f.attempts, f.last_error
        );
    }
    Ok(())
}

/// Replays in this process, with every context's handlers, whatever modules it serves.
async fn replay_events(platform: &platform::Platform, ids: &[String]) -> anyhow::Result<()> {
    let contexts = crate::server::Contexts::new(platform).await?;
    let outcomes = platform.events.replay(&contexts.event_handlers(), ids).await?;
    if outcomes.is_empty() {
        anyhow::bail!("no dead event matches; `athlos events list --dead` shows them");
    }
    let mut still_dead = 0;
    for (failure, delivery) in &outcomes {
        let verdict = match delivery {
            platform::events::Delivery::Dead => {
                still_dead += 1;
                "failed again; still dead"
            }
            _ => "handled",
        };
        println!("{} {} in {}: {verdict}", failure.event.id, failure.event.kind, failure.context);
    }
    if still_dead > 0 {
        anyhow::bail!("{still_dead} event(s) failed again; see `athlos events list --dead`");
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
        AdminCommand::SetRole { email, role } => {
            let role = platform::people::Role::parse(&role);
            let id = identity
                .user_id_by_email(&email)
                .await?
                .with_context(|| format!("there is no account {email}; create it first (athlos admin create-user)"))?;
            identity.set_role("athlos admin", &id, role).await?;
            println!(
                "{email} is now a{} {}.",
                if role == platform::people::Role::Admin { "n" } else { "" },
                role.as_str()
            );
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
