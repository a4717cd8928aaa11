//! The partner finder: opting in with sports, levels, days, times, a radius
//! and a home cell; the deck of candidates; level suggestions from one's
//! own recent trainings.

mod deck;
pub(crate) mod store;

use platform::db::now_ms;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{PartnersError, Result};
use crate::{cells, Partners};

pub use deck::{Candidate, ROWS_PER_SPORT};

/// Sports one person may look for company in.
pub const MAX_SPORTS: usize = 10;
pub const MAX_RADIUS_KM: u32 = 100;
const SPEED_KMH: std::ops::RangeInclusive<f64> = 0.5..=200.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

pub const DAYS: [Day; 7] = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri, Day::Sat, Day::Sun];

/// Morning 5–10, midday 10–14, afternoon 14–18, evening 18–23.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TimeOfDay {
    Morning,
    Midday,
    Afternoon,
    Evening,
}

pub const TIMES: [TimeOfDay; 4] = [TimeOfDay::Morning, TimeOfDay::Midday, TimeOfDay::Afternoon, TimeOfDay::Evening];

/// A sport and the speed range someone trains at in it.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SportLevel {
    /// A sport id, such as `run` or `cycle`.
    #[schema(min_length = 1, max_length = 40)]
    pub sport: String,
    /// km/h, 0.5 to 200.
    #[schema(minimum = 0.5, maximum = 200.0)]
    pub min_kmh: f64,
    #[schema(minimum = 0.5, maximum = 200.0)]
    pub max_kmh: f64,
}

/// What a person looks for, as they opt in or change it.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Seeking {
    #[schema(min_items = 1, max_items = 10)]
    pub sports: Vec<SportLevel>,
    #[schema(min_items = 1, max_items = 7)]
    pub days: Vec<Day>,
    #[schema(min_items = 1, max_items = 4)]
    pub times: Vec<TimeOfDay>,
    #[schema(minimum = 1, maximum = 100)]
    pub radius_km: u32,
    /// A geohash of at least 4 characters (cut to 5, about 5 km); without
    /// it, the one given before, else the home area of the social profile.
    #[serde(default)]
    #[schema(min_length = 4, max_length = 12)]
    pub home_area: Option<String>,
}

/// The caller's own finder settings. Their cell is never shown, even to them.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MyFinder {
    pub opted_in: bool,
    pub sports: Vec<SportLevel>,
    pub days: Vec<Day>,
    pub times: Vec<TimeOfDay>,
    pub radius_km: Option<u32>,
}

/// A level suggested from the person's own recent trainings.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Suggestion {
    pub sport: String,
    pub min_kmh: f64,
    pub max_kmh: f64,
    /// How many trainings it was taken from.
    pub trainings: u32,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DeckQuery {
    /// Only this sport (one of mine); all of mine otherwise.
    #[param(max_length = 40)]
    pub sport: Option<String>,
    /// 1 to 50; 20 by default.
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<u32>,
}

/// An opted-in person as stored: the choices as bit sets.
#[derive(Clone, Debug)]
pub struct Seeker {
    pub user_id: String,
    pub cell: String,
    pub radius_km: u32,
    pub days: i64,
    pub times: i64,
    pub opted_in_at: i64,
    pub sports: Vec<SportLevel>,
}

fn repeats<T: PartialEq>(chosen: &[T]) -> bool {
    chosen.iter().enumerate().any(|(i, x)| chosen[..i].contains(x))
}

pub fn bits<T: PartialEq>(chosen: &[T], all: &[T]) -> i64 {
    all.iter().enumerate().filter(|(_, x)| chosen.contains(x)).fold(0, |acc, (i, _)| acc | 1 << i)
}

pub fn from_bits<T: Copy>(set: i64, all: &[T]) -> Vec<T> {
    all.iter().enumerate().filter(|(i, _)| set >> i & 1 == 1).map(|(_, x)| *x).collect()
}

impl Seeking {
    /// Checks every field, naming the first one wrong.
    fn checked(mut self) -> Result<Self> {
        if self.sports.is_empty() || self.sports.len() > MAX_SPORTS {
            return Err(PartnersError::invalid("sports", "choose 1 to 10 sports"));
        }
        let mut seen = Vec::new();
        for level in &mut self.sports {
            if level.sport.chars().count() > 40 {
                return Err(PartnersError::invalid("sports", "a sport is an id of at most 40 characters"));
            }
            level.sport = level.sport.trim().to_string();
            let id_like = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
            if level.sport.is_empty() || level.sport.len() > 40 || !level.sport.chars().all(id_like) {
                return Err(PartnersError::invalid("sports", "a sport is its id, such as `running` or `cycling`"));
            }
            if seen.contains(&level.sport) {
                return Err(PartnersError::invalid("sports", format!("`{}` is chosen twice", level.sport)));
            }
            seen.push(level.sport.clone());
            let (lo, hi) = (level.min_kmh, level.max_kmh);
            if !SPEED_KMH.contains(&lo) || !SPEED_KMH.contains(&hi) || lo > hi {
                return Err(PartnersError::invalid(
                    "sports",
                    "a level is a speed range from min_kmh to max_kmh, each between 0.5 and 200 km/h",
                ));
            }
        }
        if self.days.is_empty() || self.days.len() > DAYS.len() || repeats(&self.days) {
            return Err(PartnersError::invalid("days", "choose one or more days, each once"));
        }
        if self.times.is_empty() || self.times.len() > TIMES.len() || repeats(&self.times) {
            return Err(PartnersError::invalid("times", "choose one or more times of day, each once"));
        }
        if !(1..=MAX_RADIUS_KM).contains(&self.radius_km) {
            return Err(PartnersError::invalid("radius_km", "the radius is 1 to 100 km"));
        }
        if let Some(area) = &self.home_area {
            let cell = (area.len() <= 12).then(|| cells::normalise(area)).flatten().ok_or_else(|| {
                PartnersError::invalid(
                    "home_area",
                    "the home area is a geohash of at least 4 characters, such as u33db",
                )
            })?;
            self.home_area = Some(cell);
        }
        Ok(self)
    }
}

impl Partners {
    /// Opts in, or changes what the caller looks for.
    pub async fn opt_in(&self, me: &str, seeking: Seeking) -> Result<MyFinder> {
        let seeking = seeking.checked()?;
        // Without a home area: the one kept from before, else the profile's.
        let kept = match &seeking.home_area {
            Some(_) => None,
            None => {
                let mut conn = self.platform.db.pool().acquire().await?;
                store::seeker(&mut conn, me).await?.map(|s| s.cell)
            }
        };
        let cell = match seeking.home_area.clone().or(kept) {
            Some(cell) => cell,
            None => {
                let area = self.people.home_area(me).await.map_err(PartnersError::Internal)?;
                area.as_deref().and_then(cells::normalise).ok_or_else(|| {
                    PartnersError::invalid(
                        "home_area",
                        "say where you train: set a home area on your profile, or send one here",
                    )
                })?
            }
        };
        let now = now_ms();
        let mut tx = self.platform.db.begin().await?;
        let opted_in_at = store::seeker(&mut tx, me).await?.map(|s| s.opted_in_at).unwrap_or(now);
        let seeker = Seeker {
            user_id: me.to_string(),
            cell,
            radius_km: seeking.radius_km,
            days: bits(&seeking.days, &DAYS),
            times: bits(&seeking.times, &TIMES),
            opted_in_at,
            sports: seeking.sports,
        };
        store::put(&mut tx, &seeker, now).await?;
        tx.commit().await?;
        Ok(seeker.shown())
    }

    /// Leaves every deck at once.
    pub async fn opt_out(&self, me: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        if !store::remove(&mut tx, me).await? {
            return Err(PartnersError::NotOptedIn);
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn my_finder(&self, me: &str) -> Result<MyFinder> {
        let mut conn = self.platform.db.pool().acquire().await?;
        Ok(store::seeker(&mut conn, me).await?.map(|s| s.shown()).unwrap_or(MyFinder {
            opted_in: false,
            sports: Vec::new(),
            days: Vec::new(),
            times: Vec::new(),
            radius_km: None,
        }))
    }

    /// A level per sport from the last 90 days: the 20 % to 80 % band of the
    /// person's speeds, rounded to half a km/h.
    pub async fn suggestions(&self, me: &str) -> Result<Vec<Suggestion>> {
        let since = now_ms() - 90 * 24 * 3600 * 1000;
        let mut conn = self.platform.db.pool().acquire().await?;
        let speeds = store::speeds(&mut conn, me, since).await?;
        Ok(suggest(speeds))
    }
}

impl Seeker {
    fn shown(&self) -> MyFinder {
        MyFinder {
            opted_in: true,
            sports: self.sports.clone(),
            days: from_bits(self.days, &DAYS),
            times: from_bits(self.times, &TIMES),
            radius_km: Some(self.radius_km),
        }
    }
}

/// Speeds by sport (each list sorted) to suggestions.
fn suggest(by_sport: Vec<(String, Vec<f64>)>) -> Vec<Suggestion> {
    let half = |x: f64| (x * 2.0).round() / 2.0;
    by_sport
        .into_iter()
        .filter(|(_, speeds)| !speeds.is_empty())
        .map(|(sport, speeds)| {
            let at = |q: f64| speeds[((speeds.len() - 1) as f64 * q).round() as usize];
            let (lo, hi) = (half(at(0.2)).max(0.5), half(at(0.8)).min(200.0));
            Suggestion { sport, min_kmh: lo.min(hi), max_kmh: hi.max(lo), trainings: speeds.len() as u32 }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_are_bit_sets_both_ways() {
        let days = [Day::Mon, Day::Sun];
        assert_eq!(bits(&days, &DAYS), 0b100_0001);
        assert_eq!(from_bits(0b100_0001, &DAYS), days);
    }

    #[test]
    fn a_suggestion_is_the_middle_band_of_ones_speeds() {
        let speeds: Vec<f64> = (0..11).map(|i| 8.0 + i as f64 * 0.4).collect(); // 8.0 … 12.0
        let got = suggest(vec![("run".into(), speeds)]);
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].min_kmh, got[0].max_kmh, got[0].trainings), (9.0, 11.0, 11));
    }
}
