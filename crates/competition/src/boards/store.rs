//! Boards' SQL: pages in place order and a person's place, on a
//! competition's entries or a global board's bests. Both walk an index in
//! the board's order (`competition_entries_board`, `global_bests_board`),
//! so a page reads only its own rows whatever the board's size.

use platform::db::Reads;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Row};

use crate::competitions::Stored;
use crate::error::Result;

/// A value to bind.
#[derive(Clone, Debug)]
pub enum Value {
    Text(String),
    Int(i64),
    Float(f64),
}

/// Which rows make a board: a table, the rows in it, and the columns that
/// order it (ascending: key, then when, then who).
#[derive(Clone, Debug)]
pub struct Board {
    table: &'static str,
    key: &'static str,
    columns: &'static str,
    conditions: Vec<String>,
    values: Vec<Value>,
    /// The board's name in `board_counts` and its band width, while no
    /// filter narrows it but one facet (a filtered board counts its rows instead).
    counted: Option<(String, f64)>,
    /// The conditions every row of the board meets; more narrow it.
    base: usize,
}

/// The band of `key` on a board of bands `width` wide, and where it
/// starts: `start <= key < start + width` holds in floating point too, so
/// the rows a band counts are exactly those its range holds.
pub fn band(key: f64, width: f64) -> (i64, f64) {
    let mut band = (key / width).floor() as i64;
    while band as f64 * width > key {
        band -= 1;
    }
    while (band + 1) as f64 * width <= key {
        band += 1;
    }
    (band, band as f64 * width)
}

/// Counts a row in (`change` 1) or out (-1) of the band of `key`.
pub async fn count(conn: &mut AnyConnection, board: &str, width: f64, key: f64, change: i64) -> Result<()> {
    count_band(conn, board, band(key, width).0, change).await
}

/// Counts `change` rows in or out of one band of a board.
pub async fn count_band(conn: &mut AnyConnection, board: &str, bucket: i64, change: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO board_counts (board, bucket, n) VALUES ($1, $2, $3)
         ON CONFLICT (board, bucket) DO UPDATE SET n = board_counts.n + excluded.n",
    )
    .bind(board)
    .bind(bucket)
    .bind(change)
    .execute(conn)
    .await?;
    Ok(())
}

pub fn competition_board_name(competition_id: &str) -> String {
    format!("c:{competition_id}")
}

/// The counts of a competition board's rows with one facet (`sex=female`).
pub fn facet_board_name(board: &str, facet: &str) -> String {
    format!("{board}|{facet}")
}

/// Puts `bands` ((board, band) → rows) in place of every count of `board`
/// and of its facets' boards.
pub async fn replace_counts(
    conn: &mut AnyConnection,
    board: &str,
    bands: std::collections::BTreeMap<(String, i64), i64>,
) -> Result<()> {
    sqlx::query("DELETE FROM board_counts WHERE board = $1 OR board LIKE $2")
        .bind(board)
        .bind(facet_board_name(board, "%"))
        .execute(&mut *conn)
        .await?;
    for ((name, bucket), n) in bands {
        sqlx::query("INSERT INTO board_counts (board, bucket, n) VALUES ($1, $2, $3)")
            .bind(name)
            .bind(bucket)
            .bind(n)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub fn global_board_name(sport: &str, distance_m: f64, period: &str) -> String {
    format!("g:{sport}:{distance_m}:{period}")
}

/// The band width of global boards: a second.
pub const GLOBAL_WIDTH: f64 = 1.0;

/// Where a row stands in a board's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Position {
    pub key: f64,
    pub at: i64,
    pub user_id: String,
}

impl Board {
    pub fn competition(competition_id: &str, width: f64) -> Self {
        let mut board = Self {
            table: "competition_entries",
            key: "place_key",
            columns: "user_id, place_key AS key, achieved_at AS at, score, trainings, workout_id, team_id",
            conditions: Vec::new(),
            values: Vec::new(),
            counted: None,
            base: 2,
        };
        board.add("competition_id = ?", [Value::Text(competition_id.into())]);
        board.add("disqualified = 0 AND place_key IS NOT NULL", []);
        board.counted = Some((competition_board_name(competition_id), width));
        board
    }

    pub fn global(sport: &str, distance_m: f64, period: &str) -> Self {
        let mut board = Self {
            table: "global_bests",
            key: "seconds",
            columns: "user_id, seconds AS key, achieved_at AS at, seconds AS score, 1 AS trainings, workout_id, NULL AS team_id",
            conditions: Vec::new(),
            values: Vec::new(),
            counted: None,
            base: 1,
        };
        board.add(
            "sport = ? AND distance_m = ? AND period = ?",
            [Value::Text(sport.into()), Value::Float(distance_m), Value::Text(period.into())],
        );
        board.counted = Some((global_board_name(sport, distance_m, period), GLOBAL_WIDTH));
        board
    }

    /// Narrows the board: `condition` with a `?` per value, in order.
    pub fn add(&mut self, condition: &str, values: impl IntoIterator<Item = Value>) {
        self.conditions.push(condition.to_string());
        self.values.extend(values);
        self.counted = None;
    }

    /// Narrows the board to one facet (`sex=female`), whose rows `condition`
    /// picks. Narrowed by that alone, it still answers places from counts:
    /// those its facet's board keeps.
    pub fn add_facet(&mut self, facet: &str, condition: &str, values: impl IntoIterator<Item = Value>) {
        let counted = self.counted.take().filter(|_| self.conditions.len() == self.base);
        self.add(condition, values);
        self.counted = counted.map(|(name, width)| (facet_board_name(&name, facet), width));
    }

    /// The conditions with numbered parameters from `$first`.
    fn filter(&self, first: usize) -> String {
        let mut n = first;
        let joined = self.conditions.join(" AND ");
        let mut out = String::with_capacity(joined.len() + 16);
        for c in joined.chars() {
            if c == '?' {
                out.push_str(&format!("${n}"));
                n += 1;
            } else {
                out.push(c);
            }
        }
        out
    }

    fn bind<'q>(&self, mut query: Query<'q, Any, AnyArguments<'q>>) -> Query<'q, Any, AnyArguments<'q>> {
        for v in &self.values {
            query = match v.clone() {
                Value::Text(t) => query.bind(t),
                Value::Int(i) => query.bind(i),
                Value::Float(f) => query.bind(f),
            };
        }
        query
    }

    /// Rows after `after` (or from the top), best first; `backwards` walks
    /// from `after` towards the top instead, nearest first.
    pub async fn page(
        &self,
        conn: &mut impl Reads,
        after: Option<&Position>,
        backwards: bool,
        limit: i64,
    ) -> Result<Vec<AnyRow>> {
        let n = self.values.len();
        let (op, order) = if backwards { ("<", "DESC") } else { (">", "ASC") };
        let key = self.key;
        // A row value, not the same test spelt out with ORs: both databases
        // then start the index walk at the cursor instead of filtering rows.
        let beyond = match after {
            Some(_) => format!(" AND ({key}, achieved_at, user_id) {op} (${}, ${}, ${})", n + 1, n + 2, n + 3),
            None => String::new(),
        };
        let sql = format!(
            "SELECT {} FROM {} WHERE {}{beyond} ORDER BY {key} {order}, achieved_at {order}, user_id {order} LIMIT ${}",
            self.columns,
            self.table,
            self.filter(1),
            n + if after.is_some() { 4 } else { 1 }
        );
        let mut query = self.bind(sqlx::query(&sql));
        if let Some(p) = after {
            query = query.bind(p.key).bind(p.at).bind(p.user_id.clone());
        }
        Ok(conn.fetch_all(query.bind(limit)).await?)
    }

    /// How many rows stand before `position`: the rows of the bands
    /// before its own, then those of its band that stand before it.
    pub async fn ahead_of(&self, conn: &mut impl Reads, position: &Position) -> Result<i64> {
        let Some((name, width)) = &self.counted else { return self.count_before(conn, position, None).await };
        let (band, start) = band(position.key, *width);
        let query = sqlx::query(
            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM board_counts WHERE board = $1 AND bucket < $2",
        )
        .bind(name)
        .bind(band);
        let before: i64 = conn.fetch_one(query).await?.try_get("n")?;
        Ok(before + self.count_before(conn, position, Some(start)).await?)
    }

    /// Counts the rows before `position`, from the key `from` on if given.
    async fn count_before(&self, conn: &mut impl Reads, position: &Position, from: Option<f64>) -> Result<i64> {
        let n = self.values.len();
        let key = self.key;
        let band = if from.is_some() { format!(" AND {key} >= ${}", n + 4) } else { String::new() };
        // The row value bounds the index range from above; with the band's
        // start below it, the count reads only the band's rows before the person.
        let sql = format!(
            "SELECT COUNT(*) AS n FROM {} WHERE {}{band} AND ({key}, achieved_at, user_id) < (${}, ${}, ${})",
            self.table,
            self.filter(1),
            n + 1,
            n + 2,
            n + 3
        );
        let mut query =
            self.bind(sqlx::query(&sql)).bind(position.key).bind(position.at).bind(position.user_id.clone());
        if let Some(from) = from {
            query = query.bind(from);
        }
        Ok(conn.fetch_one(query).await?.try_get("n")?)
    }

    /// Counts the board's bands again from its rows.
    pub async fn recount(&self, conn: &mut AnyConnection) -> Result<()> {
        let Some((name, width)) = &self.counted else { return Ok(()) };
        let sql = format!("SELECT {} AS key FROM {} WHERE {}", self.key, self.table, self.filter(1));
        let mut bands: std::collections::BTreeMap<(String, i64), i64> = Default::default();
        {
            use futures::TryStreamExt;
            let query = self.bind(sqlx::query(&sql));
            let mut rows = query.fetch(&mut *conn);
            while let Some(row) = rows.try_next().await? {
                *bands.entry((name.clone(), band(row.try_get("key")?, *width).0)).or_default() += 1;
            }
        }
        replace_counts(conn, name, bands).await
    }

    /// The person's row on this board, if they are on it.
    pub async fn row_of(&self, conn: &mut impl Reads, user_id: &str) -> Result<Option<AnyRow>> {
        let n = self.values.len();
        let sql =
            format!("SELECT {} FROM {} WHERE {} AND user_id = ${}", self.columns, self.table, self.filter(1), n + 1);
        Ok(conn.fetch_optional(self.bind(sqlx::query(&sql)).bind(user_id.to_string())).await?)
    }
}

pub fn position(row: &AnyRow) -> Result<Position> {
    Ok(Position { key: row.try_get("key")?, at: row.try_get("at")?, user_id: row.try_get("user_id")? })
}

/// The person's place on a competition's whole board (1 is first).
pub async fn place_of(conn: &mut AnyConnection, competition: &Stored, user_id: &str) -> Result<Option<i64>> {
    let board = Board::competition(&competition.id, competition.kind.band_width());
    match board.row_of(conn, user_id).await? {
        Some(row) => Ok(Some(board.ahead_of(conn, &position(&row)?).await? + 1)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::band;

    #[test]
    fn a_key_lies_in_its_band_whatever_the_rounding() {
        for key in [0.0, 0.1, 0.3, 0.7, -0.1, -1000.0, -1000.0001, 999.9999999, -42_195.3, 1e12, -7.000000000000001] {
            for width in [1.0, 50.0, 600.0, 1000.0, 0.1] {
                let (b, start) = band(key, width);
                assert!(start <= key && key < (b + 1) as f64 * width, "{key} in {b} of {width}");
            }
        }
    }
}
