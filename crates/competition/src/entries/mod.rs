//! Entering and leaving competitions, teams, disqualification, and keeping
//! each entry's result equal to what its trainings say.

pub(crate) mod store;

use platform::db::now_ms;
use platform::http::Caller;
use platform::notify::{request, Notice};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::competitions::{self, Status, Stored};
use crate::error::{CompetitionError, Result};
use crate::people::EntrantFacts;
use crate::{boards, results, Competitions};

/// Someone's entry in a competition.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = CompetitionEntry)]
pub struct Entry {
    pub user_id: String,
    pub team_id: Option<String>,
    /// Entered privately: all their trainings count, none is shown.
    pub private_entry: bool,
    /// Told when someone overtakes them at the top of the board.
    pub tell_overtaken: bool,
    pub joined_at: String,
    /// Metres, seconds or a count, by the competition's kind; none before a training counts.
    pub score: Option<f64>,
    #[serde(skip)]
    pub place_key: Option<f64>,
    #[serde(skip)]
    pub achieved_at: Option<i64>,
    /// The training a single-training result comes from; never shown for a private entry.
    pub workout_id: Option<String>,
    /// How many trainings count.
    pub trainings: i64,
    pub disqualified: bool,
    /// Why the organiser disqualified the result.
    pub disqualification_reason: Option<String>,
    /// What the person told of themselves when they entered or last changed the entry.
    #[serde(skip)]
    pub facts: EntrantFacts,
}

/// Where an entry counts on its competition's boards: its place key, and
/// the facets (sex, age group, weight class) whose boards keep counts too.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Counted {
    key: f64,
    facets: Vec<String>,
}

impl Entry {
    /// Where the entry counts, if it is on the board at all.
    pub(crate) fn counted(&self, competition: &Stored) -> Option<Counted> {
        self.counted_as(self.place_key, self.disqualified, competition)
    }

    /// Where it would count with this key and judgement.
    fn counted_as(&self, key: Option<f64>, disqualified: bool, competition: &Stored) -> Option<Counted> {
        let key = key.filter(|_| !disqualified)?;
        Some(Counted { key, facets: boards::facets(&self.facts, competition) })
    }
}

/// A team of a competition.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = CompetitionTeam)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub members: i64,
    /// The sum of its members' results (their mean for a fastest-effort competition).
    pub score: Option<f64>,
}

/// How to enter (or change one's entry).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryChoice {
    /// The invitation code of an invite-only competition.
    pub code: Option<String>,
    /// A team of this competition to be in.
    pub team_id: Option<String>,
    /// Let every training count, public or not; the board then shows the result only.
    #[serde(default)]
    pub private_entry: bool,
    /// Be told when someone overtakes you in the top three.
    #[serde(default)]
    pub tell_overtaken: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    /// 1 to 60 characters.
    #[schema(min_length = 1, max_length = 60)]
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Disqualification {
    /// Why, 1 to 500 characters: the person is told.
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

const OVERTAKEN: &str = "competition_overtaken";
const DISQUALIFIED: &str = "competition_disqualified";
const REINSTATED: &str = "competition_reinstated";

impl Competitions {
    /// Enters the competition, or changes the entry's choices.
    pub async fn enter(&self, caller: &Caller, id: &str, choice: EntryChoice) -> Result<Entry> {
        // Asked before a connection is held: the answer takes one of its own.
        let facts = self.people.facts(&caller.id).await.map_err(CompetitionError::Internal)?;
        let mut tx = self.platform.db.begin().await?;
        results::store::take_turn(&mut tx, &caller.id).await?;
        competitions::store::take_board_turn(&mut tx, id).await?;
        let (competition, _) = self.visible(&mut tx, caller, id, choice.code.as_deref()).await?;
        if competition.status(now_ms()) == Status::Finished {
            return Err(CompetitionError::Conflict("this competition has finished".into()));
        }
        if let Some(region) = &competition.region {
            if !facts.home_area.as_deref().is_some_and(|area| area.starts_with(region.as_str())) {
                return Err(CompetitionError::invalid(
                    "region",
                    "this competition is for people living in its region: set your home area in your profile",
                ));
            }
        }
        let before = store::get(&mut tx, id, &caller.id).await?;
        if let Some(team) = &choice.team_id {
            store::team(&mut tx, id, team)
                .await?
                .ok_or_else(|| CompetitionError::invalid("team_id", "no such team here"))?;
        }
        let entry = store::NewEntry {
            competition_id: id,
            user_id: &caller.id,
            team_id: choice.team_id.as_deref(),
            private_entry: choice.private_entry,
            tell_overtaken: choice.tell_overtaken,
            facts: &facts,
            now: now_ms(),
        };
        if store::upsert(&mut tx, &entry).await? && !competitions::store::count_entrant(&mut tx, id, 1).await? {
            return Err(CompetitionError::Conflict("this competition is full".into()));
        }
        if let Some(before) = &before {
            // The facts were read again: the result may move between the boards of a facet.
            let now = store::get(&mut tx, id, &caller.id).await?.ok_or(CompetitionError::NotFound)?;
            move_on_board(&mut tx, &competition, before.counted(&competition), now.counted(&competition)).await?;
        }
        refresh_result(&mut tx, &competition, &caller.id).await?;
        if let Some(old) = before.and_then(|b| b.team_id).filter(|old| Some(old) != choice.team_id.as_ref()) {
            store::refresh_team(&mut tx, id, &old, competition.kind.lower_wins()).await?;
        }
        competitions::store::touch_board(&mut tx, id).await?;
        let entry = store::get(&mut tx, id, &caller.id).await?.ok_or(CompetitionError::NotFound)?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Leaves a competition that has not finished.
    pub async fn leave(&self, caller: &Caller, id: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        results::store::take_turn(&mut tx, &caller.id).await?;
        competitions::store::take_board_turn(&mut tx, id).await?;
        let (competition, entry) = self.visible(&mut tx, caller, id, None).await?;
        let entry = entry.ok_or(CompetitionError::NotFound)?;
        if competition.status(now_ms()) == Status::Finished {
            return Err(CompetitionError::Conflict("a finished competition keeps its results".into()));
        }
        store::delete(&mut tx, id, &caller.id).await?;
        competitions::store::count_entrant(&mut tx, id, -1).await?;
        move_on_board(&mut tx, &competition, entry.counted(&competition), None).await?;
        if let Some(team) = entry.team_id {
            store::refresh_team(&mut tx, id, &team, competition.kind.lower_wins()).await?;
        }
        competitions::store::touch_board(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn create_team(&self, caller: &Caller, id: &str, new: NewTeam) -> Result<Team> {
        let name = new.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
            return Err(CompetitionError::invalid("name", "a team's name is 1 to 60 characters"));
        }
        let mut tx = self.platform.db.begin().await?;
        let (competition, entry) = self.visible(&mut tx, caller, id, None).await?;
        if entry.is_none() && !competition.runs(caller) {
            return Err(CompetitionError::Conflict("enter the competition before making a team".into()));
        }
        let team_id = uuid::Uuid::now_v7().to_string();
        if !store::insert_team(&mut tx, id, &team_id, &name, &caller.id).await? {
            return Err(CompetitionError::Conflict("a team of that name is already in this competition".into()));
        }
        let team = store::team(&mut tx, id, &team_id).await?.ok_or(CompetitionError::NotFound)?;
        tx.commit().await?;
        Ok(team)
    }

    pub async fn teams(&self, caller: &Caller, id: &str) -> Result<Vec<Team>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let (competition, _) = self.visible(&mut conn, caller, id, None).await?;
        store::teams(&mut conn, id, competition.kind.lower_wins()).await
    }

    /// Disqualifies a result (with `Some(reason)`) or reinstates it; the person is told.
    pub async fn judge(&self, caller: &Caller, id: &str, user_id: &str, reason: Option<String>) -> Result<()> {
        let reason = reason.map(|r| r.trim().to_string());
        if reason.as_ref().is_some_and(|r| r.is_empty() || r.chars().count() > 500 || r.chars().any(char::is_control)) {
            return Err(CompetitionError::invalid("reason", "say why in 1 to 500 characters"));
        }
        let mut tx = self.platform.db.begin().await?;
        let (competition, _) = self.visible(&mut tx, caller, id, None).await?;
        if !competition.runs(caller) {
            return Err(CompetitionError::NotOrganiser);
        }
        // A training of theirs handled meanwhile would move the result from
        // where it stood before this judgement: the two take turns.
        results::store::take_turn(&mut tx, user_id).await?;
        competitions::store::take_board_turn(&mut tx, id).await?;
        let entry = store::get(&mut tx, id, user_id).await?.ok_or(CompetitionError::NotFound)?;
        store::set_disqualified(&mut tx, id, user_id, reason.as_deref(), &caller.id).await?;
        let judged = entry.counted_as(entry.place_key, reason.is_some(), &competition);
        move_on_board(&mut tx, &competition, entry.counted(&competition), judged).await?;
        if let Some(team) = &entry.team_id {
            store::refresh_team(&mut tx, id, team, competition.kind.lower_wins()).await?;
        }
        competitions::store::touch_board(&mut tx, id).await?;
        let (kind, title) = match &reason {
            Some(_) => (DISQUALIFIED, format!("Your result in {} was disqualified", competition.title)),
            None => (REINSTATED, format!("Your result in {} was reinstated", competition.title)),
        };
        let data = serde_json::json!({ "competition_id": id, "title": competition.title, "reason": reason });
        let notice = Notice { user_id, kind, subject_id: Some(id), actor_id: None, title: &title, data };
        request(&mut tx, &notice).await.map_err(|e| CompetitionError::Internal(e.to_string()))?;
        tx.commit().await?;
        Ok(())
    }
}

/// Recomputes the person's result from the trainings that count, and
/// when it changed: their team's, the board's version, and the notices
/// of those they passed at the top.
pub(crate) async fn refresh_result(conn: &mut AnyConnection, competition: &Stored, user_id: &str) -> Result<()> {
    let Some(entry) = store::get(conn, &competition.id, user_id).await? else { return Ok(()) };
    let counted = results::counted_for(conn, competition, user_id, entry.private_entry).await?;
    let score = results::score::score(competition.kind, competition.effort_m, &counted);
    let place_key = score.as_ref().map(|s| s.place_key(competition.kind));
    let mut workout_id = score.as_ref().and_then(|s| s.workout_id.clone());
    if entry.private_entry {
        workout_id = None;
    }
    let unchanged = entry.score == score.as_ref().map(|s| s.value)
        && entry.achieved_at == score.as_ref().map(|s| s.achieved_at)
        && entry.workout_id == workout_id
        && entry.trainings == score.as_ref().map(|s| s.trainings).unwrap_or(0);
    if unchanged {
        return Ok(());
    }
    let score = score.map(|s| results::score::Score { workout_id: workout_id.clone(), ..s });
    competitions::store::take_board_turn(conn, &competition.id).await?;
    store::set_result(conn, &competition.id, user_id, score.as_ref(), place_key).await?;
    let moved = entry.counted_as(place_key, entry.disqualified, competition);
    move_on_board(conn, competition, entry.counted(competition), moved).await?;
    if let Some(team) = &entry.team_id {
        store::refresh_team(conn, &competition.id, team, competition.kind.lower_wins()).await?;
    }
    competitions::store::touch_board(conn, &competition.id).await?;
    if let (Some(new), false) = (place_key, entry.disqualified) {
        tell_overtaken(conn, competition, user_id, new, entry.place_key).await?;
    }
    Ok(())
}

/// Moves a result's count from where it was on the board and its facets'
/// boards to where it is now (none: not on the board).
pub(crate) async fn move_on_board(
    conn: &mut AnyConnection,
    competition: &Stored,
    old: Option<Counted>,
    new: Option<Counted>,
) -> Result<()> {
    if old == new {
        return Ok(());
    }
    let (board, width) = (boards::store::competition_board_name(&competition.id), competition.kind.band_width());
    for (counted, change) in [(old, -1), (new, 1)] {
        let Some(counted) = counted else { continue };
        boards::store::count(conn, &board, width, counted.key, change).await?;
        for facet in &counted.facets {
            boards::store::count(conn, &boards::store::facet_board_name(&board, facet), width, counted.key, change)
                .await?;
        }
    }
    Ok(())
}

/// Counts a competition's board and its facets' boards again from the
/// entries (the counts are derived; the entries are the truth).
pub(crate) async fn recount(conn: &mut AnyConnection, competition: &Stored) -> Result<()> {
    competitions::store::take_board_turn(conn, &competition.id).await?;
    let board = boards::store::competition_board_name(&competition.id);
    let width = competition.kind.band_width();
    let mut bands: std::collections::BTreeMap<(String, i64), i64> = Default::default();
    store::each_counted(conn, &competition.id, |entry| {
        let Some(counted) = entry.counted(competition) else { return };
        let band = boards::store::band(counted.key, width).0;
        *bands.entry((board.clone(), band)).or_default() += 1;
        for facet in &counted.facets {
            *bands.entry((boards::store::facet_board_name(&board, facet), band)).or_default() += 1;
        }
    })
    .await?;
    boards::store::replace_counts(conn, &board, bands).await
}

/// Tells those who asked that `user_id` passed them, when they were in the top three.
async fn tell_overtaken(
    conn: &mut AnyConnection,
    competition: &Stored,
    user_id: &str,
    new: f64,
    old: Option<f64>,
) -> Result<()> {
    let worse = old.unwrap_or(f64::MAX);
    if new >= worse {
        return Ok(());
    }
    // Whoever was passed from the top three stands in the top four now,
    // behind this result: only those rows are read, however long the board.
    for (n, (passed, key, tell)) in store::leaders(conn, &competition.id, 4).await?.into_iter().enumerate() {
        if passed == user_id || !tell || key < new || key > worse {
            continue;
        }
        let place = n as i64 + 1;
        let title = format!("You were overtaken in {}", competition.title);
        let data = serde_json::json!({ "competition_id": competition.id, "title": competition.title, "place": place });
        let notice = Notice {
            user_id: &passed,
            kind: OVERTAKEN,
            subject_id: Some(&competition.id),
            actor_id: Some(user_id),
            title: &title,
            data,
        };
        request(conn, &notice).await.map_err(|e| CompetitionError::Internal(e.to_string()))?;
    }
    Ok(())
}
