//! A person's competition data gone with their account, on identity's
//! `UserDeleted`: their entries (their teams' scores and the boards move
//! on without them), the copy of their trainings and their global bests.

use platform::events::{EventHandlers, HandlerError};
use serde::Deserialize;

use crate::{competitions, entries, results, Competitions, CONTEXT};

pub const USER_DELETED: &str = "UserDeleted";

#[derive(Deserialize)]
struct Gone {
    user_id: String,
}

pub fn register_events(_: &Competitions, handlers: &mut EventHandlers) {
    handlers.on(CONTEXT, USER_DELETED, |event, mut tx| async move {
        let gone: Gone = event.payload()?;
        let id = gone.user_id.as_str();
        async {
            results::store::take_turn(&mut tx, id).await?;
            // The global boards before the competitions', as a training's
            // handling takes them: one order, so neither waits on the other.
            results::store::erase_user(&mut tx, id).await?;
            for (competition_id, entry) in entries::store::erase_user(&mut tx, id).await? {
                let Some(competition) = competitions::store::get(&mut tx, &competition_id).await? else { continue };
                competitions::store::count_entrant(&mut tx, &competition_id, -1).await?;
                if let Some(team) = &entry.team_id {
                    entries::store::refresh_team(&mut tx, &competition_id, team, competition.kind.lower_wins()).await?;
                }
                entries::move_on_board(&mut tx, &competition, entry.counted(&competition), None).await?;
                competitions::store::touch_board(&mut tx, &competition_id).await?;
            }
            Ok::<(), crate::error::CompetitionError>(())
        }
        .await
        .map_err(HandlerError::new)?;
        tracing::info!(user = %id, "a deleted person's competition data erased");
        Ok(tx)
    });
}
