//! Reading the boards in-process, as the routes do: a page of 100 from the
//! top, a deep page through a cursor, "my rank and the people around me",
//! on the competition's board (whole and filtered to women) and on the
//! global board, against a `SELECT 1` on the same pool. Every answer is
//! checked against the places the seeded results must have.

use std::time::Duration;

use anyhow::anyhow;
use athlos::server::Contexts;
use base64::Engine;
use competition::boards::{AroundMe, BoardPage, BoardQuery, Distance, GlobalPath, GlobalQuery, Standing};
use platform::db::Dialect;
use platform::http::Caller;
use platform::people::Role;

use crate::seed::World;
use crate::{group, name, repeat, Args, Rng, Sizes, Stats};

const PAGE: u32 = 100;

/// The global board of the fastest 5 km runs.
fn five_k() -> GlobalPath {
    GlobalPath { sport: "running".into(), distance: Distance::FiveK }
}

fn caller(id: &str) -> Caller {
    Caller { id: id.to_string(), session_id: "bench".into(), role: Role::User, email_verified: true }
}

/// A cursor as the server writes it (`boards::encode_cursor`): the place of
/// the row a page follows, and that row's position in the board's order.
/// Each page read with it is checked, so a change of the format shows.
fn cursor(place: usize, key: f64, at: i64, user_id: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{place}\n{key}\n{at}\n{user_id}"))
}

/// Whether a page holds the 100 places after `from` of `order`, in order.
fn page_is(page: &BoardPage, from: usize, order: &[u32], world: &World) -> bool {
    page.items.len() == PAGE as usize
        && page.items.iter().enumerate().all(|(j, s): (usize, &Standing)| {
            s.place == (from + j + 1) as i64 && s.person.id == world.people[order[from + j] as usize]
        })
}

/// Whether the answer puts the caller at `place`, their line among the others.
fn around_is(around: &AroundMe, place: u32) -> bool {
    around.place == Some(place as i64) && around.items.iter().any(|s| s.you && s.place == place as i64)
}

/// Whom "my rank" is asked for: anyone on the board at random, and every
/// hundredth request one of the ten last places.
fn targets(order: &[u32], count: usize, rng: &mut Rng) -> Vec<usize> {
    (0..count)
        .map(|k| if k % 100 == 0 { order[order.len() - 1 - (k / 100) % 10] } else { order[rng.below(order.len())] })
        .map(|i| i as usize)
        .collect()
}

pub async fn measure(
    args: &Args,
    sizes: &Sizes,
    world: &World,
    dialect: Dialect,
    contexts: &Contexts,
) -> anyhow::Result<Vec<String>> {
    let board = &contexts.competition;
    let pool = board.platform.db.pool();
    let budget = Duration::from_secs(args.case_seconds);
    let database = name(dialect);
    let id = world.competition_id.as_str();
    let count = sizes.requests + args.warmup;
    let mut rng = Rng(args.seed ^ 0x7eed);
    // Who reads a page: anyone with a result.
    let viewers: Vec<Caller> = (0..count).map(|_| caller(&world.people[rng.below(world.results)])).collect();
    let mut rows = Vec::new();

    eprintln!("  SELECT 1…");
    let (base, _) = repeat(
        args.warmup,
        sizes.requests,
        budget,
        |_| async move {
            sqlx::query("SELECT 1 AS one").fetch_one(pool).await?;
            Ok(())
        },
        |_, _| true,
    )
    .await?;
    let row = |case: &str, (stats, wrong): (Stats, usize)| {
        format!(
            "| {database} | {case} | {} | {:.2} | {:.2} | {:.2} | {:.0}× | {wrong} |",
            stats.n,
            stats.p50_ms,
            stats.p99_ms,
            stats.mean_ms,
            stats.p50_ms / base.p50_ms
        )
    };
    rows.push(format!(
        "| {database} | `SELECT 1` on the same pool (baseline) | {} | {:.2} | {:.2} | {:.2} | 1× | |",
        base.n, base.p50_ms, base.p99_ms, base.mean_ms
    ));
    let top =
        |sex: Option<&str>| BoardQuery { limit: Some(PAGE), sex: sex.map(str::to_string), ..BoardQuery::default() };

    eprintln!("  competition: top 100…");
    let measured = repeat(
        args.warmup,
        sizes.requests,
        budget,
        |k| {
            let viewer = &viewers[k];
            async move { board.board(viewer, id, top(None)).await.map_err(|e| anyhow!("board: {e}")) }
        },
        |_, page| page_is(page, 0, &world.order, world),
    )
    .await?;
    rows.push(row("competition, top 100", measured));

    eprintln!("  competition: the page after place {}…", sizes.deep_place);
    let after = world.order[sizes.deep_place - 1] as usize;
    let deep = cursor(sizes.deep_place, -world.score[after], world.achieved[after], &world.people[after]);
    let measured = repeat(
        args.warmup,
        sizes.requests,
        budget,
        |k| {
            let viewer = &viewers[k];
            let query = BoardQuery { cursor: Some(deep.clone()), ..top(None) };
            async move { board.board(viewer, id, query).await.map_err(|e| anyhow!("board: {e}")) }
        },
        |_, page| page_is(page, sizes.deep_place, &world.order, world),
    )
    .await?;
    rows.push(row(&format!("competition, 100 after place {}", group(sizes.deep_place)), measured));

    eprintln!("  competition: my rank…");
    let who = targets(&world.order, count, &mut rng);
    let measured = repeat(
        args.warmup,
        sizes.requests,
        budget,
        |k| {
            let me = caller(&world.people[who[k]]);
            async move { board.board_around_me(&me, id, BoardQuery::default()).await.map_err(|e| anyhow!("me: {e}")) }
        },
        |k, around| around_is(around, world.place[who[k]]),
    )
    .await?;
    rows.push(row("competition, my rank ± 3 (anyone, last places too)", measured));

    eprintln!("  competition, women: top 100…");
    let measured = repeat(
        args.warmup,
        sizes.requests,
        budget,
        |k| {
            let viewer = &viewers[k];
            async move { board.board(viewer, id, top(Some("female"))).await.map_err(|e| anyhow!("board: {e}")) }
        },
        |_, page| page_is(page, 0, &world.female_order, world),
    )
    .await?;
    rows.push(row("competition, women (`sex=female`), top 100", measured));

    eprintln!("  competition, women: my rank…");
    let women = targets(&world.female_order, count, &mut rng);
    let measured = repeat(
        args.warmup,
        sizes.requests,
        budget,
        |k| {
            let me = caller(&world.people[women[k]]);
            let query = BoardQuery { sex: Some("female".into()), ..BoardQuery::default() };
            async move { board.board_around_me(&me, id, query).await.map_err(|e| anyhow!("me: {e}")) }
        },
        |k, around| around_is(around, world.female_place[women[k]]),
    )
    .await?;
    rows.push(row("competition, women, my rank ± 3", measured));

    let global = |cursor: Option<String>| GlobalQuery {
        period: Some("all".into()),
        limit: Some(PAGE),
        cursor,
        ..GlobalQuery::default()
    };
    eprintln!("  global: top 100…");
    let measured = repeat(
        args.warmup,
        sizes.requests,
        budget,
        |k| {
            let viewer = &viewers[k];
            async move { board.global_board(viewer, five_k(), global(None)).await.map_err(|e| anyhow!("global: {e}")) }
        },
        |_, page| page_is(page, 0, &world.global_order, world),
    )
    .await?;
    rows.push(row("global running 5 km, top 100", measured));

    eprintln!("  global: the page after place {}…", sizes.deep_place);
    let after = world.global_order[sizes.deep_place - 1] as usize;
    let deep = cursor(sizes.deep_place, world.seconds[after], world.global_at[after], &world.people[after]);
    let measured = repeat(
        args.warmup,
        sizes.requests,
        budget,
        |k| {
            let viewer = &viewers[k];
            let query = global(Some(deep.clone()));
            async move { board.global_board(viewer, five_k(), query).await.map_err(|e| anyhow!("global: {e}")) }
        },
        |_, page| page_is(page, sizes.deep_place, &world.global_order, world),
    )
    .await?;
    rows.push(row(&format!("global running 5 km, 100 after place {}", group(sizes.deep_place)), measured));

    eprintln!("  global: my rank…");
    let who = targets(&world.global_order, count, &mut rng);
    let measured = repeat(
        args.warmup,
        sizes.requests,
        budget,
        |k| {
            let me = caller(&world.people[who[k]]);
            let query = GlobalQuery { period: Some("all".into()), ..GlobalQuery::default() };
            async move { board.global_around_me(&me, five_k(), query).await.map_err(|e| anyhow!("me: {e}")) }
        },
        |k, around| around_is(around, world.global_place[who[k]]),
    )
    .await?;
    rows.push(row("global running 5 km, my rank ± 3", measured));
    Ok(rows)
}
