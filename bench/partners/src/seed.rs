//! The people who opted in, where they live and what they chose, their
//! swipes and blocks, and the chat's accounts: made from a fixed seed (the
//! same on both databases), and the SQL that writes them.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use anyhow::Context;
use partners::cells;
use platform::db::Dialect;
use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, ConnectOptions, Connection};

use crate::{group, now_ms, uuid_at, Rng, Sizes};

pub const DAY_MS: i64 = 24 * 3600 * 1000;
/// The region's centre and half its side: 600 × 600 km.
const CENTRE: (f64, f64) = (51.0, 10.5);
const HALF_KM: f64 = 300.0;
const KM_PER_DEGREE: f64 = 111.195;
const CITIES: usize = 20;
/// Of the people, those who live in the country between the cities.
const RURAL: f64 = 0.10;
/// Rows per multi-row INSERT, and per transaction, while seeding.
const ROWS_PER_INSERT: usize = 500;
const ROWS_PER_TRANSACTION: usize = 50_000;

pub const SPORTS: [&str; 2] = ["cycling", "running"];
/// How far people would go, in km, and how many in a hundred choose it.
const RADII: [(u32, usize); 8] = [(5, 10), (10, 25), (15, 20), (20, 15), (25, 10), (30, 10), (40, 5), (50, 5)];

pub struct City {
    /// How far its people spread (a normal deviate, km), and its share of everyone.
    pub sigma_km: f64,
    pub share: f64,
}

/// One opted-in person; sports in the order the server reads them (by name).
pub struct Person {
    pub id: String,
    /// Index into `World::cities`; none for the country between.
    pub city: Option<usize>,
    pub cell: String,
    /// The cell's centre, (lat, lon).
    pub centre: (f64, f64),
    pub radius_km: u32,
    pub days: i64,
    pub times: i64,
    pub opted_in_at: i64,
    /// (index into SPORTS, min km/h, max km/h).
    pub sports: Vec<(usize, f64, f64)>,
    pub last_trained_at: Option<i64>,
}

pub struct World {
    pub now_ms: i64,
    pub cities: Vec<City>,
    pub people: Vec<Person>,
    /// Per city, its people (indices).
    pub residents: Vec<Vec<u32>>,
    /// (swiper, target, yes, at).
    pub swipes: Vec<(u32, u32, bool, i64)>,
    swiped: HashSet<u64>,
    /// (blocker, blocked), and per person everyone blocked either way.
    pub blocks: Vec<(u32, u32)>,
    pub blocked_around: HashMap<u32, Vec<u32>>,
    /// The chat's accounts: pair p of fan-out f is `chatters[2 (f·pairs + p)]`
    /// (who writes) and the next (who reads).
    pub chatters: Vec<String>,
}

/// A point `x` km east and `y` km north of the region's centre.
fn place(x: f64, y: f64) -> (f64, f64) {
    let lat = CENTRE.0 + y / KM_PER_DEGREE;
    (lat, CENTRE.1 + x / (KM_PER_DEGREE * lat.to_radians().cos()))
}

/// Rounded to half a km/h, as the web offers.
fn half(x: f64) -> f64 {
    (x * 2.0).round() / 2.0
}

impl World {
    pub fn new(sizes: &Sizes, fanouts: usize, seed: u64) -> Self {
        let mut rng = Rng(seed);
        let now = now_ms();

        // Twenty cities at least 50 km apart; the n-th has 1/n of the first's people.
        let harmonic: f64 = (1..=CITIES).map(|n| 1.0 / n as f64).sum();
        let mut spots: Vec<(f64, f64)> = Vec::new();
        while spots.len() < CITIES {
            let spot = ((rng.unit() * 2.0 - 1.0) * (HALF_KM - 40.0), (rng.unit() * 2.0 - 1.0) * (HALF_KM - 40.0));
            if spots.iter().all(|s| ((s.0 - spot.0).powi(2) + (s.1 - spot.1).powi(2)).sqrt() >= 50.0) {
                spots.push(spot);
            }
        }
        let cities: Vec<City> = (0..CITIES)
            .map(|n| City {
                sigma_km: 3.0 + 9.0 / ((n + 1) as f64).sqrt(),
                share: (1.0 - RURAL) / (n + 1) as f64 / harmonic,
            })
            .collect();

        let mut people = Vec::with_capacity(sizes.people);
        let mut residents = vec![Vec::new(); CITIES];
        let born = now - 400 * DAY_MS;
        for i in 0..sizes.people {
            let id = uuid_at(born + i as i64, &mut rng);
            // Which city: by share, else the country between.
            let mut pick = rng.unit();
            let mut city = None;
            for (n, c) in cities.iter().enumerate() {
                if pick < c.share {
                    city = Some(n);
                    break;
                }
                pick -= c.share;
            }
            let (x, y) = match city {
                Some(n) => {
                    let (cx, cy) = spots[n];
                    let sigma = cities[n].sigma_km;
                    (cx + sigma * rng.normal(), cy + sigma * rng.normal())
                }
                None => ((rng.unit() * 2.0 - 1.0) * HALF_KM, (rng.unit() * 2.0 - 1.0) * HALF_KM),
            };
            let (lat, lon) = place(x.clamp(-HALF_KM, HALF_KM), y.clamp(-HALF_KM, HALF_KM));
            let cell = cells::encode(lat, lon, cells::PRECISION);
            let centre = cells::centre(&cell).expect("a cell just made");
            let mut roll = rng.below(100);
            let radius_km = RADII
                .iter()
                .find(|(_, weight)| {
                    let found = roll < *weight;
                    roll = roll.saturating_sub(*weight);
                    found
                })
                .map_or(20, |(km, _)| *km);
            // Weekends more than weekdays; mornings and evenings more than the middle of the day.
            let mut days = 0i64;
            for day in 0..7 {
                if rng.chance(if day >= 5 { 0.65 } else { 0.35 }) {
                    days |= 1 << day;
                }
            }
            if days == 0 {
                days = 1 << (5 + rng.below(2));
            }
            let mut times = 0i64;
            for (time, p) in [0.45, 0.15, 0.20, 0.50].into_iter().enumerate() {
                if rng.chance(p) {
                    times |= 1 << time;
                }
            }
            if times == 0 {
                times = if rng.chance(0.5) { 1 } else { 8 };
            }
            let opted_in_at = now - DAY_MS - rng.below((365 * DAY_MS) as usize) as i64;
            // 60 % run, 25 % ride, 15 % both.
            let which = rng.below(100);
            let mut sports = Vec::new();
            if which >= 60 {
                let mid = (25.0 + 4.0 * rng.normal()).clamp(14.0, 40.0);
                let width = (2 + rng.below(5)) as f64;
                let min = half(mid - width / 2.0);
                sports.push((0, min, min + width));
            }
            if !(60..85).contains(&which) {
                let mid = (10.5 + 1.6 * rng.normal()).clamp(6.0, 18.0);
                let width = (2 + rng.below(5)) as f64 / 2.0;
                let min = half(mid - width / 2.0);
                sports.push((1, min, min + width));
            }
            // Trained in the last week, the last month, before, or never
            // since opting in: each well away from the score's 7 and 30 days.
            let activity = rng.below(100);
            let ago = |from: f64, to: f64, rng: &mut Rng| ((from + (to - from) * rng.unit()) * DAY_MS as f64) as i64;
            let last_trained_at = match activity {
                0..35 => Some(now - ago(0.2, 6.0, &mut rng)),
                35..55 => Some(now - ago(8.0, 29.0, &mut rng)),
                55..70 => Some(now - ago(31.0, 120.0, &mut rng)),
                _ => None,
            };
            if let Some(n) = city {
                residents[n].push(i as u32);
            }
            people.push(Person {
                id,
                city,
                cell,
                centre,
                radius_km,
                days,
                times,
                opted_in_at,
                sports,
                last_trained_at,
            });
        }

        // A fifth of the people swiped 1 to 60 others, mostly of their own city.
        let mut swipes = Vec::new();
        let mut swiped = HashSet::new();
        for i in 0..people.len() {
            if !rng.chance(0.2) {
                continue;
            }
            let count = 1 + rng.below(60);
            for _ in 0..count {
                let target = match people[i].city {
                    Some(n) if rng.chance(0.9) => residents[n][rng.below(residents[n].len())],
                    _ => rng.below(people.len()) as u32,
                };
                if target as usize == i || !swiped.insert(key(i as u32, target)) {
                    continue;
                }
                swipes.push((i as u32, target, rng.chance(0.5), now - rng.below((30 * DAY_MS) as usize) as i64));
            }
        }
        swipes.sort_unstable_by_key(|s| s.3);
        // One in two hundred blocked someone of their city.
        let mut blocks = Vec::new();
        let mut blocked_around: HashMap<u32, Vec<u32>> = HashMap::new();
        for (i, person) in people.iter().enumerate() {
            let Some(n) = person.city else { continue };
            if !rng.chance(0.005) {
                continue;
            }
            let other = residents[n][rng.below(residents[n].len())];
            if other as usize == i || blocks.contains(&(i as u32, other)) {
                continue;
            }
            blocks.push((i as u32, other));
            blocked_around.entry(i as u32).or_default().push(other);
            blocked_around.entry(other).or_default().push(i as u32);
        }
        let chatters =
            (0..2 * sizes.pairs * fanouts).map(|n| uuid_at(now - 30 * DAY_MS + n as i64, &mut rng)).collect();
        Self { now_ms: now, cities, people, residents, swipes, swiped, blocks, blocked_around, chatters }
    }

    pub fn has_swiped(&self, swiper: u32, target: u32) -> bool {
        self.swiped.contains(&key(swiper, target))
    }

    pub fn chatter_email(n: usize) -> String {
        format!("chat{n}@bench.example")
    }

    /// One paragraph on who is where.
    pub fn describe(&self) -> String {
        let count = |f: &dyn Fn(&Person) -> bool| self.people.iter().filter(|p| f(p)).count();
        let both = count(&|p| p.sports.len() == 2);
        let cycling = count(&|p| p.sports.iter().any(|s| s.0 == 0));
        let running = count(&|p| p.sports.iter().any(|s| s.0 == 1));
        let biggest = self.residents[0].len();
        let week = count(&|p| p.last_trained_at.is_some_and(|t| t >= self.now_ms - 7 * DAY_MS));
        let near =
            count(&|p| cells::covering(&p.cell, p.radius_km as f64).is_some_and(|(precision, _)| precision == 5));
        let swipers: HashSet<u32> = self.swipes.iter().map(|s| s.0).collect();
        format!(
            "{} people opted in, around {CITIES} cities over a region of 600 × 600 km (the n-th city has 1/n of \
             the first's people: the biggest {} ({:.0} %), spread with σ {:.0} km; the smallest σ {:.0} km; {:.0} \
             % live in the country between). {} run, {} ride ({} both), with speed ranges 1–3 km/h wide around \
             10.5 km/h (σ 1.6) and 2–6 km/h wide around 25 km/h (σ 4); 1 to 7 days (weekends more) and 1 to 4 \
             times of day; radius 5 to 50 km ({} people's radius is 10 km or less, so their deck reads 5-character \
             cells; the others' read 4-character cells). {} trained in the last 7 days (`partner_activity`, {} \
             rows). {} people swiped {} times, {} blocks.",
            group(self.people.len()),
            group(biggest),
            biggest as f64 / self.people.len() as f64 * 100.0,
            self.cities[0].sigma_km,
            self.cities[CITIES - 1].sigma_km,
            RURAL * 100.0,
            group(running),
            group(cycling),
            group(both),
            group(near),
            group(week),
            group(self.people.iter().filter(|p| p.last_trained_at.is_some()).count()),
            group(swipers.len()),
            group(self.swipes.len()),
            group(self.blocks.len()),
        )
    }
}

fn key(a: u32, b: u32) -> u64 {
    (a as u64) << 32 | b as u64
}

/// Fills the tables the deck reads, straight with SQL on a connection of
/// its own: identity's users (the deck asks identity for names), the
/// opt-ins and their sports, activity, swipes and blocks; and the chat's
/// accounts (who log in with `hash`'s password), each pair following each
/// other.
pub async fn seed(world: &World, dialect: Dialect, url: &str, hash: &str) -> anyhow::Result<()> {
    // Its statements are slow on purpose: no warnings about them.
    let options: AnyConnectOptions = url.parse()?;
    let mut conn = options.disable_statement_logging().connect().await?;
    match dialect {
        Dialect::Sqlite => exec(&mut conn, "PRAGMA synchronous = NORMAL").await?,
        // This session only: seeding is not what is measured.
        Dialect::Postgres => exec(&mut conn, "SET synchronous_commit = off").await?,
    };
    let now = world.now_ms;
    let began = Instant::now();
    let people = world.people.iter().enumerate().map(|(i, p)| {
        format!("('{}', 'partner{i}@bench.example', {now}, 'Partner {i}', NULL, 'user', 'active', {now}, {now})", p.id)
    });
    let chatters = world.chatters.iter().enumerate().map(|(n, id)| {
        let email = World::chatter_email(n);
        format!("('{id}', '{email}', {now}, 'Chatter {n}', '{hash}', 'user', 'active', {now}, {now})")
    });
    insert(
        &mut conn,
        "INSERT INTO users (id, email, email_verified_at, display_name, password_hash, role, status, created_at, \
         updated_at) VALUES ",
        people.chain(chatters),
    )
    .await?;
    eprintln!("  {} users in {:.0} s", group(world.people.len() + world.chatters.len()), began.elapsed().as_secs_f64());

    let began = Instant::now();
    let seekers = world.people.iter().map(|p| {
        format!(
            "('{}', '{}', {}, {}, {}, {}, {})",
            p.id, p.cell, p.radius_km, p.days, p.times, p.opted_in_at, p.opted_in_at
        )
    });
    insert(
        &mut conn,
        "INSERT INTO partner_seekers (user_id, cell, radius_km, days, times, opted_in_at, updated_at) VALUES ",
        seekers,
    )
    .await?;
    let sports = world.people.iter().flat_map(|p| {
        p.sports.iter().map(move |&(sport, min, max)| {
            format!(
                "('{}', '{}', {min:.1}, {max:.1}, '{}', '{}', {:.9}, {:.9}, {}, {}, {}, {})",
                p.id,
                SPORTS[sport],
                p.cell,
                &p.cell[..4],
                p.centre.0,
                p.centre.1,
                p.radius_km,
                p.days,
                p.times,
                p.opted_in_at
            )
        })
    });
    insert(
        &mut conn,
        "INSERT INTO partner_sports (user_id, sport, min_kmh, max_kmh, cell, cell4, cell_lat, cell_lon, \
         radius_km, days, times, opted_in_at) VALUES ",
        sports,
    )
    .await?;
    let activity = world.people.iter().filter_map(|p| p.last_trained_at.map(|at| format!("('{}', {at})", p.id)));
    insert(&mut conn, "INSERT INTO partner_activity (user_id, last_trained_at) VALUES ", activity).await?;
    eprintln!("  opt-ins, sports and activity in {:.0} s", began.elapsed().as_secs_f64());

    let began = Instant::now();
    let mut rng = Rng(0x5717e);
    let swipes = world.swipes.iter().map(|&(swiper, target, yes, at)| {
        format!(
            "('{}', '{}', '{}', {}, {at})",
            uuid_at(at, &mut rng),
            world.people[swiper as usize].id,
            world.people[target as usize].id,
            i64::from(yes)
        )
    });
    insert(&mut conn, "INSERT INTO partner_swipes (id, swiper_id, target_id, yes, created_at) VALUES ", swipes).await?;
    let blocks = world.blocks.iter().map(|&(blocker, blocked)| {
        format!("('{}', '{}', {now})", world.people[blocker as usize].id, world.people[blocked as usize].id)
    });
    insert(&mut conn, "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES ", blocks).await?;
    let follows = world.chatters.chunks(2).flat_map(|pair| {
        [(&pair[0], &pair[1]), (&pair[1], &pair[0])]
            .map(|(follower, followed)| format!("('{follower}', '{followed}', 'accepted', {now})"))
    });
    insert(&mut conn, "INSERT INTO follows (follower_id, followed_id, state, created_at) VALUES ", follows).await?;
    eprintln!(
        "  {} swipes, {} blocks, {} follows in {:.0} s",
        group(world.swipes.len()),
        group(world.blocks.len()),
        group(world.chatters.len()),
        began.elapsed().as_secs_f64()
    );
    conn.close().await?;
    Ok(())
}

/// After seeding: statistics and a checkpoint, as a server that has been up
/// a while would have them (autovacuum on PostgreSQL; SQLite gets no
/// ANALYZE, since the server never runs one).
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
