//! What a workout is, as stored and as shown, and what a person may send.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{Result, TrainingError};

/// Who may see a workout. The words are the platform's, shared with
/// identity, whose preferences hold each person's default; `followers` is
/// the owner alone until the social context answers who follows whom.
pub use platform::people::Privacy;

/// A request's `Idempotency-Key` with a digest of what the request asked
/// for: a retry brings both back, while the same key sent with something
/// else is a client's mistake to refuse, not a retry to answer.
#[derive(Clone, Debug)]
pub struct Idempotency {
    pub key: String,
    pub fingerprint: String,
}

impl Idempotency {
    /// `parts` are what the request asked for, each counted with its length
    /// so that moving bytes from one part to the next changes the digest.
    pub fn new(key: String, parts: &[&[u8]]) -> Self {
        use sha2::{Digest, Sha256};
        let mut digest = Sha256::new();
        for part in parts {
            digest.update((part.len() as u64).to_le_bytes());
            digest.update(part);
        }
        Self { key, fingerprint: crate::uploads::hex(&digest.finalize()) }
    }
}

/// Whether a workout's numbers are there yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WorkoutState {
    /// Its file waits for a job to read it.
    Processing,
    Ready,
    /// Its file could not be read; `failure` says why.
    Failed,
}

impl WorkoutState {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkoutState::Processing => "processing",
            WorkoutState::Ready => "ready",
            WorkoutState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "processing" => WorkoutState::Processing,
            "failed" => WorkoutState::Failed,
            _ => WorkoutState::Ready,
        }
    }
}

/// The activity file a workout was read from.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OriginalFile {
    /// gpx, tcx or fit.
    pub format: String,
    pub name: String,
    pub size: i64,
    /// SHA-256 of the file, in hex: the same file uploaded again is refused
    /// as a repeat. Null for files kept before this was recorded.
    pub sha256: Option<String>,
}

/// The measured numbers of a workout; all but duration may be unknown.
#[derive(Clone, Debug, Default, Serialize, ToSchema)]
pub struct Measures {
    /// Elapsed seconds, pauses included.
    pub duration_s: f64,
    pub moving_s: Option<f64>,
    pub distance_m: Option<f64>,
    pub elevation_gain_m: Option<f64>,
    pub elevation_loss_m: Option<f64>,
    pub average_speed_mps: Option<f64>,
    pub max_speed_mps: Option<f64>,
    pub average_heart_rate: Option<f64>,
    pub max_heart_rate: Option<i64>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Workout {
    pub id: String,
    pub user_id: String,
    /// The sport's id in the catalogue (`/api/v1/sports`).
    pub sport: String,
    pub title: String,
    pub notes: String,
    pub privacy: Privacy,
    pub state: WorkoutState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    /// UTC, RFC 3339.
    pub started_at: String,
    #[serde(skip)]
    pub started_ms: i64,
    #[serde(flatten)]
    pub measures: Measures,
    /// Equipment used (the inventory context's ids).
    pub equipment_ids: Vec<String>,
    /// The activity file it was read from; none for a workout logged by hand.
    pub file: Option<OriginalFile>,
    #[serde(skip)]
    pub file_key: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Splits, best efforts, heart-rate zones, the shape for the map and the
    /// chart series; only on a single workout, and only for one read from a file.
    // The detail route sends the analysis as it was kept, spliced in where
    // this field would be (`routes::workouts::show`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub analysis: Option<Box<serde_json::value::RawValue>>,
    /// Who recorded it: on a single workout, so that a visitor sees whose it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<platform::people::PublicProfile>,
}

/// A workout logged by hand.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "sport": "running", "started_at": "2025-06-01T07:30:00+02:00", "duration_s": 3600.0,
    "distance_m": 10000.0, "title": "Morning run", "privacy": "private"
}))]
pub struct NewWorkout {
    /// A sport id from `GET /api/v1/sports`.
    pub sport: String,
    /// RFC 3339, for example `2026-11-25T07:30:00+01:00`; after 1970 and not in the future.
    #[schema(format = DateTime)]
    pub started_at: String,
    /// Give either the duration (seconds, more than 0, at most a week) or the end.
    #[schema(exclusive_minimum = 0.0, maximum = 604800.0)]
    pub duration_s: Option<f64>,
    /// After the start, not in the future.
    #[schema(format = DateTime)]
    pub ended_at: Option<String>,
    /// Metres, 0 to 10 000 km.
    #[schema(minimum = 0.0, maximum = 10000000.0)]
    pub distance_m: Option<f64>,
    /// Metres, 0 to 100 km.
    #[schema(minimum = 0.0, maximum = 100000.0)]
    pub elevation_gain_m: Option<f64>,
    /// At most 200 characters once trimmed; the sport and day when left out or empty.
    pub title: Option<String>,
    /// At most 20 000 characters.
    #[schema(max_length = 20000)]
    pub notes: Option<String>,
    /// Left out: the owner's `default_privacy` (an account preference).
    pub privacy: Option<Privacy>,
    /// At most 20 equipment ids (UUIDs).
    #[schema(max_items = 20, value_type = Option<Vec<uuid::Uuid>>)]
    pub equipment_ids: Option<Vec<String>>,
}

/// Changes to a workout; what is left out stays as it is. The start,
/// duration, distance and elevation of a workout read from a file come
/// from the file and cannot be changed.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkoutChanges {
    /// A sport id from `GET /api/v1/sports`.
    pub sport: Option<String>,
    /// 1 to 200 characters once trimmed.
    pub title: Option<String>,
    /// At most 20 000 characters.
    #[schema(max_length = 20000)]
    pub notes: Option<String>,
    pub privacy: Option<Privacy>,
    /// At most 20 equipment ids (UUIDs).
    #[schema(max_items = 20, value_type = Option<Vec<uuid::Uuid>>)]
    pub equipment_ids: Option<Vec<String>>,
    /// Only for a workout logged by hand: RFC 3339, after 1970 and not in the future.
    #[schema(format = DateTime)]
    pub started_at: Option<String>,
    /// Only for a workout logged by hand: seconds, more than 0, at most a week.
    #[schema(exclusive_minimum = 0.0, maximum = 604800.0)]
    pub duration_s: Option<f64>,
    /// Only for a workout logged by hand: metres, 0 to 10 000 km.
    #[schema(minimum = 0.0, maximum = 10000000.0)]
    pub distance_m: Option<f64>,
    /// Only for a workout logged by hand: metres, 0 to 100 km.
    #[schema(minimum = 0.0, maximum = 100000.0)]
    pub elevation_gain_m: Option<f64>,
}

const MAX_TITLE: usize = 200;
const MAX_NOTES: usize = 20_000;
const MAX_EQUIPMENT: usize = 20;
/// A week: longer is a typing mistake, not an ultra.
const MAX_DURATION_S: f64 = 7.0 * 24.0 * 3600.0;
/// Further than anyone goes in one workout (10 000 km).
const MAX_DISTANCE_M: f64 = 10_000_000.0;
const MAX_ELEVATION_M: f64 = 100_000.0;

/// Text that came from a file rather than from a person: the control
/// characters the edge refuses in typed input are dropped, as nobody can
/// retype a file's title.
pub fn printable(text: &str) -> String {
    text.chars().filter(|c| platform::http::text::allowed(*c)).collect()
}

pub fn check_title(title: &str) -> Result<String> {
    let title = title.trim();
    if title.chars().count() > MAX_TITLE {
        return Err(TrainingError::invalid("title", format!("the title is longer than {MAX_TITLE} characters")));
    }
    Ok(title.to_string())
}

pub fn check_notes(notes: &str) -> Result<String> {
    if notes.chars().count() > MAX_NOTES {
        return Err(TrainingError::invalid("notes", format!("the notes are longer than {MAX_NOTES} characters")));
    }
    Ok(notes.trim_end().to_string())
}

pub fn check_equipment_count(ids: &[String]) -> Result<()> {
    if ids.len() > MAX_EQUIPMENT {
        return Err(TrainingError::invalid("equipment_ids", format!("at most {MAX_EQUIPMENT} pieces of equipment")));
    }
    Ok(())
}

pub fn check_equipment(ids: &[String]) -> Result<Vec<String>> {
    check_equipment_count(ids)?;
    let mut checked = Vec::with_capacity(ids.len());
    for id in ids {
        let id = uuid::Uuid::parse_str(id.trim())
            .map_err(|_| TrainingError::invalid("equipment_ids", format!("`{id}` is not an equipment id")))?;
        if !checked.contains(&id.to_string()) {
            checked.push(id.to_string());
        }
    }
    Ok(checked)
}

pub fn check_duration(seconds: f64) -> Result<f64> {
    // Below a second is a typo or a probe (1e-300 made speeds of 10^303 m/s).
    if !(seconds.is_finite() && (1.0..=MAX_DURATION_S).contains(&seconds)) {
        return Err(TrainingError::invalid("duration_s", "the duration must be at least 1 second and at most a week"));
    }
    Ok(seconds)
}

pub fn check_distance(metres: f64) -> Result<f64> {
    if !(metres.is_finite() && (0.0..=MAX_DISTANCE_M).contains(&metres)) {
        return Err(TrainingError::invalid("distance_m", "the distance must be between 0 and 10 000 km, in metres"));
    }
    Ok(metres)
}

pub fn check_elevation(metres: f64) -> Result<f64> {
    if !(metres.is_finite() && (0.0..=MAX_ELEVATION_M).contains(&metres)) {
        return Err(TrainingError::invalid("elevation_gain_m", "the elevation gain must be 0 or more metres"));
    }
    Ok(metres)
}

/// Parses an RFC 3339 time into epoch milliseconds, refusing the far past
/// and more than a day ahead (a clock in another time zone, not the future).
/// The offset from UTC a time was written with (`+01:00` is 60), if it parses.
pub fn written_offset_minutes(text: &str) -> Option<i32> {
    use time::format_description::well_known::Rfc3339;
    let at = time::OffsetDateTime::parse(text.trim(), &Rfc3339).ok()?;
    Some(at.offset().whole_minutes().into())
}

pub fn parse_time(field: &'static str, text: &str) -> Result<i64> {
    use time::format_description::well_known::Rfc3339;
    let at = time::OffsetDateTime::parse(text.trim(), &Rfc3339).map_err(|_| {
        TrainingError::invalid(field, format!("`{text}` is not a time like 2026-11-25T07:30:00+01:00 (RFC 3339)"))
    })?;
    let ms = (at.unix_timestamp_nanos() / 1_000_000) as i64;
    if ms < 0 || ms > platform::db::now_ms() + 24 * 3600 * 1000 {
        return Err(TrainingError::invalid(field, "the time must be after 1970 and not in the future"));
    }
    Ok(ms)
}

impl NewWorkout {
    /// The start and duration, from `duration_s` or from `ended_at`.
    pub fn timing(&self) -> Result<(i64, f64)> {
        let start = parse_time("started_at", &self.started_at)?;
        let duration = match (&self.duration_s, &self.ended_at) {
            (Some(d), None) => *d,
            (None, Some(end)) => {
                let end = parse_time("ended_at", end)?;
                if end <= start {
                    return Err(TrainingError::invalid("ended_at", "the end must come after the start"));
                }
                (end - start) as f64 / 1000.0
            }
            (Some(_), Some(_)) => {
                return Err(TrainingError::invalid("ended_at", "give either duration_s or ended_at, not both"))
            }
            (None, None) => return Err(TrainingError::invalid("duration_s", "give duration_s or ended_at")),
        };
        Ok((start, check_duration(duration)?))
    }
}
