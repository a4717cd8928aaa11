//! The `athlos` binary: one process that serves any subset of the contexts,
//! runs background jobs, or administers the installation.

pub mod cli;
mod commands;
mod competition;
mod import;
mod inventory;
pub mod server;
pub mod web;

use std::process::ExitCode;

use platform::config::Config;

use crate::cli::{Cli, Command};

/// Exit code for a configuration that cannot be used.
pub const EXIT_CONFIG: u8 = 2;

pub async fn run(cli: Cli) -> ExitCode {
    let mut config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: configuration: {e}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    if let Command::Serve(args) = &cli.command {
        if let Some(listen) = args.listen {
            config.listen = listen;
        }
        if let Some(dir) = &args.data_dir {
            config.data_dir = dir.clone();
        }
        if let Some(modules) = &args.modules {
            config.modules = Some(modules.clone());
        }
    }
    platform::telemetry::init(&config.log, config.log_format);
    let outcome = match cli.command {
        Command::Serve(args) => server::serve_until_signal(config, args).await,
        Command::Worker => server::work_until_signal(config).await,
        Command::Migrate => commands::migrate(config).await,
        Command::Jobs(command) => commands::jobs(config, command).await,
        Command::Events(command) => commands::events(config, command).await,
        Command::Config(_) => commands::config_check(&config),
        Command::Mail(command) => commands::mail(config, command).await,
        Command::Admin(command) => commands::admin(config, command).await,
        Command::Import(args) => import::run(config, args).await,
        Command::Inventory(command) => inventory::run(config, command).await,
        Command::Competition(command) => competition::run(config, command).await,
        Command::Openapi => commands::openapi(config).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
