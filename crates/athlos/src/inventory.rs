//! `athlos inventory recompute`: equipment usage counted again from the
//! trainings, with a progress bar, straight against the database, or
//! handed to a worker as the job `inventory.recompute`.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use inventory::usage::RecomputeJob;
use platform::config::Config;

use crate::cli::InventoryCommand;
use crate::server::{connect, migrations, Contexts};

pub async fn run(config: Config, command: InventoryCommand) -> anyhow::Result<()> {
    let platform = connect(config).await?;
    platform.db.migrate(&migrations()).await?;
    let contexts = Contexts::new(&platform).await?;
    let InventoryCommand::Recompute { user, queue } = command;
    let user_id = match &user {
        Some(email) => Some(contexts.identity.user_id_by_email(email).await?.with_context(|| {
            format!("there is no account {email}; check the address (athlos admin create-user makes one)")
        })?),
        None => None,
    };
    if queue {
        let mut tx = platform.db.begin().await?;
        let job = RecomputeJob { user_id };
        let id = platform.jobs.enqueue(&mut tx, inventory::RECOMPUTE_JOB, &job).await?;
        tx.commit().await?;
        println!("Queued as job {id}: a worker counts the usage again for {}.", user.as_deref().unwrap_or("everyone"));
        platform.db.close().await;
        return Ok(());
    }
    let people = match user_id {
        Some(user_id) => vec![user_id],
        None => contexts.inventory.people_with_equipment().await?,
    };
    let bar = ProgressBar::new(people.len() as u64);
    bar.set_style(ProgressStyle::with_template("{wide_bar} {pos}/{len} people, {eta} left").expect("a valid template"));
    let mut trainings = 0;
    for user_id in &people {
        trainings += contexts.inventory.recompute(user_id).await?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!("Usage counted again for {} people from {trainings} trainings.", people.len());
    platform.db.close().await;
    Ok(())
}
