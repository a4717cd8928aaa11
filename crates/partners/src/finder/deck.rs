//! The deck: people near the caller, at their level and times, best first.
//! Only the cells within the caller's radius are read (`cells::covering`),
//! SQL ranks the rows found by the score with an approximate distance, and
//! the best of them are scored exactly here.

use std::collections::HashMap;

use platform::db::now_ms;
use serde::Serialize;
use utoipa::ToSchema;

use super::{from_bits, store, Day, DeckQuery, Seeker, SportLevel, TimeOfDay, DAYS, TIMES};
use crate::error::{PartnersError, Result};
use crate::{cells, Partners};

/// Rows a deck query answers per sport: the best by SQL's approximate
/// score, ample for a page of the best by the exact one (the approximation
/// moves a score by at most 0.03).
pub const ROWS_PER_SPORT: i64 = 300;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// Someone the caller could train with. No place, no exact distance.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Candidate {
    pub user_id: String,
    pub display_name: String,
    pub avatar_url: Option<String>,
    /// The sports both look for company in, at this person's level.
    pub sports: Vec<SportLevel>,
    /// Rounded up to 5 km: 5 means within about 5 km.
    pub about_km: u32,
    /// The days and times both train.
    pub days: Vec<Day>,
    pub times: Vec<TimeOfDay>,
    /// Trained in the last 7 days.
    pub active_recently: bool,
}

/// A row a deck query found: one person in one sport.
#[derive(Clone, Debug)]
pub struct Found {
    pub user_id: String,
    pub level: SportLevel,
    pub cell: String,
    pub radius_km: u32,
    pub days: i64,
    pub times: i64,
    pub opted_in_at: i64,
    pub last_trained_at: Option<i64>,
}

struct Scored {
    found: Found,
    sports: Vec<SportLevel>,
    km: f64,
    score: f64,
}

impl Partners {
    pub async fn deck(&self, me: &str, query: DeckQuery) -> Result<Vec<Candidate>> {
        let limit = query.limit.unwrap_or(20);
        if !(1..=50).contains(&limit) {
            return Err(PartnersError::invalid("limit", "the limit is 1 to 50"));
        }
        if query.sport.as_ref().is_some_and(|s| s.len() > 40) {
            return Err(PartnersError::invalid("sport", "a sport is an id of at most 40 characters"));
        }
        // Asked before a connection is taken: social takes one of its own.
        let blocked = self.people.blocked_around(me).await.map_err(PartnersError::Internal)?;
        let found = {
            let mut conn = self.platform.db.pool().acquire().await?;
            let seeker = store::seeker(&mut conn, me).await?.ok_or(PartnersError::NotOptedIn)?;
            let unreadable = || PartnersError::Internal("a stored cell is not a geohash".into());
            let (precision, cells) = cells::covering(&seeker.cell, seeker.radius_km as f64).ok_or_else(unreadable)?;
            let (lat, lon) = cells::centre(&seeker.cell).ok_or_else(unreadable)?;
            let now = now_ms();
            let ranking = store::Ranking { lat, lon, week_ago: now - 7 * DAY_MS, month_ago: now - 30 * DAY_MS };
            let mut found = Vec::new();
            for level in seeker.sports.iter().filter(|l| query.sport.as_ref().is_none_or(|s| *s == l.sport)) {
                let rows =
                    store::near(&mut conn, &seeker, level, (precision, &cells), &ranking, ROWS_PER_SPORT).await?;
                found.push((level.clone(), rows));
            }
            (seeker, found)
        };
        let (seeker, found) = found;
        let mut best = rank(&seeker, found, &blocked, now_ms());
        best.truncate(limit as usize);
        let ids: Vec<String> = best.iter().map(|s| s.found.user_id.clone()).collect();
        let profiles = self.people.profiles(&ids).await.map_err(PartnersError::Internal)?;
        let by_id: HashMap<_, _> = profiles.into_iter().map(|p| (p.id.clone(), p)).collect();
        Ok(best
            .into_iter()
            .filter_map(|s| {
                let profile = by_id.get(&s.found.user_id)?;
                Some(Candidate {
                    user_id: s.found.user_id,
                    display_name: profile.display_name.clone(),
                    avatar_url: profile.avatar_url.clone(),
                    sports: s.sports,
                    about_km: cells::shown_km(s.km),
                    days: from_bits(s.found.days & seeker.days, &DAYS),
                    times: from_bits(s.found.times & seeker.times, &TIMES),
                    active_recently: s.found.last_trained_at.is_some_and(|at| at >= now_ms() - 7 * DAY_MS),
                })
            })
            .collect())
    }
}

/// Everyone found, each once with their best sport's score and every
/// shared sport, within both radii and not blocked, best first.
fn rank(me: &Seeker, found: Vec<(SportLevel, Vec<Found>)>, blocked: &[String], now: i64) -> Vec<Scored> {
    let mut by_person: HashMap<String, Scored> = HashMap::new();
    for (mine, rows) in found {
        for row in rows {
            if blocked.contains(&row.user_id) {
                continue;
            }
            let Some(km) = cells::distance_km(&me.cell, &row.cell) else { continue };
            if km > me.radius_km as f64 || km > row.radius_km as f64 {
                continue;
            }
            let score = score(me, &mine, &row, km, now);
            let level = row.level.clone();
            match by_person.get_mut(&row.user_id) {
                Some(seen) => {
                    seen.sports.push(level);
                    if score > seen.score {
                        seen.score = score;
                    }
                }
                None => {
                    let id = row.user_id.clone();
                    by_person.insert(id, Scored { found: row, sports: vec![level], km, score });
                }
            }
        }
    }
    let mut ranked: Vec<Scored> = by_person.into_values().collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.found.opted_in_at.cmp(&b.found.opted_in_at))
            .then(a.found.user_id.cmp(&b.found.user_id))
    });
    ranked
}

/// 0 to 1, higher first; the weights are documented in `docs/partners.md`.
pub fn score(me: &Seeker, mine: &SportLevel, them: &Found, km: f64, now: i64) -> f64 {
    let near = 1.0 - (km / me.radius_km as f64).min(1.0);
    let width = (mine.max_kmh - mine.min_kmh).max(1.0);
    let middle = |l: &SportLevel| (l.min_kmh + l.max_kmh) / 2.0;
    let level = 1.0 - ((middle(mine) - middle(&them.level)).abs() / width).min(1.0);
    let slots = |days: i64, times: i64| (days.count_ones() * times.count_ones()) as f64;
    let overlap = slots(me.days & them.days, me.times & them.times) / slots(me.days, me.times).max(1.0);
    let active = match them.last_trained_at {
        Some(at) if at >= now - 7 * DAY_MS => 1.0,
        Some(at) if at >= now - 30 * DAY_MS => 0.5,
        _ => 0.0,
    };
    0.40 * near + 0.25 * level + 0.20 * overlap + 0.15 * active
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeker(cell: &str, radius_km: u32) -> Seeker {
        Seeker {
            user_id: "me".into(),
            cell: cell.into(),
            radius_km,
            days: 0b1111111,
            times: 0b1111,
            opted_in_at: 0,
            sports: vec![run(10.0, 12.0)],
        }
    }

    fn run(min_kmh: f64, max_kmh: f64) -> SportLevel {
        SportLevel { sport: "run".into(), min_kmh, max_kmh }
    }

    fn found(id: &str, cell: &str, radius_km: u32, level: SportLevel) -> Found {
        Found {
            user_id: id.into(),
            level,
            cell: cell.into(),
            radius_km,
            days: 0b1,
            times: 0b1,
            opted_in_at: 0,
            last_trained_at: None,
        }
    }

    #[test]
    fn nearer_and_closer_in_level_come_first_and_both_radii_hold() {
        let me = seeker(&cells::encode(52.52, 13.40, 5), 30);
        let near = cells::encode(52.53, 13.42, 5);
        let farther = cells::encode(52.60, 13.70, 5);
        let rows = vec![
            found("far", &farther, 30, run(10.0, 12.0)),
            found("near", &near, 30, run(10.0, 12.0)),
            found("near-other-level", &near, 30, run(11.0, 13.0)),
            found("unwilling", &farther, 5, run(10.0, 12.0)),
            found("blocked", &near, 30, run(10.0, 12.0)),
        ];
        let ranked = rank(&me, vec![(run(10.0, 12.0), rows)], &["blocked".to_string()], 0);
        let ids: Vec<&str> = ranked.iter().map(|s| s.found.user_id.as_str()).collect();
        assert_eq!(ids, ["near", "near-other-level", "far"]);
    }
}
