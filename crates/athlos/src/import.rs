//! `athlos import`: folders and archives of activity files into workouts,
//! with a progress bar, straight against the database and file store.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use platform::config::Config;
use training::imports::Progress;
use training::workouts::Privacy;

use crate::cli::ImportArgs;
use crate::server::{connect, migrations, Contexts};

pub async fn run(config: Config, args: ImportArgs) -> anyhow::Result<()> {
    let platform = connect(config).await?;
    platform.db.migrate(&migrations()).await?;
    let contexts = Contexts::new(&platform).await?;
    let user_id =
        contexts.identity.user_id_by_email(&args.user).await?.with_context(|| {
            format!("there is no account {}; create it first (athlos admin create-user)", args.user)
        })?;
    let privacy = args.privacy.as_deref().map(|p| Privacy::parse(p).expect("clap checked the privacy"));
    let mut failed = false;
    for path in &args.paths {
        anyhow::ensure!(path.exists(), "{} does not exist", path.display());
        let bar = ProgressBar::new(0).with_message(path.display().to_string());
        bar.set_style(
            ProgressStyle::with_template("{msg}\n{wide_bar} {pos}/{len} files, {eta} left").expect("a valid template"),
        );
        let imported = contexts
            .training
            .import_path(&user_id, path.clone(), privacy, |progress, _| {
                bar.set_length(progress.total as u64);
                bar.set_position(progress.processed as u64);
            })
            .await;
        bar.finish_and_clear();
        match imported {
            Ok(progress) => report(&path.display().to_string(), &progress),
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                failed = true;
            }
        }
    }
    platform.db.close().await;
    anyhow::ensure!(!failed, "some archives could not be read");
    Ok(())
}

fn report(path: &str, p: &Progress) {
    println!(
        "{path}: {} imported, {} already there, {} not imported (of {} activity files)",
        p.imported,
        p.duplicates,
        p.problems.len(),
        p.total
    );
    for problem in &p.problems {
        println!("  {}: {}", problem.file, problem.error);
    }
}
