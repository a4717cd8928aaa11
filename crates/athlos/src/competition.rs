//! `athlos competition recount`: every leaderboard's counts made again
//! from the results, straight against the database.

use platform::config::Config;

use crate::cli::CompetitionCommand;
use crate::server::{connect, migrations, Contexts};

pub async fn run(config: Config, command: CompetitionCommand) -> anyhow::Result<()> {
    let platform = connect(config).await?;
    platform.db.migrate(&migrations()).await?;
    let contexts = Contexts::new(&platform).await?;
    let CompetitionCommand::Recount = command;
    let boards = contexts.competition.recount().await?;
    println!("Counted {boards} leaderboards again.");
    platform.db.close().await;
    Ok(())
}
