//! Reads and analyses each file given, `ROUNDS` times (first argument),
//! and prints one line per file kind: `<kind> <points> <seconds>`.

use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: u32 = args.next().and_then(|r| r.parse().ok()).expect("usage: tracks-bench ROUNDS FILE…");
    let files: Vec<(String, Vec<u8>)> = args
        .map(|path| {
            let kind = if path.contains("generated") { "generated".into() } else { extension(&path) };
            (kind, std::fs::read(&path).expect("readable file"))
        })
        .collect();
    let mut totals: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    for (kind, bytes) in &files {
        let started = Instant::now();
        let mut points = 0;
        for _ in 0..rounds {
            // Refused files (not activities, damaged) cost their reading time too.
            if let Ok(track) = tracks::read_bytes(bytes) {
                let summary = tracks::analyse(&track, &tracks::Options::default());
                points += std::hint::black_box(summary).points;
            }
        }
        let total = totals.entry(kind.clone()).or_default();
        total.0 += points;
        total.1 += started.elapsed().as_secs_f64();
    }
    for (kind, (points, seconds)) in totals {
        println!("{kind} {points} {seconds:.6}");
    }
}

fn extension(path: &str) -> String {
    path.rsplit('.').next().unwrap_or_default().to_lowercase()
}
