//! From an activity file to a workout's numbers: reading it with `tracks`
//! (gzipped or not) and keeping what the summary says.

use std::io::{BufRead, BufReader, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use tokio::sync::Semaphore;

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
/// 128 MiB: a day of one-second records with every sensor is well under
/// 100 MB, and a file larger than this unpacked (a gzip bomb is a few
/// hundred kilobytes) is refused rather than read, since its points would
/// cost memory in proportion.
pub const MAX_UNPACKED: u64 = 128 << 20;

/// Reads and analyses an activity file on a blocking thread, at most as many
/// at once as the machine has cores (the others wait their turn), and stops
/// reading when the caller stops waiting: a request that is abandoned or
/// timed out does not leave its file being read in the background.
pub async fn analyse_off_thread(source: impl Read + Send + 'static) -> Result<Result<Analysed, String>, String> {
    let _turn = readers().acquire().await.map_err(|e| e.to_string())?;
    let abandoned = Arc::new(AtomicBool::new(false));
    let _on_drop = AbandonOnDrop(abandoned.clone());
    let guarded = Guarded { inner: source, left: MAX_UNPACKED, abandoned };
    tokio::task::spawn_blocking(move || analyse(guarded).map_err(|e| e.to_string()))
        .await
        .map_err(|e| format!("reading the file stopped: {e}"))
}

fn readers() -> &'static Semaphore {
    static READERS: OnceLock<Semaphore> = OnceLock::new();
    READERS.get_or_init(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())))
}

/// Tells the blocking reader to stop when the future waiting for it is dropped.
struct AbandonOnDrop(Arc<AtomicBool>);

impl Drop for AbandonOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// A reader that fails once more than `left` bytes came through or once its
/// reading was abandoned, so that neither a bomb nor a lost request keeps a
/// thread and its memory busy.
struct Guarded<R> {
    inner: R,
    left: u64,
    abandoned: Arc<AtomicBool>,
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.abandoned.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("reading was abandoned: the request ended"));
        }
        let n = self.inner.read(buf)?;
        self.left = self.left.checked_sub(n as u64).ok_or_else(|| {
            std::io::Error::other(format!(
                "the file is larger than {} MiB once unpacked: not a single workout",
                MAX_UNPACKED >> 20
            ))
        })?;
        Ok(n)
    }
}

/// Reads and analyses an activity file from `source`, unpacking gzip first.
/// Blocking: call it from a blocking thread.
pub fn analyse(source: impl Read) -> Result<Analysed, TrackError> {
    analyse_within(source, MAX_UNPACKED)
}

fn analyse_within(source: impl Read, cap: u64) -> Result<Analysed, TrackError> {
    let mut source = BufReader::with_capacity(64 * 1024, source);
    let head = source.fill_buf().map_err(|e| TrackError::Io(e.to_string()))?;
    if head.starts_with(&GZIP_MAGIC) {
        // A small gzip can unpack to a huge file: the unpacked bytes are counted too.
        let unpacked = Guarded {
            inner: flate2::read::GzDecoder::new(source),
            left: cap,
            abandoned: Arc::new(AtomicBool::new(false)),
        };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn guarded(bytes: &'static [u8], left: u64) -> Guarded<&'static [u8]> {
        Guarded { inner: bytes, left, abandoned: Arc::new(AtomicBool::new(false)) }
    }

    #[test]
    fn a_source_past_its_cap_fails_rather_than_ends() {
        let mut within = Vec::new();
        guarded(b"0123456789", 10).read_to_end(&mut within).unwrap();
        assert_eq!(within.len(), 10);
        let mut past = Vec::new();
        let error = guarded(b"0123456789!", 10).read_to_end(&mut past).unwrap_err();
        assert!(error.to_string().contains("MiB once unpacked"), "{error}");
    }

    #[test]
    fn an_abandoned_reading_stops_at_the_next_read() {
        let mut source = guarded(b"0123456789", 100);
        let mut first = [0u8; 4];
        assert_eq!(source.read(&mut first).unwrap(), 4);
        source.abandoned.store(true, Ordering::Relaxed);
        assert!(source.read(&mut first).is_err());
    }

    #[test]
    fn a_gzip_that_unpacks_past_the_cap_is_refused() {
        use std::io::Write;
        // A FIT header, then zeros: FIT is read whole before decoding.
        let mut packed = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        packed.write_all(&[14, 0x10, 0, 0, 0, 0, 0x40, 0, b'.', b'F', b'I', b'T', 0, 0]).unwrap();
        packed.write_all(&vec![0u8; 2 << 20]).unwrap();
        let refused = analyse_within(&packed.finish().unwrap()[..], 1 << 20).err().expect("refused");
        assert!(refused.to_string().contains("MiB once unpacked"), "{refused}");
    }
}
