//! `athlos inventory recompute`: equipment usage counted again from the
//! trainings, with a progress bar, straight against the database.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use platform::config::Config;

use crate::cli::InventoryCommand;
use crate::server::{connect, migrations, Contexts};

pub async fn run(config: Config, command: InventoryCommand) -> anyhow::Result<()> {
    let platform = connect(config).await?;
    platform.db.migrate(&migrations()).await?;
    let contexts = Contexts::new(&platform).await?;
    let InventoryCommand::Recompute { user } = command;
    let people = match user {
        Some(email) => vec![contexts.identity.user_id_by_email(&email).await?.with_context(|| {
            format!("there is no account {email}; check the address (athlos admin create-user makes one)")
        })?],
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
