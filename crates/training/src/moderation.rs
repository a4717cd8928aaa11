//! A training a moderator hid (social's `TrainingHidden`) becomes private:
//! its owner still has it, nobody else sees it, and the other contexts hear
//! of the change as of any edit.

use platform::change_log::Operation;
use platform::events::{EventHandlers, HandlerError};
use serde::Deserialize;

use crate::events::{self, UPDATED};
use crate::workouts::{store, Privacy};
use crate::{Training, CONTEXT};

pub const TRAINING_HIDDEN: &str = "TrainingHidden";

#[derive(Deserialize)]
struct Hidden {
    workout_id: String,
}

pub fn register_events(_training: &Training, handlers: &mut EventHandlers) {
    handlers.on(CONTEXT, TRAINING_HIDDEN, |event, mut tx| async move {
        let hidden: Hidden = event.payload()?;
        let Some(mut workout) = store::get(&mut tx, &hidden.workout_id).await.map_err(HandlerError::new)? else {
            return Ok(tx); // deleted meanwhile
        };
        workout.privacy = Privacy::Private;
        store::update_details(&mut tx, &workout).await.map_err(HandlerError::new)?;
        events::log_change(&mut tx, &workout, Operation::Updated).await.map_err(HandlerError::new)?;
        events::publish(&mut tx, UPDATED, &workout, &[], None).await.map_err(HandlerError::new)?;
        Ok(tx)
    });
}
