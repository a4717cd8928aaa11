//! Lists of workouts: newest first, filtered, a page at a time with a
//! cursor that stays right while workouts are added.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{Privacy, Workout};
use super::store;
use crate::error::{Result, TrainingError};
use crate::Training;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkoutFilter {
    /// Whose workouts; the caller's own when left out. Others' show as their privacy allows.
    pub user: Option<String>,
    /// A sport id.
    pub sport: Option<String>,
    /// From this day (`2026-11-01`) or time (RFC 3339), inclusive.
    pub from: Option<String>,
    /// Until this day, inclusive, or this time, exclusive.
    pub to: Option<String>,
    pub min_distance_m: Option<f64>,
    pub max_distance_m: Option<f64>,
    /// Words in the title or notes.
    pub q: Option<String>,
    /// `next_cursor` of the page before.
    pub cursor: Option<String>,
    /// 1 to 100; 20 when left out.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkoutPage {
    pub items: Vec<Workout>,
    /// Pass as `cursor` for the next page; none on the last page.
    pub next_cursor: Option<String>,
}

impl Training {
    pub async fn list_workouts(&self, viewer: &str, filter: WorkoutFilter) -> Result<WorkoutPage> {
        let limit = filter.limit.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(TrainingError::invalid("limit", "the limit must be between 1 and 100"));
        }
        let owner = filter.user.clone().unwrap_or_else(|| viewer.to_string());
        // Someone else's list shows what their privacy lets the viewer see.
        let privacies = if owner == viewer {
            None
        } else {
            let standing = self.followers.standing(viewer, &owner).await;
            if standing.blocked {
                return Ok(WorkoutPage { items: Vec::new(), next_cursor: None });
            }
            if standing.follows {
                Some(vec![Privacy::Public, Privacy::Followers])
            } else {
                Some(vec![Privacy::Public])
            }
        };
        let listing = store::Listing {
            owner,
            privacies,
            sport: filter.sport.clone(),
            from_ms: filter.from.as_deref().map(|from| day_or_time("from", from, false)).transpose()?,
            to_ms: filter.to.as_deref().map(|to| day_or_time("to", to, true)).transpose()?,
            min_distance_m: filter.min_distance_m,
            max_distance_m: filter.max_distance_m,
            words: filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_string),
            after: filter.cursor.as_deref().map(decode_cursor).transpose()?,
            // One more than a page, to tell whether another follows.
            limit: limit + 1,
        };
        let mut conn = self.platform.db.read().await?;
        let mut items = store::list(&mut conn, listing).await?;
        let next_cursor = (items.len() > limit as usize).then(|| {
            items.truncate(limit as usize);
            let last = items.last().expect("a full page");
            encode_cursor(last.started_ms, &last.id)
        });
        Ok(WorkoutPage { items, next_cursor })
    }
}

/// A day (`2026-11-25`, UTC) or an RFC 3339 time as epoch milliseconds; a
/// day as the end of a range means up to the end of that day.
fn day_or_time(field: &'static str, text: &str, end: bool) -> Result<i64> {
    use time::format_description::well_known::Rfc3339;
    let text = text.trim();
    if let Ok(at) = time::OffsetDateTime::parse(text, &Rfc3339) {
        return Ok((at.unix_timestamp_nanos() / 1_000_000) as i64);
    }
    let day = time::Date::parse(text, time::macros::format_description!("[year]-[month]-[day]")).map_err(|_| {
        TrainingError::invalid(
            field,
            format!("`{text}` is not a day like 2026-11-25 or a time like 2026-11-25T07:30:00Z"),
        )
    })?;
    let day = if end { day.next_day().unwrap_or(day) } else { day };
    Ok(day.midnight().assume_utc().unix_timestamp() * 1000)
}

fn encode_cursor(started: i64, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{started}:{id}"))
}

fn decode_cursor(cursor: &str) -> Result<(i64, String)> {
    let bad = || TrainingError::invalid("cursor", "the cursor is not one this server gave; start again without it");
    let text = URL_SAFE_NO_PAD.decode(cursor.trim()).ok().and_then(|b| String::from_utf8(b).ok()).ok_or_else(bad)?;
    let (started, id) = text.split_once(':').ok_or_else(bad)?;
    Ok((started.parse().map_err(|_| bad())?, id.to_string()))
}
