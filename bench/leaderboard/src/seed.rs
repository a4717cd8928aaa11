//! The people, their results and their bests, made from a fixed seed (the
//! same on both databases), and the SQL that writes them.

use std::time::Instant;

use anyhow::{bail, Context};
use platform::db::Dialect;
use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, ConnectOptions, Connection, Row};

use crate::{group, now_ms, uuid_at, Rng, Sizes};

const DAY_MS: i64 = 24 * 3600 * 1000;
/// The median total of the competition's results, and how wide they spread
/// (log-normal: most people run tens of kilometres in a month, a few thousands).
pub const MEDIAN_KM: f64 = 60.0;
const SIGMA: f64 = 0.8;
/// No seeded total reaches this: a marker of the surge runs further and leads.
pub const MARKER_M: f64 = 3_000_000.0;
const MOST_M: f64 = 2_000_000.0;
/// The global board's median time for 5 km, and its spread.
const MEDIAN_5K_S: f64 = 1800.0;
const SIGMA_5K: f64 = 0.2;
/// In thousandths: disqualified results.
const DISQUALIFIED_PER_MILLE: usize = 5;
/// Rows per multi-row INSERT, and per transaction, while seeding.
const ROWS_PER_INSERT: usize = 500;
const ROWS_PER_TRANSACTION: usize = 50_000;

pub const FEMALE: u8 = 1;
const MALE: u8 = 2;

/// Everything the run writes and what its boards must then say.
pub struct World {
    pub now_ms: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub competition_id: String,
    /// People on the boards, ids ascending with the index.
    pub people: Vec<String>,
    pub results: usize,
    pub global: usize,
    /// Per result (the first `results` people): metres, when, trainings, disqualified, sex.
    pub score: Vec<f64>,
    pub achieved: Vec<i64>,
    trainings: Vec<i64>,
    pub dq: Vec<bool>,
    pub sex: Vec<u8>,
    birth_year: Vec<i64>,
    weight: Vec<f64>,
    pub disqualified: usize,
    /// The results in place order, and each one's place (0: disqualified).
    pub order: Vec<u32>,
    pub place: Vec<u32>,
    /// The same for the board filtered to women.
    pub female_order: Vec<u32>,
    pub female_place: Vec<u32>,
    /// Per global best (the first `global` people): seconds and when.
    pub seconds: Vec<f64>,
    pub global_at: Vec<i64>,
    pub global_order: Vec<u32>,
    pub global_place: Vec<u32>,
    /// Accounts of the surge: those who save a training (entered, no result
    /// yet) and those whose sockets watch; both log in.
    pub entrants: Vec<String>,
    pub watchers: Vec<String>,
}

impl World {
    pub fn new(sizes: &Sizes, seed: u64) -> Self {
        let mut rng = Rng(seed);
        let now = now_ms();
        let (starts_at, ends_at) = (now - 20 * DAY_MS, now + 10 * DAY_MS);
        let n = sizes.results.max(sizes.global);
        let born = now - 400 * DAY_MS;
        let people: Vec<String> = (0..n).map(|i| uuid_at(born + i as i64, &mut rng)).collect();
        let competition_id = uuid_at(now - 30 * DAY_MS, &mut rng);

        let results = sizes.results;
        let (mut score, mut achieved, mut trainings, mut dq, mut sex, mut birth_year, mut weight) = (
            Vec::with_capacity(results),
            Vec::with_capacity(results),
            Vec::with_capacity(results),
            Vec::with_capacity(results),
            Vec::with_capacity(results),
            Vec::with_capacity(results),
            Vec::with_capacity(results),
        );
        for _ in 0..results {
            let metres = ((MEDIAN_KM * 1000.0).ln() + SIGMA * rng.normal()).exp().clamp(500.0, MOST_M);
            let metres = (metres * 10.0).round() / 10.0;
            score.push(metres);
            achieved.push(starts_at + rng.below((now - starts_at) as usize) as i64);
            trainings.push((1 + (metres / 8000.0) as i64).min(60));
            dq.push(rng.below(1000) < DISQUALIFIED_PER_MILLE);
            sex.push(match rng.below(100) {
                0..48 => FEMALE,
                48..96 => MALE,
                _ => 0,
            });
            birth_year.push(1950 + rng.below(58) as i64);
            weight.push(45.0 + rng.below(650) as f64 / 10.0);
        }
        let disqualified = dq.iter().filter(|d| **d).count();
        let mut order: Vec<u32> = (0..results as u32).filter(|&i| !dq[i as usize]).collect();
        order.sort_unstable_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            (-score[a]).total_cmp(&-score[b]).then(achieved[a].cmp(&achieved[b])).then(people[a].cmp(&people[b]))
        });
        let place = places(&order, results);
        let female_order: Vec<u32> = order.iter().copied().filter(|&i| sex[i as usize] == FEMALE).collect();
        let female_place = places(&female_order, results);

        let global = sizes.global;
        let mut seconds = Vec::with_capacity(global);
        let mut global_at = Vec::with_capacity(global);
        for _ in 0..global {
            let s = (MEDIAN_5K_S.ln() + SIGMA_5K * rng.normal()).exp().clamp(760.0, 7200.0);
            seconds.push((s * 10.0).round() / 10.0);
            global_at.push(now - rng.below((3 * 365 * DAY_MS) as usize) as i64);
        }
        let mut global_order: Vec<u32> = (0..global as u32).collect();
        global_order.sort_unstable_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            seconds[a].total_cmp(&seconds[b]).then(global_at[a].cmp(&global_at[b])).then(people[a].cmp(&people[b]))
        });
        let global_place = places(&global_order, global);

        let entrants = (0..sizes.entrants).map(|i| uuid_at(now - 10 * DAY_MS + i as i64, &mut rng)).collect();
        let watchers = (0..sizes.watchers).map(|i| uuid_at(now - 9 * DAY_MS + i as i64, &mut rng)).collect();
        Self {
            now_ms: now,
            starts_at,
            ends_at,
            competition_id,
            people,
            results,
            global,
            score,
            achieved,
            trainings,
            dq,
            sex,
            birth_year,
            weight,
            disqualified,
            order,
            place,
            female_order,
            female_place,
            seconds,
            global_at,
            global_order,
            global_place,
            entrants,
            watchers,
        }
    }

    pub fn entrant_email(n: usize) -> String {
        format!("entrant{n}@bench.example")
    }

    pub fn watcher_email(n: usize) -> String {
        format!("watcher{n}@bench.example")
    }
}

fn places(order: &[u32], len: usize) -> Vec<u32> {
    let mut place = vec![0; len];
    for (p, &i) in order.iter().enumerate() {
        place[i as usize] = p as u32 + 1;
    }
    place
}

/// Fills the tables the boards read, straight with SQL on a connection of
/// its own: identity's users (a board asks identity for each line's name),
/// the competition, its entries (the results, and the surge's entrants
/// without one), and the global board's bests. The boards' secondary
/// indexes are dropped for the load and made again from their own
/// definitions afterwards. The derived counts are left to
/// `Competitions::recount`. The competition's start was announced when it
/// came (`started_told`), unless `unannounced`: then the worker's
/// `competition.announce` job tells every entrant during the surge.
pub async fn seed(
    world: &World,
    dialect: Dialect,
    url: &str,
    organiser: &str,
    hash: &str,
    unannounced: bool,
) -> anyhow::Result<()> {
    // Its statements are slow on purpose: no warnings about them.
    let options: AnyConnectOptions = url.parse()?;
    let mut conn = options.disable_statement_logging().connect().await?;
    match dialect {
        Dialect::Sqlite => exec(&mut conn, "PRAGMA synchronous = NORMAL").await?,
        Dialect::Postgres => {
            // This session only: seeding is not what is measured.
            exec(&mut conn, "SET synchronous_commit = off").await?;
            exec(&mut conn, "SET maintenance_work_mem = '1GB'").await?;
        }
    };
    let now = world.now_ms;
    let began = Instant::now();
    let text = |s: Option<&str>| s.map_or("NULL".to_string(), |s| format!("'{s}'"));
    let sex_of = |s: u8| match s {
        FEMALE => Some("female"),
        MALE => Some("male"),
        _ => None,
    };
    let people = world.people.iter().enumerate().map(|(i, id)| {
        let facts = if i < world.results {
            format!("{}, {}, {}", text(sex_of(world.sex[i])), world.birth_year[i], world.weight[i])
        } else {
            "NULL, NULL, NULL".into()
        };
        format!(
            "('{id}', 'runner{i}@bench.example', {now}, 'Runner {i}', NULL, 'user', 'active', {now}, {now}, {facts})"
        )
    });
    let logins = world
        .entrants
        .iter()
        .enumerate()
        .map(|(i, id)| (id, World::entrant_email(i), format!("Entrant {i}")))
        .chain(world.watchers.iter().enumerate().map(|(i, id)| (id, World::watcher_email(i), format!("Watcher {i}"))))
        .map(|(id, email, name)| {
            format!("('{id}', '{email}', {now}, '{name}', '{hash}', 'user', 'active', {now}, {now}, NULL, NULL, NULL)")
        });
    insert(
        &mut conn,
        "INSERT INTO users (id, email, email_verified_at, display_name, password_hash, role, status, created_at, \
         updated_at, sex, birth_year, weight_kg) VALUES ",
        people.chain(logins),
    )
    .await?;
    eprintln!(
        "  {} people and {} accounts of the surge in {:.0} s",
        group(world.people.len()),
        group(world.entrants.len() + world.watchers.len()),
        began.elapsed().as_secs_f64()
    );

    let began = Instant::now();
    let entrants = world.results + world.entrants.len();
    exec(
        &mut conn,
        &format!(
            "INSERT INTO competitions (id, organiser_id, title, description, kind, effort_m, sports, starts_at, ends_at,
                time_zone, invite_only, invite_code, region, entry_limit, entrants, created_at, started_told)
             VALUES ('{}', '{organiser}', 'A million runners', 'The bench''s board', 'distance', NULL, '[\"running\"]',
                {}, {}, 'UTC', 0, 'benchcode', NULL, NULL, {entrants}, {}, {})",
            world.competition_id,
            world.starts_at,
            world.ends_at,
            world.starts_at - DAY_MS,
            i64::from(!unannounced),
        ),
    )
    .await?;
    let mut indexes = secondary_indexes(&mut conn, dialect, "competition_entries").await?;
    indexes.extend(secondary_indexes(&mut conn, dialect, "global_bests").await?);
    for (index, _) in &indexes {
        exec(&mut conn, &format!("DROP INDEX {index}")).await?;
    }
    let competition = &world.competition_id;
    let joined = world.starts_at - DAY_MS;
    let results = (0..world.results).map(|i| {
        let (reason, by) =
            if world.dq[i] { ("'a car in the track'", format!("'{organiser}'")) } else { ("NULL", "NULL".into()) };
        format!(
            "('{competition}', '{}', NULL, 0, 0, {joined}, {}, {}, {}, NULL, {}, {}, {}, NULL, {}, {}, {reason}, {by})",
            world.people[i],
            text(sex_of(world.sex[i])),
            world.birth_year[i],
            world.weight[i],
            world.score[i],
            -world.score[i],
            world.achieved[i],
            world.trainings[i],
            i64::from(world.dq[i]),
        )
    });
    let waiting = world.entrants.iter().map(|id| {
        format!("('{competition}', '{id}', NULL, 0, 0, {joined}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL)")
    });
    insert(
        &mut conn,
        "INSERT INTO competition_entries (competition_id, user_id, team_id, private_entry, tell_overtaken, joined_at, \
         sex, birth_year, weight_kg, home_area, score, place_key, achieved_at, workout_id, trainings, disqualified, \
         dq_reason, dq_by) VALUES ",
        results.chain(waiting),
    )
    .await?;
    eprintln!("  {} entries in {:.0} s", group(entrants), began.elapsed().as_secs_f64());

    let began = Instant::now();
    let mut rng = Rng(0xb357);
    let bests = (0..world.global).map(|i| {
        let workout = uuid_at(world.global_at[i], &mut rng);
        format!(
            "('running', 5000, 'all', '{}', {}, {}, '{workout}')",
            world.people[i], world.seconds[i], world.global_at[i]
        )
    });
    insert(
        &mut conn,
        "INSERT INTO global_bests (sport, distance_m, period, user_id, seconds, achieved_at, workout_id) VALUES ",
        bests,
    )
    .await?;
    eprintln!("  {} global bests in {:.0} s", group(world.global), began.elapsed().as_secs_f64());
    let began = Instant::now();
    for (_, create) in &indexes {
        exec(&mut conn, create).await?;
    }
    eprintln!("  {} indexes in {:.0} s", indexes.len(), began.elapsed().as_secs_f64());
    conn.close().await?;
    Ok(())
}

/// After the derived counts: statistics and a checkpoint, as a server that
/// has been up a while would have them (autovacuum on PostgreSQL; SQLite
/// gets no ANALYZE, since the server never runs one).
pub async fn settle(dialect: Dialect, url: &str) -> anyhow::Result<()> {
    let options: AnyConnectOptions = url.parse()?;
    let mut conn = options.disable_statement_logging().connect().await?;
    match dialect {
        Dialect::Sqlite => exec(&mut conn, "PRAGMA wal_checkpoint(TRUNCATE)").await?,
        Dialect::Postgres => {
            exec(&mut conn, "VACUUM (ANALYZE)").await?;
            exec(&mut conn, "CHECKPOINT").await?;
        }
    }
    conn.close().await?;
    Ok(())
}

/// `(name, CREATE INDEX …)` of the table's indexes but its primary key.
async fn secondary_indexes(
    conn: &mut AnyConnection,
    dialect: Dialect,
    table: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let sql = match dialect {
        Dialect::Sqlite => {
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL ORDER BY name"
        }
        Dialect::Postgres => {
            "SELECT c.relname::text AS name, pg_get_indexdef(x.indexrelid) AS sql
             FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
             WHERE t.relname = $1 AND NOT x.indisprimary ORDER BY c.relname"
        }
    };
    let rows = sqlx::query(sql).bind(table).fetch_all(conn).await?;
    let indexes: Vec<(String, String)> =
        rows.iter().map(|r| Ok((r.try_get("name")?, r.try_get("sql")?))).collect::<Result<_, sqlx::Error>>()?;
    if indexes.is_empty() {
        bail!("{table} has no secondary index: did the migrations run?");
    }
    Ok(indexes)
}

/// Multi-row INSERTs of the given `(…)` rows, in large transactions.
async fn insert(conn: &mut AnyConnection, head: &str, rows: impl Iterator<Item = String>) -> anyhow::Result<()> {
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        let mut tx = conn.begin().await?;
        let mut in_transaction = 0;
        while in_transaction < ROWS_PER_TRANSACTION && rows.peek().is_some() {
            let mut sql = String::from(head);
            for (n, row) in rows.by_ref().take(ROWS_PER_INSERT).enumerate() {
                if n > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&row);
                in_transaction += 1;
            }
            sqlx::raw_sql(&sql).execute(&mut *tx).await.with_context(|| head.to_string())?;
        }
        tx.commit().await?;
    }
    Ok(())
}

pub async fn exec(conn: &mut AnyConnection, sql: &str) -> anyhow::Result<()> {
    sqlx::raw_sql(sql).execute(conn).await.with_context(|| sql.to_string())?;
    Ok(())
}
