//! Lists of workouts: newest first, filtered, a page at a time with a
//! cursor that stays right while workouts are added.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyArguments;
use sqlx::Arguments;
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

/// A value bound to a condition.
enum Value {
    Text(String),
    Int(i64),
    Real(f64),
}

/// A WHERE clause built up with numbered parameters.
#[derive(Default)]
struct Conditions {
    sql: Vec<String>,
    args: AnyArguments<'static>,
    count: usize,
}

impl Conditions {
    /// Adds `condition`, each `?` in it standing for the next of `values`.
    fn add(&mut self, condition: &str, values: Vec<Value>) {
        let mut condition = condition.to_string();
        for value in values {
            self.count += 1;
            condition = condition.replacen('?', &format!("${}", self.count), 1);
            let added = match value {
                Value::Text(v) => self.args.add(v),
                Value::Int(v) => self.args.add(v),
                Value::Real(v) => self.args.add(v),
            };
            added.expect("a plain value encodes");
        }
        self.sql.push(condition);
    }
}

impl Training {
    pub async fn list_workouts(&self, viewer: &str, filter: WorkoutFilter) -> Result<WorkoutPage> {
        let limit = filter.limit.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(TrainingError::invalid("limit", "the limit must be between 1 and 100"));
        }
        let owner = filter.user.clone().unwrap_or_else(|| viewer.to_string());
        let mut c = Conditions::default();
        c.add("user_id = ?", vec![Value::Text(owner.clone())]);
        if owner != viewer {
            let mut shown = vec![Value::Text(Privacy::Public.as_str().into())];
            if self.followers.follows(viewer, &owner).await {
                shown.push(Value::Text(Privacy::Followers.as_str().into()));
            }
            let marks = vec!["?"; shown.len()].join(", ");
            c.add(&format!("privacy IN ({marks})"), shown);
        }
        if let Some(sport) = &filter.sport {
            c.add("sport_id = ?", vec![Value::Text(sport.clone())]);
        }
        if let Some(from) = &filter.from {
            c.add("started_at >= ?", vec![Value::Int(day_or_time("from", from, false)?)]);
        }
        if let Some(to) = &filter.to {
            c.add("started_at < ?", vec![Value::Int(day_or_time("to", to, true)?)]);
        }
        if let Some(min) = filter.min_distance_m {
            c.add("distance_m >= ?", vec![Value::Real(min)]);
        }
        if let Some(max) = filter.max_distance_m {
            c.add("distance_m <= ?", vec![Value::Real(max)]);
        }
        if let Some(words) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let pattern = format!("%{}%", like_escaped(&words.to_lowercase()));
            c.add(
                r"(LOWER(title) LIKE ? ESCAPE '\' OR LOWER(notes) LIKE ? ESCAPE '\')",
                vec![Value::Text(pattern.clone()), Value::Text(pattern)],
            );
        }
        if let Some(cursor) = &filter.cursor {
            let (started, id) = decode_cursor(cursor)?;
            let after = vec![Value::Int(started), Value::Int(started), Value::Text(id)];
            c.add("(started_at < ? OR (started_at = ? AND id < ?))", after);
        }
        let sql = format!(
            "SELECT {} FROM workouts WHERE {} ORDER BY started_at DESC, id DESC LIMIT {}",
            store::COLUMNS,
            c.sql.join(" AND "),
            limit + 1
        );
        let mut conn = self.platform.db.pool().acquire().await?;
        let rows = sqlx::query_with(&sql, c.args).fetch_all(&mut *conn).await?;
        let mut items: Vec<Workout> = rows.iter().map(store::from_row).collect::<Result<_>>()?;
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

/// `%` and `_` in the words match themselves, not any text.
fn like_escaped(words: &str) -> String {
    words.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
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
