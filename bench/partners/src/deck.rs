//! Deck pages in-process, as the route calls them (`Partners::deck`, all of
//! the caller's sports, 20 a page), for random opted-in people and for
//! people of the biggest city, against a `SELECT 1` on the same pool. Every
//! page is checked against the best page worked out here from everyone
//! opted in, with the rules and the score of `docs/partners.md`.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::anyhow;
use athlos::server::Contexts;
use partners::cells;
use partners::finder::{Candidate, DeckQuery};
use platform::db::Dialect;

use crate::seed::{Person, World, DAY_MS};
use crate::{group, name, now_ms, repeat, Args, Rng, Sizes, Stats};

pub const PAGE: usize = 20;
/// `finder::deck::ROWS_PER_SPORT`: the most rows a deck query answers in
/// one sport (the best by SQL's approximate score).
pub const ROWS_PER_SPORT: usize = partners::finder::ROWS_PER_SPORT as usize;
const KM_PER_DEGREE: f64 = 111.195;

/// The best page for one caller, and what their query goes through.
struct Expected {
    ids: Vec<u32>,
    /// The precision of the cells the query reads (5 or 4).
    precision: usize,
    /// Rows of the caller's sports in the cells read (what the index holds there).
    in_cells: usize,
    /// Rows the SQL answers: in the cells, at an overlapping level, sharing
    /// a day and a time, not swiped, within both radii; at most
    /// `ROWS_PER_SPORT` a sport.
    answered: usize,
    /// People within both radii whom the caller could be shown.
    eligible: usize,
    /// The SQL matched more than `ROWS_PER_SPORT` rows in one of the
    /// caller's sports, so it answered the best `ROWS_PER_SPORT` of them by
    /// its approximate score.
    capped: bool,
}

/// The people of each sport in each cell of 5 and cut to 4 characters.
type CellIndex = HashMap<(usize, String), Vec<u32>>;

fn cell_index(world: &World) -> CellIndex {
    let mut index: CellIndex = HashMap::new();
    for (i, p) in world.people.iter().enumerate() {
        for &(sport, _, _) in &p.sports {
            for precision in [4, 5] {
                index.entry((sport, p.cell[..precision].to_string())).or_default().push(i as u32);
            }
        }
    }
    index
}

/// The score of `docs/partners.md`, computed as `finder::deck::score` does.
fn score(me: &Person, mine: (f64, f64), them: &Person, theirs: (f64, f64), km: f64, now: i64) -> f64 {
    let near = 1.0 - (km / me.radius_km as f64).min(1.0);
    let width = (mine.1 - mine.0).max(1.0);
    let middle = |l: (f64, f64)| (l.0 + l.1) / 2.0;
    let level = 1.0 - ((middle(mine) - middle(theirs)).abs() / width).min(1.0);
    let slots = |days: i64, times: i64| (days.count_ones() * times.count_ones()) as f64;
    let overlap = slots(me.days & them.days, me.times & them.times) / slots(me.days, me.times).max(1.0);
    let active = match them.last_trained_at {
        Some(at) if at >= now - 7 * DAY_MS => 1.0,
        Some(at) if at >= now - 30 * DAY_MS => 0.5,
        _ => 0.0,
    };
    0.40 * near + 0.25 * level + 0.20 * overlap + 0.15 * active
}

/// Whether `them` passes the deck's SQL for `me` in one sport at `mine`'s level.
fn answered_by_sql(world: &World, me: u32, them: u32, sport: usize, mine: (f64, f64)) -> bool {
    let (p, q) = (&world.people[me as usize], &world.people[them as usize]);
    me != them
        && q.sports.iter().any(|&(s, lo, hi)| s == sport && lo <= mine.1 && hi >= mine.0)
        && p.days & q.days != 0
        && p.times & q.times != 0
        && !world.has_swiped(me, them)
}

/// The best page for `me`, from everyone opted in.
fn expected(world: &World, index: &CellIndex, me: u32, now: i64) -> Expected {
    let p = &world.people[me as usize];
    let blocked = world.blocked_around.get(&me).map(Vec::as_slice).unwrap_or(&[]);
    let radius = p.radius_km as f64;
    // Nobody past these differences of the cells' centres is within the radius.
    let (dlat, dlon) = (radius / KM_PER_DEGREE + 0.01, (radius + 5.0) / (KM_PER_DEGREE * 55f64.to_radians().cos()));
    let mut scored: Vec<(f64, u32)> = Vec::new();
    for (j, q) in world.people.iter().enumerate() {
        let j = j as u32;
        if j == me
            || (q.centre.0 - p.centre.0).abs() > dlat
            || (q.centre.1 - p.centre.1).abs() > dlon
            || p.days & q.days == 0
            || p.times & q.times == 0
            || world.has_swiped(me, j)
            || blocked.contains(&j)
        {
            continue;
        }
        let mut km = None;
        let mut best: Option<f64> = None;
        for &(sport, lo, hi) in &p.sports {
            let Some(&(_, theirs_lo, theirs_hi)) =
                q.sports.iter().find(|&&(s, tlo, thi)| s == sport && tlo <= hi && thi >= lo)
            else {
                continue;
            };
            let km = *km.get_or_insert_with(|| cells::distance_km(&p.cell, &q.cell).expect("cells"));
            if km > radius || km > q.radius_km as f64 {
                break;
            }
            let s = score(p, (lo, hi), q, (theirs_lo, theirs_hi), km, now);
            best = Some(best.map_or(s, |b: f64| b.max(s)));
        }
        if let Some(s) = best {
            scored.push((s, j));
        }
    }
    let eligible = scored.len();
    scored.sort_by(|a, b| {
        let (x, y) = (&world.people[a.1 as usize], &world.people[b.1 as usize]);
        b.0.total_cmp(&a.0).then(x.opted_in_at.cmp(&y.opted_in_at)).then(x.id.cmp(&y.id))
    });
    scored.truncate(PAGE);

    let (precision, around) = cells::covering(&p.cell, radius).expect("a stored cell");
    let (mut in_cells, mut answered, mut capped) = (0, 0, false);
    for &(sport, lo, hi) in &p.sports {
        let rows = around.iter().filter_map(|c| index.get(&(sport, c.clone()))).flatten();
        let (mut here, mut passed) = (0, 0);
        for &j in rows {
            here += 1;
            let q = &world.people[j as usize];
            let within = || {
                let km = cells::distance_km(&p.cell, &q.cell).expect("cells");
                km <= radius && km <= q.radius_km as f64
            };
            if answered_by_sql(world, me, j, sport, (lo, hi)) && within() {
                passed += 1;
            }
        }
        in_cells += here;
        answered += passed.min(ROWS_PER_SPORT);
        capped |= passed > ROWS_PER_SPORT;
    }
    Expected { ids: scored.into_iter().map(|(_, j)| j).collect(), precision, in_cells, answered, eligible, capped }
}

/// What one measured page was: the best one, and as long as the best one.
#[derive(Clone, Copy)]
struct Checked {
    best: bool,
    short: bool,
    len: usize,
    capped: bool,
}

fn check(world: &World, expected: &Expected, page: &[Candidate]) -> Checked {
    let best = page.len() == expected.ids.len()
        && page.iter().zip(&expected.ids).all(|(c, &j)| c.user_id == world.people[j as usize].id);
    Checked { best, short: page.len() < expected.ids.len(), len: page.len(), capped: expected.capped }
}

pub async fn measure(
    args: &Args,
    sizes: &Sizes,
    world: &World,
    dialect: Dialect,
    contexts: &Contexts,
) -> anyhow::Result<(Vec<String>, String)> {
    let partners = &contexts.partners;
    let pool = partners.platform.db.pool();
    let budget = Duration::from_secs(args.case_seconds);
    let database = name(dialect);
    let count = sizes.requests + args.warmup;
    let mut rng = Rng(args.seed ^ 0xdec0);
    let anyone: Vec<u32> = (0..count).map(|_| rng.below(world.people.len()) as u32).collect();
    let biggest = &world.residents[0];
    let citizens: Vec<u32> = (0..count).map(|_| biggest[rng.below(biggest.len())]).collect();

    eprintln!("  the best pages, from everyone…");
    let index = cell_index(world);
    let now = now_ms();
    let best_of = |who: &[u32]| -> Vec<Expected> {
        who[..sizes.requests].iter().map(|&me| expected(world, &index, me, now)).collect()
    };
    let (anyone_best, citizens_best) = (best_of(&anyone), best_of(&citizens));
    drop(index);

    eprintln!("  SELECT 1…");
    let base = repeat(
        args.warmup,
        sizes.requests,
        budget,
        |_| async move {
            sqlx::query("SELECT 1 AS one").fetch_one(pool).await?;
            Ok(())
        },
        |_, _| (),
    )
    .await?;
    let base = Stats::of(base.into_iter().map(|(took, _)| took).collect());
    let mut rows = vec![format!(
        "| {database} | `SELECT 1` on the same pool (baseline) | {} | {:.2} | {:.2} | {:.2} | 1× | | | | |",
        base.n, base.p50_ms, base.p99_ms, base.mean_ms
    )];
    let row = |case: &str, measured: &[&(Duration, Checked)]| {
        let stats = Stats::of(measured.iter().map(|m| m.0).collect());
        let not_best = measured.iter().filter(|m| !m.1.best).count();
        let short = measured.iter().filter(|m| m.1.short).count();
        let capped = measured.iter().filter(|m| m.1.capped).count();
        // A page that is not the best although the SQL answered every row
        // that matched would be a mistake of the deck's (or of the bench's).
        let unexplained = measured.iter().filter(|m| !m.1.best && !m.1.capped).count();
        format!(
            "| {database} | {case} | {} | {:.2} | {:.2} | {:.2} | {:.0}× | {capped} | {not_best} | {short} | {unexplained} |",
            stats.n,
            stats.p50_ms,
            stats.p99_ms,
            stats.mean_ms,
            stats.p50_ms / base.p50_ms
        )
    };
    let deck = |who: u32| {
        let id = world.people[who as usize].id.clone();
        async move {
            partners
                .deck(&id, DeckQuery { sport: None, limit: Some(PAGE as u32) })
                .await
                .map_err(|e| anyhow!("deck: {e}"))
        }
    };

    eprintln!("  the deck, anyone…");
    let measured =
        repeat(args.warmup, sizes.requests, budget, |k| deck(anyone[k]), |k, page| check(world, &anyone_best[k], page))
            .await?;
    let all: Vec<&(Duration, Checked)> = measured.iter().collect();
    rows.push(row("deck, anyone opted in", &all));
    let part = |keep: &dyn Fn(usize) -> bool| -> Vec<&(Duration, Checked)> {
        measured.iter().enumerate().filter(|(k, _)| keep(*k)).map(|(_, m)| m).collect()
    };
    rows.push(row("… of which in the biggest city", &part(&|k| world.people[anyone[k] as usize].city == Some(0))));
    rows.push(row(
        "… of which radius up to 10 km (the query reads 5-character cells)",
        &part(&|k| anyone_best[k].precision == 5),
    ));
    rows.push(row(
        "… of which radius over 10 km (the query reads 4-character cells)",
        &part(&|k| anyone_best[k].precision == 4),
    ));
    let mut note = summary("anyone opted in", &anyone_best[..measured.len()], &measured);

    eprintln!("  the deck, the biggest city…");
    let measured = repeat(
        args.warmup,
        sizes.requests,
        budget,
        |k| deck(citizens[k]),
        |k, page| check(world, &citizens_best[k], page),
    )
    .await?;
    let all: Vec<&(Duration, Checked)> = measured.iter().collect();
    rows.push(row(&format!("deck, people of the biggest city ({})", group(biggest.len())), &all));
    let cell4: Vec<&(Duration, Checked)> =
        measured.iter().enumerate().filter(|(k, _)| citizens_best[*k].precision == 4).map(|(_, m)| m).collect();
    rows.push(row("… of which radius over 10 km (4-character cells)", &cell4));
    note.push_str(&format!(" {}", summary("people of the biggest city", &citizens_best[..measured.len()], &measured)));
    Ok((rows, note))
}

/// Averages of what the queries went through and what the pages held.
fn summary(case: &str, expected: &[Expected], measured: &[(Duration, Checked)]) -> String {
    let n = expected.len().max(1) as f64;
    let mean = |f: &dyn Fn(&Expected) -> usize| expected.iter().map(f).sum::<usize>() as f64 / n;
    let pages = measured.iter().map(|m| m.1.len).sum::<usize>() as f64 / measured.len().max(1) as f64;
    format!(
        "{case}: a deck query's cells held {:.0} rows of the caller's sports on average, the SQL answered {:.0} of \
         them (at most {} a sport), and {:.0} people were within both radii and could be shown; pages held {:.1} \
         people, the best pages {:.1}.",
        mean(&|e| e.in_cells),
        mean(&|e| e.answered),
        group(ROWS_PER_SPORT),
        mean(&|e| e.eligible),
        pages,
        mean(&|e| e.ids.len()),
    )
}
