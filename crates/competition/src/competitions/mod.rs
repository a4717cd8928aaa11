//! Competitions themselves: what an organiser sets up (a kind, sports, a
//! window, who may enter), who may see one, and the lists people browse.

pub(crate) mod store;

use platform::db::{now_ms, rfc3339, Reads};
use platform::http::Caller;
use platform::people::Role;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{CompetitionError, Result};
use crate::{entries, Competitions};

/// What a competition measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = CompetitionKind)]
pub enum Kind {
    /// The most metres over the window.
    Distance,
    /// The most time moving over the window.
    Duration,
    /// The most metres climbed over the window.
    Elevation,
    /// The most trainings over the window.
    Trainings,
    /// The fastest time over `effort_m` inside one training.
    Fastest,
    /// The longest single training, in metres.
    Longest,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Distance => "distance",
            Kind::Duration => "duration",
            Kind::Elevation => "elevation",
            Kind::Trainings => "trainings",
            Kind::Fastest => "fastest",
            Kind::Longest => "longest",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Kind::Distance, Kind::Duration, Kind::Elevation, Kind::Trainings, Kind::Fastest, Kind::Longest]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// How wide the bands of its board's counts are, in its unit: about as
    /// far apart as results of people near each other tend to be.
    pub fn band_width(self) -> f64 {
        match self {
            Kind::Distance | Kind::Longest => 1000.0,
            Kind::Duration => 600.0,
            Kind::Elevation => 50.0,
            Kind::Trainings | Kind::Fastest => 1.0,
        }
    }

    /// Whether less is better (a time) rather than more.
    pub fn lower_wins(self) -> bool {
        self == Kind::Fastest
    }
}

/// The distances the tracks crate measures best efforts over.
pub const EFFORT_DISTANCES: [f64; 7] = [400.0, 1000.0, 1609.344, 5000.0, 10_000.0, 21_097.5, 42_195.0];

/// A competition as an organiser sets it up.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCompetition {
    /// 1 to 120 characters.
    #[schema(min_length = 1, max_length = 120)]
    pub title: String,
    /// At most 2 000 characters.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub description: String,
    pub kind: Kind,
    /// For `fastest`: one of 400, 1000, 1609.344, 5000, 10000, 21097.5, 42195.
    pub effort_m: Option<f64>,
    /// The sports whose trainings count: 1 to 20 sport ids.
    #[schema(min_items = 1, max_items = 20)]
    pub sports: Vec<String>,
    /// RFC 3339; trainings started from then on count.
    pub starts_at: String,
    /// RFC 3339, after `starts_at` and at most a year later; trainings started before then count.
    pub ends_at: String,
    /// The organiser's time zone, such as `Europe/Ljubljana`, for showing the window.
    #[schema(max_length = 64)]
    pub time_zone: String,
    /// Only people with the invitation link (or invited by it) may see and enter.
    #[serde(default)]
    pub invite_only: bool,
    /// A geohash prefix (1 to 5 characters): only people whose home area lies in it may enter.
    #[schema(max_length = 5)]
    pub region: Option<String>,
    /// At most this many entrants, 1 to 1 000 000.
    #[schema(minimum = 1, maximum = 1000000)]
    pub entry_limit: Option<i64>,
}

/// When a competition runs, as one word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = CompetitionStatus)]
pub enum Status {
    Upcoming,
    Running,
    Finished,
}

/// A competition as kept.
#[derive(Clone, Debug)]
pub struct Stored {
    pub id: String,
    pub organiser_id: String,
    pub title: String,
    pub description: String,
    pub kind: Kind,
    pub effort_m: Option<f64>,
    pub sports: Vec<String>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub time_zone: String,
    pub invite_only: bool,
    pub invite_code: String,
    pub region: Option<String>,
    pub entry_limit: Option<i64>,
    pub entrants: i64,
}

impl Stored {
    pub fn status(&self, now: i64) -> Status {
        if now < self.starts_at {
            Status::Upcoming
        } else if now < self.ends_at {
            Status::Running
        } else {
            Status::Finished
        }
    }

    /// Whether `caller` runs this competition (its organiser or an administrator).
    pub fn runs(&self, caller: &Caller) -> bool {
        caller.role == Role::Admin || caller.id == self.organiser_id
    }
}

/// A competition as someone sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompetitionView {
    pub id: String,
    pub organiser_id: String,
    pub title: String,
    pub description: String,
    pub kind: Kind,
    pub effort_m: Option<f64>,
    pub sports: Vec<String>,
    pub starts_at: String,
    pub ends_at: String,
    pub time_zone: String,
    pub status: Status,
    pub invite_only: bool,
    /// The code that lets people in, shown to those who run it only.
    pub invite_code: Option<String>,
    pub region: Option<String>,
    pub entry_limit: Option<i64>,
    pub entrants: i64,
    /// Whether the caller organises it (or administers).
    pub you_run_it: bool,
    /// The caller's entry, if they entered.
    pub your_entry: Option<entries::Entry>,
}

/// Which competitions to list.
#[derive(Clone, Copy, Debug, Default, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Shelf {
    /// The ones the caller entered, newest first.
    Joined,
    /// Public ones not finished yet, soonest first.
    #[default]
    Open,
    /// Public or entered ones that have finished, latest first.
    Past,
    /// The ones the caller organises.
    Organised,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// `open` when left out.
    #[param(inline)]
    pub shelf: Option<Shelf>,
    /// 1 to 100; 20 when left out.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// `next_cursor` of the page before.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompetitionPage {
    pub items: Vec<CompetitionView>,
    pub next_cursor: Option<String>,
}

const GEOHASH: &str = "0123456789bcdefghjkmnpqrstuvwxyz";
const YEAR_MS: i64 = 366 * 24 * 3600 * 1000;

impl NewCompetition {
    fn checked(mut self) -> Result<(Self, i64, i64)> {
        self.title = self.title.trim().to_string();
        self.description = self.description.trim().to_string();
        let title_chars = self.title.chars().count();
        if title_chars == 0 || title_chars > 120 || self.title.chars().any(char::is_control) {
            return Err(CompetitionError::invalid(
                "title",
                "a title is 1 to 120 characters, without control characters",
            ));
        }
        if self.description.chars().count() > 2000
            || self.description.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(CompetitionError::invalid("description", "a description is at most 2 000 characters of text"));
        }
        match (self.kind, self.effort_m) {
            (Kind::Fastest, Some(d)) if EFFORT_DISTANCES.contains(&d) => {}
            (Kind::Fastest, _) => {
                return Err(CompetitionError::invalid(
                    "effort_m",
                    "a fastest-effort competition needs effort_m: 400, 1000, 1609.344, 5000, 10000, 21097.5 or 42195",
                ))
            }
            (_, Some(_)) => {
                return Err(CompetitionError::invalid("effort_m", "only a fastest-effort competition has effort_m"))
            }
            (_, None) => {}
        }
        self.sports.sort();
        self.sports.dedup();
        let sport_ok = |s: &String| {
            !s.is_empty()
                && s.len() <= 40
                && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        };
        if self.sports.is_empty() || self.sports.len() > 20 || !self.sports.iter().all(sport_ok) {
            return Err(CompetitionError::invalid("sports", "name 1 to 20 sports by id, such as running"));
        }
        let starts = parse_time("starts_at", &self.starts_at)?;
        let ends = parse_time("ends_at", &self.ends_at)?;
        if ends <= starts || ends - starts > YEAR_MS {
            return Err(CompetitionError::invalid("ends_at", "a competition ends after it starts, within a year"));
        }
        if ends <= now_ms() {
            return Err(CompetitionError::invalid("ends_at", "this end has already passed"));
        }
        let zone_ok = |z: &str| {
            !z.is_empty() && z.len() <= 64 && z.chars().all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c))
        };
        if !zone_ok(&self.time_zone) {
            return Err(CompetitionError::invalid(
                "time_zone",
                "a time zone is a name such as Europe/Ljubljana or UTC",
            ));
        }
        if let Some(region) = &self.region {
            if region.is_empty() || region.len() > 5 || !region.chars().all(|c| GEOHASH.contains(c)) {
                return Err(CompetitionError::invalid(
                    "region",
                    "a region is a geohash of 1 to 5 characters, such as u2",
                ));
            }
        }
        if self.entry_limit.is_some_and(|n| !(1..=1_000_000).contains(&n)) {
            return Err(CompetitionError::invalid("entry_limit", "an entry limit is 1 to 1 000 000"));
        }
        Ok((self, starts, ends))
    }
}

pub(crate) fn parse_time(field: &'static str, text: &str) -> Result<i64> {
    let at = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|_| CompetitionError::invalid(field, "a time is RFC 3339, such as 2026-12-01T08:00:00Z"))?;
    let ms = (at.unix_timestamp_nanos() / 1_000_000) as i64;
    if !(0..=253_402_300_799_000).contains(&ms) {
        return Err(CompetitionError::invalid(field, "a time is between 1970 and 9999"));
    }
    Ok(ms)
}

fn invite_code() -> String {
    use base64::Engine;
    let bytes: [u8; 12] = *uuid::Uuid::new_v4().as_bytes().first_chunk().expect("16 bytes");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

impl Competitions {
    pub async fn create(&self, caller: &Caller, new: NewCompetition) -> Result<CompetitionView> {
        if !matches!(caller.role, Role::Admin | Role::Organiser) {
            return Err(CompetitionError::NotOrganiser);
        }
        let (new, starts_at, ends_at) = new.checked()?;
        let stored = Stored {
            id: uuid::Uuid::now_v7().to_string(),
            organiser_id: caller.id.clone(),
            title: new.title,
            description: new.description,
            kind: new.kind,
            effort_m: new.effort_m,
            sports: new.sports,
            starts_at,
            ends_at,
            time_zone: new.time_zone,
            invite_only: new.invite_only,
            invite_code: invite_code(),
            region: new.region,
            entry_limit: new.entry_limit,
            entrants: 0,
        };
        let mut conn = self.platform.db.pool().acquire().await?;
        store::insert(&mut conn, &stored, now_ms()).await?;
        Ok(view(stored, caller, None))
    }

    /// The competition if `caller` may see it: public, or invite-only and
    /// they run it, entered it, or hold its code. Anything else is not found.
    pub(crate) async fn visible(
        &self,
        conn: &mut impl Reads,
        caller: &Caller,
        id: &str,
        code: Option<&str>,
    ) -> Result<(Stored, Option<entries::Entry>)> {
        let stored = store::get(&mut *conn, id).await?.ok_or(CompetitionError::NotFound)?;
        let entry = entries::store::get(conn, id, &caller.id).await?;
        let invited = code.is_some_and(|c| c == stored.invite_code);
        if stored.invite_only && !stored.runs(caller) && entry.is_none() && !invited {
            return Err(CompetitionError::NotFound);
        }
        Ok((stored, entry))
    }

    pub async fn show(&self, caller: &Caller, id: &str, code: Option<&str>) -> Result<CompetitionView> {
        let mut conn = self.platform.db.read().await?;
        let (stored, entry) = self.visible(&mut conn, caller, id, code).await?;
        Ok(view(stored, caller, entry))
    }

    pub async fn list(&self, caller: &Caller, query: ListQuery) -> Result<CompetitionPage> {
        let limit = query.limit.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(CompetitionError::invalid("limit", "ask for 1 to 100 competitions"));
        }
        let shelf = query.shelf.unwrap_or_default();
        let after = query.cursor.as_deref().filter(|c| !c.is_empty()).map(store::Cursor::decode).transpose()?;
        let mut conn = self.platform.db.pool().acquire().await?;
        let mut found = store::shelf(&mut conn, shelf, &caller.id, now_ms(), after.as_ref(), limit as i64 + 1).await?;
        let next_cursor = (found.len() > limit as usize).then(|| {
            found.truncate(limit as usize);
            store::Cursor::after(shelf, found.last().expect("a full page")).encode()
        });
        let mut items = Vec::with_capacity(found.len());
        for stored in found {
            let entry = entries::store::get(&mut conn, &stored.id, &caller.id).await?;
            items.push(view(stored, caller, entry));
        }
        Ok(CompetitionPage { items, next_cursor })
    }

    /// Removes a competition that has not started, with its entries and teams.
    pub async fn delete(&self, caller: &Caller, id: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        // The board's turn first, as every change to it takes it: an entry,
        // a leave or a judgement under way finishes before, or waits and
        // finds nothing.
        store::take_board_turn(&mut tx, id).await?;
        let stored = store::get(&mut tx, id).await?.ok_or(CompetitionError::NotFound)?;
        if !stored.runs(caller) {
            return Err(if stored.invite_only { CompetitionError::NotFound } else { CompetitionError::NotOrganiser });
        }
        if stored.status(now_ms()) != Status::Upcoming {
            return Err(CompetitionError::Conflict("a competition that has started stays, for its results".into()));
        }
        store::delete(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }
}

pub(crate) fn view(stored: Stored, caller: &Caller, your_entry: Option<entries::Entry>) -> CompetitionView {
    let runs = stored.runs(caller);
    CompetitionView {
        status: stored.status(now_ms()),
        invite_code: runs.then(|| stored.invite_code.clone()),
        you_run_it: runs,
        id: stored.id,
        organiser_id: stored.organiser_id,
        title: stored.title,
        description: stored.description,
        kind: stored.kind,
        effort_m: stored.effort_m,
        sports: stored.sports,
        starts_at: rfc3339(stored.starts_at),
        ends_at: rfc3339(stored.ends_at),
        time_zone: stored.time_zone,
        invite_only: stored.invite_only,
        region: stored.region,
        entry_limit: stored.entry_limit,
        entrants: stored.entrants,
        your_entry,
    }
}
