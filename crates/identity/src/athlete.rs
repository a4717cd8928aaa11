//! What competitions place a person in categories by (sex, year of birth,
//! body weight), each optional. Identity keeps them on the account; other
//! contexts ask through traits of their own, which the binary answers with
//! [`Identity::athlete_facts`].

use platform::people::AthleteFacts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{IdentityError, Result};
use crate::store;
use crate::Identity;

pub const EARLIEST_BIRTH_YEAR: i32 = 1900;
pub const LIGHTEST_KG: f64 = 20.0;
pub const HEAVIEST_KG: f64 = 300.0;

/// The sex a person competes as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Female,
    Male,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "female" => Some(Sex::Female),
            "male" => Some(Sex::Male),
            _ => None,
        }
    }
}

/// The facts as the account holds them; `None` where the person did not say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Athlete {
    pub sex: Option<Sex>,
    pub birth_year: Option<i32>,
    pub weight_kg: Option<f64>,
}

impl From<Athlete> for AthleteFacts {
    fn from(athlete: Athlete) -> Self {
        AthleteFacts {
            sex: athlete.sex.map(|sex| sex.as_str().to_string()),
            birth_year: athlete.birth_year,
            weight_kg: athlete.weight_kg,
        }
    }
}

/// A checked change of the facts: `None` leaves a fact as it is, `Some(None)` clears it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct AthleteChange {
    pub sex: Option<Option<Sex>>,
    pub birth_year: Option<Option<i32>>,
    pub weight_kg: Option<Option<f64>>,
}

impl AthleteChange {
    /// Checks each fact that is set; `this_year` bounds the year of birth.
    pub fn check(
        sex: Option<Option<String>>,
        birth_year: Option<Option<i32>>,
        weight_kg: Option<Option<f64>>,
        this_year: i32,
    ) -> Result<Self> {
        Ok(Self {
            sex: each(sex, |sex| {
                Sex::parse(sex.trim()).ok_or_else(|| IdentityError::invalid("sex", "Choose female or male, or null."))
            })?,
            birth_year: each(birth_year, |year| check_birth_year(year, this_year))?,
            weight_kg: each(weight_kg, check_weight)?,
        })
    }
}

/// Checks a value that is set, keeping "left out" and "cleared" as they came.
fn each<T, U>(value: Option<Option<T>>, check: impl FnOnce(T) -> Result<U>) -> Result<Option<Option<U>>> {
    value.map(|set| set.map(check).transpose()).transpose()
}

fn check_birth_year(year: i32, this_year: i32) -> Result<i32> {
    if (EARLIEST_BIRTH_YEAR..=this_year).contains(&year) {
        return Ok(year);
    }
    Err(IdentityError::invalid("birth_year", format!("Enter a year from {EARLIEST_BIRTH_YEAR} to {this_year}.")))
}

fn check_weight(kg: f64) -> Result<f64> {
    if (LIGHTEST_KG..=HEAVIEST_KG).contains(&kg) {
        return Ok(kg);
    }
    Err(IdentityError::invalid("weight_kg", format!("Enter a weight from {LIGHTEST_KG} to {HEAVIEST_KG} kg.")))
}

/// The calendar year (UTC) of an instant in epoch milliseconds.
pub(crate) fn year_of(ms: i64) -> i32 {
    // RFC 3339 begins with the four digits of the year, until the year 9999.
    platform::db::rfc3339(ms)[..4].parse().expect("an RFC 3339 time starts with its year")
}

impl Identity {
    /// What competitions place a person in categories by; none when the account is gone.
    pub async fn athlete_facts(&self, user_id: &str) -> Result<Option<AthleteFacts>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        Ok(store::user_by_id(&mut conn, user_id).await?.map(|user| user.athlete.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(error: IdentityError) -> &'static str {
        match error {
            IdentityError::Invalid { field, .. } => field,
            other => panic!("not an invalid value: {other}"),
        }
    }

    #[test]
    fn set_facts_are_checked_and_left_out_or_cleared_ones_pass() {
        let change = AthleteChange::check(Some(Some(" female ".into())), Some(None), None, 2026).unwrap();
        assert_eq!(change, AthleteChange { sex: Some(Some(Sex::Female)), birth_year: Some(None), weight_kg: None });
        let edges = AthleteChange::check(None, Some(Some(2026)), Some(Some(300.0)), 2026).unwrap();
        assert_eq!((edges.birth_year, edges.weight_kg), (Some(Some(2026)), Some(Some(300.0))));

        let refused =
            |sex: &str, year, kg| field(AthleteChange::check(Some(Some(sex.into())), year, kg, 2026).unwrap_err());
        assert_eq!(refused("x", None, None), "sex");
        assert_eq!(refused("male", Some(Some(1899)), None), "birth_year");
        assert_eq!(refused("male", Some(Some(2027)), None), "birth_year");
        assert_eq!(refused("male", None, Some(Some(19.9))), "weight_kg");
        assert_eq!(refused("male", None, Some(Some(300.1))), "weight_kg");
    }

    #[test]
    fn the_year_is_read_in_utc() {
        assert_eq!(year_of(0), 1970);
        // 2026-12-31T23:59:59.999Z, then the first millisecond of 2027.
        assert_eq!(year_of(1_798_761_599_999), 2026);
        assert_eq!(year_of(1_798_761_600_000), 2027);
    }
}
