//! Totals per week, month or year, per sport: how much, how long, how high.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, OffsetDateTime, UtcOffset};
use utoipa::{IntoParams, ToSchema};

use crate::error::{Result, TrainingError};
use crate::workouts::store;
use crate::Training;

#[derive(Clone, Copy, Debug, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Monday to Sunday.
    Week,
    Month,
    Year,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// week, month or year.
    pub period: Period,
    /// The first day (`2026-01-01`, years 1900 to 9000); twelve periods
    /// before `to` when left out. At most 530 periods from `from` to `to`.
    #[param(format = Date, pattern = r"^(19[0-9]{2}|[2-8][0-9]{3}|9000)-")]
    pub from: Option<String>,
    /// The last day, inclusive (years 1900 to 9000); today when left out.
    #[param(format = Date, pattern = r"^(19[0-9]{2}|[2-8][0-9]{3}|9000)-")]
    pub to: Option<String>,
    pub sport: Option<String>,
    /// The person's offset from UTC in minutes (60 for Central Europe in
    /// winter), so a run at 00:30 local time counts on its own day; within ±14 hours.
    #[param(minimum = -840, maximum = 840)]
    pub utc_offset_minutes: Option<i32>,
}

#[derive(Debug, Default, Clone, Serialize, ToSchema)]
pub struct Totals {
    pub workouts: u32,
    pub distance_m: f64,
    pub duration_s: f64,
    pub moving_s: f64,
    pub elevation_gain_m: f64,
}

impl Totals {
    fn add(&mut self, row: &Counted) {
        self.workouts += 1;
        self.distance_m += row.distance_m;
        self.duration_s += row.duration_s;
        self.moving_s += row.moving_s;
        self.elevation_gain_m += row.elevation_gain_m;
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodTotals {
    /// The period's first day.
    pub start: String,
    pub total: Totals,
    /// Sport id → its totals.
    pub sports: BTreeMap<String, Totals>,
}

/// One sport's totals over the whole range asked for.
#[derive(Debug, Default, Clone, Serialize, ToSchema)]
pub struct SportTotals {
    /// How many workouts.
    pub count: u32,
    pub distance_m: f64,
    pub duration_s: f64,
    pub elevation_gain_m: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Stats {
    pub period: Period,
    pub from: String,
    pub to: String,
    /// Every period in the range, oldest first, empty ones included.
    pub periods: Vec<PeriodTotals>,
    /// Sport id → its totals over the whole range (only sports with a workout in it).
    pub by_sport: BTreeMap<String, SportTotals>,
}

struct Counted {
    day: Date,
    sport: String,
    distance_m: f64,
    duration_s: f64,
    moving_s: f64,
    elevation_gain_m: f64,
}

/// At most this many periods in one answer (ten years of weeks).
const MAX_PERIODS: usize = 530;

impl Training {
    pub async fn stats(&self, user_id: &str, query: StatsQuery) -> Result<Stats> {
        let offset_minutes = query.utc_offset_minutes.unwrap_or(0);
        let offset = Some(offset_minutes)
            .filter(|m| (-14 * 60..=14 * 60).contains(m))
            .and_then(|m| UtcOffset::from_whole_seconds(m * 60).ok())
            .ok_or_else(|| TrainingError::invalid("utc_offset_minutes", "the offset must be within ±14 hours"))?;
        let to = match &query.to {
            Some(day) => parse_day("to", day)?,
            None => OffsetDateTime::now_utc().to_offset(offset).date(),
        };
        let from = match &query.from {
            Some(day) => period_start(query.period, parse_day("from", day)?),
            None => back_eleven(query.period, period_start(query.period, to)),
        };
        if from > to {
            return Err(TrainingError::invalid("from", "`from` must not come after `to`"));
        }
        let mut periods = Vec::new();
        let mut start = from;
        while start <= to {
            if periods.len() == MAX_PERIODS {
                return Err(TrainingError::invalid("from", "that is too many periods at once; ask for fewer"));
            }
            periods.push(PeriodTotals { start: start.to_string(), total: Totals::default(), sports: BTreeMap::new() });
            start = next_period(query.period, start);
        }
        let mut by_sport: BTreeMap<String, SportTotals> = BTreeMap::new();
        for row in self.rows(user_id, &query, from, to, offset).await? {
            let start = period_start(query.period, row.day).to_string();
            if let Some(p) = periods.iter_mut().find(|p| p.start == start) {
                p.total.add(&row);
                p.sports.entry(row.sport.clone()).or_default().add(&row);
                let sport = by_sport.entry(row.sport.clone()).or_default();
                sport.count += 1;
                sport.distance_m += row.distance_m;
                sport.duration_s += row.duration_s;
                sport.elevation_gain_m += row.elevation_gain_m;
            }
        }
        Ok(Stats { period: query.period, from: from.to_string(), to: to.to_string(), periods, by_sport })
    }

    async fn rows(
        &self,
        user_id: &str,
        q: &StatsQuery,
        from: Date,
        to: Date,
        offset: UtcOffset,
    ) -> Result<Vec<Counted>> {
        let local_ms = |day: Date| (day.midnight().assume_offset(offset).unix_timestamp()) * 1000;
        let (start, end) = (local_ms(from), local_ms(to.next_day().unwrap_or(to)));
        let mut conn = self.platform.db.read().await?;
        let sport = q.sport.clone().unwrap_or_default();
        let workouts = store::counted_between(&mut conn, user_id, (start, end), &sport).await?;
        let mut out = Vec::with_capacity(workouts.len());
        for workout in workouts {
            let at = OffsetDateTime::from_unix_timestamp(workout.started_ms.div_euclid(1000))
                .map_err(|e| TrainingError::Internal(e.to_string()))?;
            out.push(Counted {
                day: at.to_offset(offset).date(),
                sport: workout.sport,
                distance_m: workout.distance_m.unwrap_or(0.0),
                duration_s: workout.duration_s,
                moving_s: workout.moving_s.unwrap_or(workout.duration_s),
                elevation_gain_m: workout.elevation_gain_m.unwrap_or(0.0),
            });
        }
        Ok(out)
    }
}

fn parse_day(field: &'static str, text: &str) -> Result<Date> {
    Date::parse(text.trim(), time::macros::format_description!("[year]-[month]-[day]"))
        .ok()
        // Far from the calendar's end, so stepping a period on never overflows.
        .filter(|day| (1900..=9000).contains(&day.year()))
        .ok_or_else(|| {
            TrainingError::invalid(field, format!("`{text}` is not a day like 2026-11-25 (years 1900 to 9000)"))
        })
}

fn period_start(period: Period, day: Date) -> Date {
    match period {
        Period::Week => day - Duration::days(i64::from(day.weekday().number_days_from_monday())),
        Period::Month => day.replace_day(1).expect("every month has a first"),
        Period::Year => Date::from_calendar_date(day.year(), Month::January, 1).expect("every year has a first"),
    }
}

fn next_period(period: Period, start: Date) -> Date {
    match period {
        Period::Week => start + Duration::weeks(1),
        Period::Month => {
            let (year, month) = if start.month() == Month::December {
                (start.year() + 1, Month::January)
            } else {
                (start.year(), start.month().next())
            };
            Date::from_calendar_date(year, month, 1).expect("a first of the month")
        }
        Period::Year => Date::from_calendar_date(start.year() + 1, Month::January, 1).expect("a first of January"),
    }
}

/// The start of the period eleven before `start`: twelve periods in all.
fn back_eleven(period: Period, start: Date) -> Date {
    match period {
        Period::Week => start - Duration::weeks(11),
        Period::Month => {
            let months = start.year() * 12 + i32::from(u8::from(start.month())) - 1 - 11;
            let month = Month::try_from((months.rem_euclid(12) + 1) as u8).expect("1 to 12");
            Date::from_calendar_date(months.div_euclid(12), month, 1).expect("a first of the month")
        }
        Period::Year => Date::from_calendar_date(start.year() - 11, Month::January, 1).expect("a first of January"),
    }
}
