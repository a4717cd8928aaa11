//! The command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use platform::jobs::JobState;

#[derive(Parser, Debug)]
#[command(name = "athlos", version, about = "Athlos: a self-hosted training platform")]
pub struct Cli {
    /// A TOML configuration file (default: ./athlos.toml when it exists).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the HTTP server (and a job worker, unless --no-worker).
    Serve(ServeArgs),
    /// Run background jobs only.
    Worker,
    /// Apply database migrations and exit.
    Migrate,
    /// Inspect and retry background jobs.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Inspect domain events and replay dead ones.
    #[command(subcommand)]
    Events(EventsCommand),
    /// Configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Mail.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Accounts and keys.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Import workouts from folders or ZIP archives (a Strava export, or any
    /// ZIP of GPX, TCX and FIT files, gzipped or not). Files imported before are skipped.
    Import(ImportArgs),
    /// Equipment.
    #[command(subcommand)]
    Inventory(InventoryCommand),
    /// Competitions and leaderboards.
    #[command(subcommand)]
    Competition(CompetitionCommand),
    /// Print the OpenAPI document (what /openapi.json serves), for client
    /// generators; needs no database or other service.
    Openapi,
}

#[derive(Subcommand, Debug)]
pub enum InventoryCommand {
    /// Count the usage of equipment again from the trainings, for one
    /// account or for everyone who has equipment.
    Recompute {
        /// The e-mail address of the account; everyone when left out.
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
        /// Hand the work to a worker (the job `inventory.recompute`) and
        /// return at once, instead of counting in this process.
        #[arg(long)]
        queue: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum CompetitionCommand {
    /// Count every leaderboard's bands again from its results (they are
    /// derived; the results are the truth). Best run while few results change.
    Recount,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The e-mail address of the account the workouts belong to.
    #[arg(long, value_name = "EMAIL")]
    pub user: String,
    /// Who may see the imported workouts: public, followers or private
    /// (default: the account's default privacy).
    #[arg(long, value_parser = ["public", "followers", "private"])]
    pub privacy: Option<String>,
    /// Folders or ZIP archives to import.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Args, Debug, Default, Clone)]
pub struct ServeArgs {
    /// Do not apply migrations at start (run `athlos migrate` yourself).
    #[arg(long)]
    pub no_migrate: bool,
    /// Do not run background jobs in this process (run `athlos worker` elsewhere).
    #[arg(long)]
    pub no_worker: bool,
    /// Address to listen on (overrides ATHLOS_LISTEN).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Data folder (overrides ATHLOS_DATA_DIR).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Serve only these contexts, comma-separated, for example
    /// `identity,training` (overrides ATHLOS_MODULES; default: all).
    #[arg(long, value_name = "LIST")]
    pub modules: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum EventsCommand {
    /// The newest events of the outbox, or the dead ones.
    List {
        /// Only the events a context gave up on, with their last error.
        #[arg(long)]
        dead: bool,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Print JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Hand dead events to their contexts again, with fresh attempts.
    Replay {
        /// The ids of the events to replay.
        #[arg(required_unless_present = "dead", conflicts_with = "dead")]
        ids: Vec<String>,
        /// Replay every dead event.
        #[arg(long)]
        dead: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum JobsCommand {
    /// List jobs, newest first.
    List {
        /// Only jobs in this state: queued, running, done or dead.
        #[arg(long)]
        state: Option<JobState>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Print JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Put dead jobs back in the queue with fresh attempts.
    Retry {
        /// The ids of the jobs to retry.
        #[arg(required_unless_present = "all_dead", conflicts_with = "all_dead")]
        ids: Vec<String>,
        /// Retry every dead job.
        #[arg(long)]
        all_dead: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print the effective configuration, secrets masked, and check it.
    Check,
}

#[derive(Subcommand, Debug)]
pub enum MailCommand {
    /// Queue a test mail to an address (delivered by a worker).
    Test {
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create an account with a confirmed address; reads the password from standard input.
    CreateUser {
        #[arg(long)]
        email: String,
        /// The name others see.
        #[arg(long)]
        name: String,
        /// Make the account an administrator (how the first admin is made).
        #[arg(long)]
        admin: bool,
    },
    /// Give an account a role: user, partner (publishes offers beside
    /// people's equipment), organiser (runs competitions) or admin.
    SetRole {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = ["user", "partner", "organiser", "admin"])]
        role: String,
    },
    /// Make a new key sign access tokens; tokens signed by the old one stay valid.
    RotateSigningKey,
}
