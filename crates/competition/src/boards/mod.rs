//! Leaderboards: a competition's (overall or filtered) and the global
//! boards of the fastest efforts per sport, each as a page from the top
//! and as "my place and the people around me".

pub(crate) mod store;

use std::collections::{HashMap, HashSet};

use platform::http::Caller;
use platform::people::PublicProfile;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;
use utoipa::{IntoParams, ToSchema};

use crate::competitions::Stored;
use crate::error::{CompetitionError, Result};
use crate::people::EntrantFacts;
use crate::Competitions;
use store::{Board, Position, Value};

/// One line of a board.
#[derive(Debug, Serialize, ToSchema)]
pub struct Standing {
    /// 1 is first.
    pub place: i64,
    pub person: PublicProfile,
    /// Metres, seconds or a count, by the board's kind.
    pub score: f64,
    pub trainings: i64,
    /// The training behind a single-training result, when it may be shown.
    pub workout_id: Option<String>,
    pub team_id: Option<String>,
    pub achieved_at: String,
    /// Whether this line is the caller's.
    pub you: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BoardPage {
    pub items: Vec<Standing>,
    /// Pass as `cursor` for the next places; none on the last page.
    pub next_cursor: Option<String>,
}

/// The caller's place and their neighbours.
#[derive(Debug, Serialize, ToSchema)]
pub struct AroundMe {
    /// None when the caller has no result on this board (or it was disqualified).
    pub place: Option<i64>,
    /// Up to `around` above the caller, the caller, and up to `around` below.
    pub items: Vec<Standing>,
}

/// Which part of a competition's board to show.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct BoardQuery {
    /// 1 to 100; 50 when left out.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// `female` or `male`.
    #[param(pattern = "^(female|male)$")]
    pub sex: Option<String>,
    /// `u20`, `20-29`, `30-39`, `40-49`, `50-59` or `60+`, as of the competition's start.
    #[param(pattern = "^(u20|20-29|30-39|40-49|50-59|60\\+)$")]
    pub age_group: Option<String>,
    /// `u60`, `60-70`, `70-80`, `80-90` or `90+` (kilograms).
    #[param(pattern = "^(u60|60-70|70-80|80-90|90\\+)$")]
    pub weight_class: Option<String>,
    /// A team's id.
    pub team: Option<String>,
    /// A geohash prefix of entrants' home areas, 1 to 5 characters.
    #[param(pattern = "^[0-9bcdefghjkmnpqrstuvwxyz]{1,5}$")]
    pub region: Option<String>,
    /// Only people the caller follows, and the caller.
    pub following: Option<bool>,
    /// For `/me`: how many above and below, 0 to 10; 3 when left out.
    #[param(minimum = 0, maximum = 10)]
    pub around: Option<u32>,
    /// The invitation code, for an invite-only competition not entered yet.
    pub code: Option<String>,
}

/// A global board's sport and distance.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct GlobalPath {
    /// A sport's id, such as `running`.
    #[param(pattern = "^[a-z0-9-]{1,40}$")]
    pub sport: String,
    #[param(inline)]
    pub distance: Distance,
}

/// The distances of the global boards.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
pub enum Distance {
    #[serde(rename = "1k")]
    OneK,
    #[serde(rename = "5k")]
    FiveK,
    #[serde(rename = "10k")]
    TenK,
    #[serde(rename = "half")]
    Half,
    #[serde(rename = "marathon")]
    Marathon,
}

impl Distance {
    pub fn metres(self) -> f64 {
        match self {
            Distance::OneK => 1000.0,
            Distance::FiveK => 5000.0,
            Distance::TenK => 10_000.0,
            Distance::Half => 21_097.5,
            Distance::Marathon => 42_195.0,
        }
    }
}

/// Which global board.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct GlobalQuery {
    /// `all` (all time, the default) or `year` (this calendar year, UTC).
    #[param(pattern = "^(all|year)$")]
    pub period: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    #[param(minimum = 0, maximum = 10)]
    pub around: Option<u32>,
}

const MAX_FOLLOWINGS: usize = 5000;

impl Competitions {
    pub async fn board(&self, caller: &Caller, id: &str, query: BoardQuery) -> Result<BoardPage> {
        let limit = limit_of(query.limit)?;
        around_of(query.around)?; // not used here, but refused when out of range like everywhere
        let (board, hidden) = self.competition_board(caller, id, &query).await?;
        self.page(caller, board, hidden, query.cursor.as_deref(), limit).await
    }

    pub async fn board_around_me(&self, caller: &Caller, id: &str, query: BoardQuery) -> Result<AroundMe> {
        let around = around_of(query.around)?;
        limit_of(query.limit)?;
        let (board, hidden) = self.competition_board(caller, id, &query).await?;
        self.around(caller, board, hidden, around).await
    }

    pub async fn global_board(&self, caller: &Caller, path: GlobalPath, query: GlobalQuery) -> Result<BoardPage> {
        let limit = limit_of(query.limit)?;
        around_of(query.around)?;
        let board = global(&path.sport, path.distance, query.period.as_deref())?;
        let hidden = self.hidden_from(caller).await?;
        self.page(caller, board, hidden, query.cursor.as_deref(), limit).await
    }

    pub async fn global_around_me(&self, caller: &Caller, path: GlobalPath, query: GlobalQuery) -> Result<AroundMe> {
        let around = around_of(query.around)?;
        limit_of(query.limit)?;
        let board = global(&path.sport, path.distance, query.period.as_deref())?;
        let hidden = self.hidden_from(caller).await?;
        self.around(caller, board, hidden, around).await
    }

    /// Counts every board's bands again from its rows (they are derived:
    /// the rows are the truth); how many boards.
    pub async fn recount(&self) -> Result<u64> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let competitions = crate::competitions::store::every_board(&mut conn).await?;
        let globals: Vec<Board> = (crate::results::store::global_boards(&mut conn).await?)
            .into_iter()
            .map(|(sport, distance, period)| Board::global(&sport, distance, &period))
            .collect();
        drop(conn);
        for (id, _) in &competitions {
            let mut tx = self.platform.db.begin().await?;
            if let Some(competition) = crate::competitions::store::get(&mut tx, id).await? {
                crate::entries::recount(&mut tx, &competition).await?;
            }
            tx.commit().await?;
        }
        for board in &globals {
            let mut tx = self.platform.db.begin().await?;
            board.recount(&mut tx).await?;
            tx.commit().await?;
        }
        Ok((competitions.len() + globals.len()) as u64)
    }

    /// The competition's board narrowed by the query's filters, and the
    /// people the caller must not be shown.
    async fn competition_board(
        &self,
        caller: &Caller,
        id: &str,
        query: &BoardQuery,
    ) -> Result<(Board, HashSet<String>)> {
        let followings = match query.following {
            Some(true) => Some(self.people.followings(&caller.id).await.map_err(CompetitionError::Internal)?),
            _ => None,
        };
        let hidden = self.hidden_from(caller).await?;
        let mut conn = self.platform.db.read().await?;
        let (competition, _) = self.visible(&mut conn, caller, id, query.code.as_deref()).await?;
        drop(conn);
        let mut board = Board::competition(id, competition.kind.band_width());
        if let Some(sex) = &query.sex {
            if sex != "female" && sex != "male" {
                return Err(CompetitionError::invalid("sex", "sex is female or male"));
            }
            board.add_facet(&format!("sex={sex}"), "sex = ?", [Value::Text(sex.clone())]);
        }
        if let Some(group) = &query.age_group {
            let (young, old) = age_range(group)?;
            let year = competition_year(&competition);
            let condition = "birth_year >= ? AND birth_year <= ?";
            board.add_facet(&format!("age={group}"), condition, [Value::Int(year - old), Value::Int(year - young)]);
        }
        if let Some(class) = &query.weight_class {
            let (light, heavy) = weight_range(class)?;
            let condition = "weight_kg >= ? AND weight_kg < ?";
            board.add_facet(&format!("weight={class}"), condition, [Value::Float(light), Value::Float(heavy)]);
        }
        if let Some(team) = &query.team {
            board.add("team_id = ?", [Value::Text(team.clone())]);
        }
        if let Some(region) = &query.region {
            if region.is_empty() || region.len() > 5 || !region.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(CompetitionError::invalid("region", "a region is a geohash of 1 to 5 characters"));
            }
            board.add("home_area LIKE ?", [Value::Text(format!("{region}%"))]);
        }
        if let Some(mut people) = followings {
            people.truncate(MAX_FOLLOWINGS);
            people.push(caller.id.clone());
            let marks = vec!["?"; people.len()].join(", ");
            board.add(&format!("user_id IN ({marks})"), people.into_iter().map(Value::Text));
        }
        Ok((board, hidden))
    }

    async fn hidden_from(&self, caller: &Caller) -> Result<HashSet<String>> {
        let blocked = self.people.blocked_around(&caller.id).await.map_err(CompetitionError::Internal)?;
        Ok(blocked.into_iter().collect())
    }

    async fn page(
        &self,
        caller: &Caller,
        board: Board,
        hidden: HashSet<String>,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<BoardPage> {
        let after = cursor.filter(|c| !c.is_empty()).map(decode_cursor).transpose()?;
        let rows = {
            let mut conn = self.platform.db.read().await?;
            // Extra rows stand in for those hidden from the caller.
            let wanted = limit as i64 + 1 + hidden.len() as i64;
            board.page(&mut conn, after.as_ref().map(|(_, p)| p), false, wanted).await?
        };
        let first_place = after.as_ref().map(|(place, _)| place + 1).unwrap_or(1);
        let mut lines: Vec<(Line, Position)> = Vec::new();
        let mut next_cursor = None;
        for (n, row) in rows.iter().enumerate() {
            let place = first_place + n as i64;
            let line = read_line(row, place)?;
            if lines.len() == limit as usize {
                let last = &lines.last().expect("a full page").1;
                next_cursor = Some(encode_cursor(place - 1, last));
                break;
            }
            if !hidden.contains(&line.1.user_id) {
                lines.push(line);
            }
        }
        Ok(BoardPage { items: self.standings(caller, lines).await?, next_cursor })
    }

    async fn around(&self, caller: &Caller, board: Board, hidden: HashSet<String>, around: u32) -> Result<AroundMe> {
        let (place, above, me, below) = {
            let mut conn = self.platform.db.read().await?;
            let Some(mine) = board.row_of(&mut conn, &caller.id).await? else {
                return Ok(AroundMe { place: None, items: Vec::new() });
            };
            let position = store::position(&mine)?;
            let place = board.ahead_of(&mut conn, &position).await? + 1;
            let wanted = around as i64 + hidden.len() as i64;
            let above = board.page(&mut conn, Some(&position), true, wanted).await?;
            let below = board.page(&mut conn, Some(&position), false, wanted).await?;
            (place, above, mine, below)
        };
        let mut lines = Vec::new();
        for (n, row) in above.iter().enumerate().rev() {
            lines.push(read_line(row, place - 1 - n as i64)?);
        }
        lines.push(read_line(&me, place)?);
        for (n, row) in below.iter().enumerate() {
            lines.push(read_line(row, place + 1 + n as i64)?);
        }
        lines.retain(|(_, p)| !hidden.contains(&p.user_id));
        let mine = lines.iter().position(|(_, p)| p.user_id == caller.id).unwrap_or(0);
        let from = mine.saturating_sub(around as usize);
        let lines: Vec<_> = lines.into_iter().skip(from).take(2 * around as usize + 1).collect();
        Ok(AroundMe { place: Some(place), items: self.standings(caller, lines).await? })
    }

    /// Lines with the people's names and pictures; gone accounts left out.
    async fn standings(&self, caller: &Caller, lines: Vec<(Line, Position)>) -> Result<Vec<Standing>> {
        let ids: Vec<String> = lines.iter().map(|(_, p)| p.user_id.clone()).collect();
        let mut people: HashMap<String, PublicProfile> = (self.people.profiles(&ids).await)
            .map_err(CompetitionError::Internal)?
            .into_iter()
            .map(|person| (person.id.clone(), person))
            .collect();
        let mut out = Vec::with_capacity(lines.len());
        for (line, position) in lines {
            let Some(person) = people.remove(&position.user_id) else {
                continue;
            };
            out.push(Standing {
                place: line.place,
                you: position.user_id == caller.id,
                person,
                score: line.score,
                trainings: line.trainings,
                workout_id: line.workout_id,
                team_id: line.team_id,
                achieved_at: platform::db::rfc3339(position.at),
            });
        }
        Ok(out)
    }
}

struct Line {
    place: i64,
    score: f64,
    trainings: i64,
    workout_id: Option<String>,
    team_id: Option<String>,
}

fn read_line(row: &AnyRow, place: i64) -> Result<(Line, Position)> {
    let position = store::position(row)?;
    let line = Line {
        place,
        score: row.try_get("score")?,
        trainings: row.try_get::<i64, _>("trainings").or_else(|_| row.try_get::<i32, _>("trainings").map(i64::from))?,
        workout_id: row.try_get("workout_id")?,
        team_id: row.try_get("team_id").unwrap_or(None),
    };
    Ok((line, position))
}

fn limit_of(limit: Option<u32>) -> Result<u32> {
    let limit = limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(CompetitionError::invalid("limit", "ask for 1 to 100 places"));
    }
    Ok(limit)
}

fn around_of(around: Option<u32>) -> Result<u32> {
    let around = around.unwrap_or(3);
    if around > 10 {
        return Err(CompetitionError::invalid("around", "ask for 0 to 10 neighbours"));
    }
    Ok(around)
}

/// Ages (inclusive) of an age group.
/// Age groups: a name and the ages in it, both ends included, in the
/// year the competition starts.
const AGE_GROUPS: [(&str, i64, i64); 6] =
    [("u20", 0, 19), ("20-29", 20, 29), ("30-39", 30, 39), ("40-49", 40, 49), ("50-59", 50, 59), ("60+", 60, 200)];

/// Weight classes: a name and kilograms, from inclusive to exclusive.
const WEIGHT_CLASSES: [(&str, f64, f64); 5] =
    [("u60", 0.0, 60.0), ("60-70", 60.0, 70.0), ("70-80", 70.0, 80.0), ("80-90", 80.0, 90.0), ("90+", 90.0, 1000.0)];

fn age_range(group: &str) -> Result<(i64, i64)> {
    let (_, young, old) = AGE_GROUPS.iter().find(|(name, ..)| *name == group).ok_or_else(|| {
        CompetitionError::invalid("age_group", "an age group is u20, 20-29, 30-39, 40-49, 50-59 or 60+")
    })?;
    Ok((*young, *old))
}

fn weight_range(class: &str) -> Result<(f64, f64)> {
    let (_, light, heavy) = WEIGHT_CLASSES.iter().find(|(name, ..)| *name == class).ok_or_else(|| {
        CompetitionError::invalid("weight_class", "a weight class is u60, 60-70, 70-80, 80-90 or 90+")
    })?;
    Ok((*light, *heavy))
}

fn competition_year(competition: &Stored) -> i64 {
    crate::results::year_of(competition.starts_at).parse().unwrap_or(0)
}

/// The facets an entrant with these facts counts in, each with a board of
/// its own counts (`sex=female`, `age=30-39`, `weight=70-80`): the filters
/// that narrow a board by about half or more, whose places would otherwise
/// be counted row by row.
pub(crate) fn facets(facts: &EntrantFacts, competition: &Stored) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(sex) = facts.sex.as_deref().filter(|sex| matches!(*sex, "female" | "male")) {
        out.push(format!("sex={sex}"));
    }
    if let Some(born) = facts.birth_year {
        let age = competition_year(competition) - i64::from(born);
        if let Some((name, ..)) = AGE_GROUPS.iter().find(|(_, young, old)| (*young..=*old).contains(&age)) {
            out.push(format!("age={name}"));
        }
    }
    if let Some(kg) = facts.weight_kg {
        if let Some((name, ..)) = WEIGHT_CLASSES.iter().find(|(_, light, heavy)| kg >= *light && kg < *heavy) {
            out.push(format!("weight={name}"));
        }
    }
    out
}

/// A global board: its sport, distance and period.
fn global(sport: &str, distance: Distance, period: Option<&str>) -> Result<Board> {
    let metres = distance.metres();
    if sport.is_empty()
        || sport.len() > 40
        || !sport.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(CompetitionError::invalid("sport", "a sport is an id such as running"));
    }
    let period = match period.unwrap_or("all") {
        "all" => "all".to_string(),
        "year" => crate::results::year_of(platform::db::now_ms()),
        _ => return Err(CompetitionError::invalid("period", "a period is all or year")),
    };
    Ok(Board::global(sport, metres, &period))
}

fn encode_cursor(place: i64, p: &Position) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{place}\n{}\n{}\n{}", p.key, p.at, p.user_id))
}

fn decode_cursor(cursor: &str) -> Result<(i64, Position)> {
    use base64::Engine;
    let bad = || CompetitionError::invalid("cursor", "the cursor is not one this server gave");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let parts: Vec<&str> = text.split('\n').collect();
    let [place, key, at, user_id] = parts[..] else { return Err(bad()) };
    let key: f64 = key.parse().map_err(|_| bad())?;
    if !key.is_finite() {
        return Err(bad());
    }
    Ok((
        place.parse().map_err(|_| bad())?,
        Position { key, at: at.parse().map_err(|_| bad())?, user_id: user_id.to_string() },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_read_back_and_strangers_are_refused() {
        let p = Position { key: -1234.5, at: 99, user_id: "u1".into() };
        assert_eq!(decode_cursor(&encode_cursor(7, &p)).unwrap(), (7, p));
        assert!(decode_cursor("bm9wZQ").is_err());
    }
}
