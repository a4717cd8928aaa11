//! Reads and analyses track files with the tracks crate, for bench/tracks.
//!
//! - `tracks-bench ROUNDS FILE…`: reads and analyses each file `ROUNDS`
//!   times and prints one line per file kind: `<kind> <points> <seconds>`.
//! - `tracks-bench best ROUNDS FILE…`: one line per file,
//!   `<file> <points> <seconds> <reading> <analysing>`, each the fastest of
//!   `ROUNDS` rounds (the least disturbed by whatever else the machine
//!   runs), for the scaling series.
//! - `tracks-bench once FILE`: reads and analyses the file once, for
//!   callgrind (`--toggle-collect=*work*` counts that alone).
//! - `tracks-bench dump FILE…`: everything read and computed, one line per
//!   file (the track as a hash, the summary in full), so that two builds
//!   can be compared number for number.
//! - `tracks-bench fit POINTS PATH`: writes a FIT activity like the GPX
//!   of generate_gpx.py, as a watch records it.

mod fit_writer;

// The allocator the server reads and analyses with (crates/athlos/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::hash::{DefaultHasher, Hasher};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("best") => best(rounds(args.get(1)), &args[2..]),
        Some("once") => once(&args[1]),
        Some("dump") => dump(&args[1..]),
        Some("fit") => fit_writer::write(args[1].parse().expect("a number of points"), &args[2]),
        _ => totals(rounds(args.first()), &args[1..]),
    }
}

fn rounds(arg: Option<&String>) -> u32 {
    arg.and_then(|r| r.parse().ok()).expect("usage: tracks-bench [best] ROUNDS FILE…")
}

/// Reads and analyses one file: the points analysed, none when it is refused.
#[inline(never)]
fn work(bytes: &[u8]) -> usize {
    match tracks::read_bytes(bytes) {
        Ok(track) => std::hint::black_box(tracks::analyse(&track, &tracks::Options::default())).points,
        // Refused files (not activities, damaged) cost their reading time too.
        Err(_) => 0,
    }
}

fn totals(rounds: u32, paths: &[String]) {
    let mut totals: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    for path in paths {
        let kind = if path.contains("generated") { "generated".into() } else { extension(path) };
        let bytes = std::fs::read(path).expect("readable file");
        let started = Instant::now();
        let points: usize = (0..rounds).map(|_| work(&bytes)).sum();
        let total = totals.entry(kind).or_default();
        total.0 += points;
        total.1 += started.elapsed().as_secs_f64();
    }
    for (kind, (points, seconds)) in totals {
        println!("{kind} {points} {seconds:.6}");
    }
}

fn best(rounds: u32, paths: &[String]) {
    for path in paths {
        let bytes = std::fs::read(path).expect("readable file");
        let (mut total, mut reading, mut analysing) = (f64::INFINITY, f64::INFINITY, f64::INFINITY);
        let mut points = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            let track = tracks::read_bytes(&bytes).expect("a track");
            let read = started.elapsed().as_secs_f64();
            points = std::hint::black_box(tracks::analyse(&track, &tracks::Options::default())).points;
            let both = started.elapsed().as_secs_f64();
            drop(std::hint::black_box(track));
            (total, reading, analysing) = (total.min(both), reading.min(read), analysing.min(both - read));
        }
        println!("{path} {points} {total:.6} {reading:.6} {analysing:.6}");
    }
}

fn once(path: &str) {
    let bytes = std::fs::read(path).expect("readable file");
    println!("{}", work(&bytes));
}

fn dump(paths: &[String]) {
    for path in paths {
        let bytes = std::fs::read(path).expect("readable file");
        match tracks::read_bytes(&bytes) {
            Ok(track) => {
                let summary = tracks::analyse(&track, &tracks::Options::default());
                // Debug prints every float exactly (shortest round trip);
                // hashed as it is written, since a million points print
                // hundreds of megabytes.
                let mut hashed = Hashed(DefaultHasher::new());
                write!(hashed, "{track:?}").expect("hashing cannot fail");
                println!("{path}: track {:016x} {summary:?}", hashed.0.finish());
            }
            Err(e) => println!("{path}: {e:?}"),
        }
    }
}

/// Text written into a hash.
struct Hashed(DefaultHasher);

impl Write for Hashed {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

fn extension(path: &str) -> String {
    path.rsplit('.').next().unwrap_or_default().to_lowercase()
}
