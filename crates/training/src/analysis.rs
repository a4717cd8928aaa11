//! From an activity file to a workout's numbers: reading it with `tracks`
//! (gzipped or not) and keeping what the summary says.

use std::io::{BufRead, BufReader, Read};

use tracks::{Format, Summary, Track, TrackError};

use crate::workouts::model::Measures;

/// A file read and analysed.
pub struct Analysed {
    pub format: Format,
    pub track: Track,
    pub summary: Summary,
}

impl Analysed {
    pub fn measures(&self) -> Measures {
        let s = &self.summary;
        Measures {
            duration_s: s.elapsed_s.max(s.moving_s),
            moving_s: Some(s.moving_s),
            distance_m: Some(s.distance_m),
            elevation_gain_m: s.elevation.as_ref().map(|e| e.gain_m),
            elevation_loss_m: s.elevation.as_ref().map(|e| e.loss_m),
            average_speed_mps: s.average_speed_mps,
            max_speed_mps: s.max_speed_mps,
            average_heart_rate: s.heart_rate.as_ref().map(|h| h.average),
            max_heart_rate: s.heart_rate.as_ref().map(|h| i64::from(h.max)),
        }
    }

    /// `(distance, seconds)` of each best effort, for personal records.
    pub fn efforts(&self) -> Vec<(f64, f64)> {
        self.summary.best_efforts.iter().map(|e| (e.distance_m, e.seconds)).collect()
    }

    pub fn analysis_json(&self) -> String {
        serde_json::to_string(&self.summary).expect("a summary serializes")
    }
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// 256 MiB: a day of one-second records with every sensor is under 100 MB,
/// and the points of more would cost gigabytes of memory.
const MAX_UNPACKED: u64 = 256 << 20;

/// Reads and analyses an activity file from `source`, unpacking gzip first.
/// Blocking: call it from a blocking thread.
pub fn analyse(source: impl Read) -> Result<Analysed, TrackError> {
    let mut source = BufReader::with_capacity(64 * 1024, source);
    let head = source.fill_buf().map_err(|e| TrackError::Io(e.to_string()))?;
    if head.starts_with(&GZIP_MAGIC) {
        // A small gzip can unpack to a huge file: stop well past any real workout.
        let unpacked = flate2::read::GzDecoder::new(source).take(MAX_UNPACKED);
        return analyse_plain(BufReader::with_capacity(64 * 1024, unpacked));
    }
    analyse_plain(source)
}

fn analyse_plain(mut source: impl BufRead) -> Result<Analysed, TrackError> {
    let format = sniff(&mut source)?;
    let track = tracks::read(format, source)?;
    let summary = tracks::analyse(&track, &tracks::Options::default());
    check_start(summary.start_time)?;
    Ok(Analysed { format, track, summary })
}

/// Recognises the format from the first bytes without consuming them. A
/// buffer of 64 KiB holds far more than the few hundred bytes it needs.
pub fn sniff(source: &mut impl BufRead) -> Result<Format, TrackError> {
    let head = source.fill_buf().map_err(|e| TrackError::Io(e.to_string()))?;
    Format::sniff(head).ok_or(TrackError::UnknownFormat)
}

/// Recognises an activity file (gzipped or not) by its first bytes.
pub fn recognise(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(&GZIP_MAGIC) {
        return Some("gz");
    }
    Format::sniff(head).map(Format::extension)
}

/// A start before 1970 or more than a day ahead is a broken clock in the file.
fn check_start(start: Option<i64>) -> Result<(), TrackError> {
    let latest = platform::db::now_ms() + 24 * 3600 * 1000;
    match start {
        Some(ms) if !(0..=latest).contains(&ms) => Err(TrackError::OutOfRange {
            at: tracks::Location::File,
            detail: "its start time is before 1970 or in the future".into(),
        }),
        _ => Ok(()),
    }
}
