//! The query behind lists of workouts: a WHERE clause built from what the
//! list asks for, newest first, with numbered parameters.

use platform::db::Reads;
use sqlx::any::AnyArguments;
use sqlx::Arguments;

use super::{from_row, COLUMNS};
use crate::error::Result;
use crate::workouts::model::{Privacy, Workout};

/// Which of one person's workouts a list shows, newest first.
pub struct Listing {
    pub owner: String,
    /// Only workouts of these privacies; none: every one (the owner's own list).
    pub privacies: Option<Vec<Privacy>>,
    pub sport: Option<String>,
    /// Epoch milliseconds, inclusive.
    pub from_ms: Option<i64>,
    /// Epoch milliseconds, exclusive.
    pub to_ms: Option<i64>,
    pub min_distance_m: Option<f64>,
    pub max_distance_m: Option<f64>,
    /// Words to find in the title or notes, whatever their case.
    pub words: Option<String>,
    /// Only workouts after this one (its start and id) in the order of the list.
    pub after: Option<(i64, String)>,
    pub limit: u32,
}

pub async fn list(conn: &mut impl Reads, listing: Listing) -> Result<Vec<Workout>> {
    let limit = listing.limit;
    let c = conditions(listing);
    let sql = format!(
        "SELECT {} FROM workouts WHERE {} ORDER BY started_at DESC, id DESC LIMIT {}",
        COLUMNS,
        c.sql.join(" AND "),
        limit
    );
    let rows = conn.fetch_all(sqlx::query_with(&sql, c.args)).await?;
    rows.iter().map(from_row).collect()
}

fn conditions(listing: Listing) -> Conditions {
    let mut c = Conditions::default();
    c.add("user_id = ?", vec![Value::Text(listing.owner)]);
    if let Some(privacies) = listing.privacies {
        let marks = vec!["?"; privacies.len()].join(", ");
        c.add(&format!("privacy IN ({marks})"), privacies.iter().map(|p| Value::Text(p.as_str().into())).collect());
    }
    if let Some(sport) = listing.sport {
        c.add("sport_id = ?", vec![Value::Text(sport)]);
    }
    if let Some(from) = listing.from_ms {
        c.add("started_at >= ?", vec![Value::Int(from)]);
    }
    if let Some(to) = listing.to_ms {
        c.add("started_at < ?", vec![Value::Int(to)]);
    }
    if let Some(min) = listing.min_distance_m {
        c.add("distance_m >= ?", vec![Value::Real(min)]);
    }
    if let Some(max) = listing.max_distance_m {
        c.add("distance_m <= ?", vec![Value::Real(max)]);
    }
    if let Some(words) = listing.words {
        let pattern = format!("%{}%", like_escaped(&words.to_lowercase()));
        c.add(
            r"(LOWER(title) LIKE ? ESCAPE '\' OR LOWER(notes) LIKE ? ESCAPE '\')",
            vec![Value::Text(pattern.clone()), Value::Text(pattern)],
        );
    }
    if let Some((started, id)) = listing.after {
        let after = vec![Value::Int(started), Value::Int(started), Value::Text(id)];
        c.add("(started_at < ? OR (started_at = ? AND id < ?))", after);
    }
    c
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

/// `%` and `_` in the words match themselves, not any text.
fn like_escaped(words: &str) -> String {
    words.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
