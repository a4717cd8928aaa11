//! Files built to hurt the server, files cut short, and sources that fail
//! part-way: each is refused at once, with an error that says why, and never
//! read as a smaller workout.

use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;
use std::time::{Duration, Instant};

use tracks::{read, read_bytes, Format, Location, TrackError};

/// A source that counts the bytes taken from it, to show a refusal came
/// early rather than after reading a whole bomb.
struct Counted<'a> {
    bytes: &'a [u8],
    taken: Rc<Cell<usize>>,
}

impl<'a> Counted<'a> {
    fn new(bytes: &'a [u8]) -> (Self, Rc<Cell<usize>>) {
        let taken = Rc::new(Cell::new(0));
        (Self { bytes, taken: Rc::clone(&taken) }, taken)
    }
}

impl Read for Counted<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.bytes.read(out)?;
        self.taken.set(self.taken.get() + n);
        Ok(n)
    }
}

/// Reads `document` as `format` through a 64 KiB buffer, as the server does:
/// the result, how many bytes were taken and how long it took.
fn read_counted(format: Format, document: &[u8]) -> (Result<tracks::Track, TrackError>, usize, Duration) {
    let (source, taken) = Counted::new(document);
    let started = Instant::now();
    let result = read(format, BufReader::with_capacity(64 * 1024, source));
    (result, taken.get(), started.elapsed())
}

fn refused_beyond_limits(result: Result<tracks::Track, TrackError>) -> (u64, String) {
    match result {
        Err(error @ TrackError::BeyondLimits { at: Location::Byte(at), .. }) => (at, error.to_string()),
        other => panic!("expected a refusal beyond limits, got {other:?}"),
    }
}

#[test]
fn a_million_nested_elements_are_refused_at_the_sixty_fifth() {
    let levels = 1_000_000;
    let bomb = format!("<gpx>{}{}</gpx>", "<a>".repeat(levels), "</a>".repeat(levels));
    let (result, taken, took) = read_counted(Format::Gpx, bomb.as_bytes());
    let (at, message) = refused_beyond_limits(result);
    assert_eq!(message, format!("the file nests elements deeper than 64 levels at byte {at}: not an activity file"));
    // The 65th level opens at byte 5 + 63 × 3 of 7 MB: nothing past the
    // first buffer was read, nothing past the 65th element looked at.
    assert!((190..200).contains(&at), "refused at byte {at}");
    assert!(taken <= 64 * 1024, "{taken} bytes read");
    assert!(took < Duration::from_secs(1), "took {took:?}");

    let tcx = format!("<TrainingCenterDatabase>{}", "<Activities>".repeat(levels));
    let (result, _, _) = read_counted(Format::Tcx, tcx.as_bytes());
    refused_beyond_limits(result);
}

#[test]
fn the_deepest_real_nesting_is_read() {
    // A TCX point's power sits nine levels down; with room to spare.
    let wrapped = |depth: usize| {
        format!(
            r#"<gpx><trk><trkseg><trkpt lat="1" lon="2"><extensions>{}<power>250</power>{}</extensions></trkpt></trkseg></trk></gpx>"#,
            "<x>".repeat(depth),
            "</x>".repeat(depth)
        )
    };
    // gpx, trk, trkseg, trkpt, extensions and `power` make six levels.
    let track = read_bytes(wrapped(58).as_bytes()).unwrap();
    assert_eq!(track.points().next().unwrap().power, Some(250));
    refused_beyond_limits(read_bytes(wrapped(59).as_bytes()));
}

#[test]
fn a_huge_text_is_refused_once_it_passes_64_kib() {
    let huge = format!("<gpx><trk><name>{}</name></trk></gpx>", "x".repeat(16 << 20));
    let (result, taken, took) = read_counted(Format::Gpx, huge.as_bytes());
    let (at, message) = refused_beyond_limits(result);
    assert_eq!(
        message,
        format!("one tag, or the text of one element, is longer than 64 KiB at byte {at}: not an activity file")
    );
    assert_eq!(at, 16, "the text starts after <name>");
    assert!(taken <= 3 * 64 * 1024, "{taken} bytes of 16 MiB read");
    assert!(took < Duration::from_secs(1), "took {took:?}");

    // Split at references into thousands of small pieces, it is the same text.
    let referenced = format!("<gpx><trk><desc>{}</desc></trk></gpx>", "a&amp;".repeat(40_000));
    refused_beyond_limits(read_bytes(referenced.as_bytes()));
    let cdata = format!("<gpx><trk><desc><![CDATA[{}]]></desc></trk></gpx>", "x".repeat(1 << 20));
    refused_beyond_limits(read_bytes(cdata.as_bytes()));
}

#[test]
fn a_long_description_is_still_read() {
    let description = "A long day in the hills. ".repeat(2_000);
    assert!(description.len() > 48 * 1024);
    let text = format!(
        r#"<gpx><trk><name>Hills</name><desc>{description}</desc><trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>"#
    );
    let track = read_bytes(text.as_bytes()).unwrap();
    assert_eq!((track.name.as_deref(), track.point_count()), (Some("Hills"), 1));
}

#[test]
fn a_huge_tag_or_comment_is_refused() {
    let attribute = format!(r#"<gpx creator="{}"><trk/></gpx>"#, "x".repeat(4 << 20));
    let (result, taken, _) = read_counted(Format::Gpx, attribute.as_bytes());
    refused_beyond_limits(result);
    assert!(taken <= 3 * 64 * 1024, "{taken} bytes read");

    // A tag that never closes is refused at 64 KiB, not read to the end.
    let unclosed = format!("<gpx><trk{}", " ".repeat(4 << 20));
    refused_beyond_limits(read_bytes(unclosed.as_bytes()));
    let comment = format!("<gpx><!--{}--></gpx>", "x".repeat(4 << 20));
    refused_beyond_limits(read_bytes(comment.as_bytes()));
}

#[test]
fn too_many_attributes_or_too_long_a_name_are_refused() {
    let many: String = (0..1_000).map(|i| format!(r#" a{i}="""#)).collect();
    let (_, message) = refused_beyond_limits(read_bytes(format!("<gpx><trk{many}/></gpx>").as_bytes()));
    assert!(message.starts_with("an element has more than 64 attributes at byte 5"), "{message}");

    let long = "n".repeat(300);
    let (_, message) = refused_beyond_limits(read_bytes(format!("<gpx><{long}/></gpx>").as_bytes()));
    assert!(message.starts_with("an element has a name longer than 256 bytes"), "{message}");
    let (_, message) = refused_beyond_limits(read_bytes(format!(r#"<gpx {long}="1"></gpx>"#).as_bytes()));
    assert!(message.starts_with("an attribute has a name longer than 256 bytes"), "{message}");
}

#[test]
fn a_trackpoint_with_nothing_in_it_is_left_out() {
    let text = format!(
        "<TrainingCenterDatabase><Activities><Activity><Lap><Track>{}\
         <Trackpoint><Time>2024-05-01T06:00:00Z</Time></Trackpoint></Track>\
         <Track><Trackpoint/><Trackpoint></Trackpoint></Track></Lap></Activity></Activities></TrainingCenterDatabase>",
        "<Trackpoint/>".repeat(1_000)
    );
    let track = read(Format::Tcx, text.as_bytes()).unwrap();
    assert_eq!(track.point_count(), 1);
    assert_eq!(track.segments.len(), 1, "a track of empty points is no segment");
}

// --- FIT files cut short ---

/// FIT's checksum: CRC-16 with the reflected polynomial 0xA001, from zero.
fn fit_crc(bytes: &[u8]) -> u16 {
    bytes.iter().fold(0u16, |crc, &byte| {
        (0..8).fold(crc ^ u16::from(byte), |crc, _| if crc & 1 == 1 { (crc >> 1) ^ 0xA001 } else { crc >> 1 })
    })
}

/// A FIT activity of `records` one-second records with heart rate and
/// distance: a 14-byte header with its own checksum, the messages, the
/// file's checksum.
fn fit_activity(records: u32) -> Vec<u8> {
    let mut data = Vec::new();
    // file_id (global 0) on local 0: `type` (field 0, enum) = 4, activity.
    data.extend([0x40, 0, 0, 0, 0, 1, 0, 1, 0x00]);
    data.extend([0x00, 4]);
    // record (global 20) on local 1: timestamp (253, uint32), heart_rate
    // (3, uint8), distance (5, uint32 in centimetres).
    data.extend([0x41, 0, 0, 20, 0, 3, 253, 4, 0x86, 3, 1, 0x02, 5, 4, 0x86]);
    for i in 0..records {
        data.push(0x01);
        data.extend((1_000_000_000 + i).to_le_bytes());
        data.push(120 + (i % 40) as u8);
        data.extend((i * 300).to_le_bytes());
    }
    let mut file = vec![14, 0x20];
    file.extend(2132u16.to_le_bytes());
    file.extend((data.len() as u32).to_le_bytes());
    file.extend(b".FIT");
    file.extend(fit_crc(&file).to_le_bytes());
    file.extend(data);
    file.extend(fit_crc(&file).to_le_bytes());
    file
}

fn assert_cut_short(result: Result<tracks::Track, TrackError>, cut: usize) {
    match result {
        Err(e @ TrackError::Truncated { .. }) => {
            assert!(e.to_string().contains("looks cut short"), "{e}");
            assert!(e.to_string().contains("send it again"), "{e}");
        }
        other => panic!("cut at byte {cut}: expected a file cut short, got {other:?}"),
    }
}

#[test]
fn a_whole_fit_file_is_read() {
    let whole = fit_activity(50);
    let track = read_bytes(&whole).unwrap();
    assert_eq!(track.point_count(), 50);
    assert_eq!(track.points().last().unwrap().distance, Some(147.0));
}

#[test]
fn a_fit_file_cut_anywhere_is_refused_as_cut_short() {
    let whole = fit_activity(50);
    // Every byte, so every boundary between messages, and the cut that
    // takes only the checksum away.
    for cut in 0..whole.len() {
        assert_cut_short(read(Format::Fit, &whole[..cut]), cut);
    }
}

#[test]
fn a_fit_file_whose_checksum_does_not_match_is_refused() {
    let mut changed = fit_activity(50);
    // A heart rate in the 20th record, as a bad copy might alter it.
    changed[14 + 11 + 15 + 19 * 10 + 5] ^= 0x01;
    let error = read_bytes(&changed).unwrap_err();
    assert!(matches!(&error, TrackError::Malformed { detail, .. } if detail.contains("checksum")), "{error:?}");

    let mut header = fit_activity(50);
    header[4] ^= 0x01;
    assert!(read(Format::Fit, &header[..]).is_err());
}

/// Found by the fuzzer: a header claiming 60 bytes in a file of 46 made
/// fitparser slice past the end and panic.
#[test]
fn a_fit_header_longer_than_the_file_is_cut_short() {
    let mut file = vec![60, 0, 0, 0, 0, 0, 0, 0];
    file.extend(b".FITeseg\0\x8f\0\0\0\0\0\x01\0\0\0\0\0\xf2\0\0\0\0\0?gpx></gpx>");
    assert_cut_short(read_bytes(&file), file.len());
    // The same, as the second file of a chain.
    let mut chain = fit_activity(3);
    chain.extend(&file);
    assert_cut_short(read_bytes(&chain), chain.len());
    // A header of no length was read as a header again, 12 bytes on.
    let mut empty = vec![0, 11, 0, 0, 0, 0, 0, 0];
    empty.extend(b".FIT Tllat\0\0.FIT TllatOn ");
    let error = read_bytes(&empty).unwrap_err();
    assert!(error.to_string().contains("the FIT header says it is 0 bytes long"), "{error}");
}

/// Every input the fuzzer (scripts/fuzz) found a panic with, kept as it
/// found it: each is now answered, read or refused. (One is a FIT file
/// whose definition runs past the end its header gives, after which
/// fitparser took the bytes that followed for a header of 213 bytes; one a
/// timestamp fitparser's time type cannot hold.)
#[test]
fn every_input_the_fuzzer_found_is_answered() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_findings");
    let mut findings = 0;
    for entry in std::fs::read_dir(folder).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        if let Ok(track) = read_bytes(&bytes) {
            tracks::analyse(&track, &tracks::Options::default());
        }
        findings += 1;
    }
    assert!(findings >= 4, "{findings} findings");
}

#[test]
fn chained_fit_files_are_each_checked_whole() {
    let (first, second) = (fit_activity(10), fit_activity(20));
    let chain = [first.clone(), second.clone()].concat();
    assert_eq!(read_bytes(&chain).unwrap().point_count(), 30);
    // Cut inside the second: refused. (Cut just after the first file's
    // checksum, what is left is a whole file, and is read as one.)
    for cut in first.len() + 1..chain.len() {
        assert_cut_short(read(Format::Fit, &chain[..cut]), cut);
    }
}

// --- Sources that fail part-way ---

/// A source that hands over `bytes[..fail_at]`, then fails, as the server's
/// source does when the upload is abandoned or unpacks past its cap. Counts
/// how often it is asked again after failing.
struct FailingAfter {
    bytes: Vec<u8>,
    fail_at: usize,
    given: usize,
    asked_after_failing: Rc<Cell<usize>>,
}

impl Read for FailingAfter {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.given == self.fail_at {
            self.asked_after_failing.set(self.asked_after_failing.get() + 1);
            return Err(io::Error::new(io::ErrorKind::ConnectionAborted, "the upload was abandoned"));
        }
        let n = out.len().min(self.fail_at - self.given);
        out[..n].copy_from_slice(&self.bytes[self.given..self.given + n]);
        self.given += n;
        Ok(n)
    }
}

/// Reads `bytes` as `format` from a source failing after `fail_at` bytes,
/// through a small buffer so the failure can come anywhere; the result, and
/// how often the source was asked after it failed.
fn read_failing(format: Format, bytes: &[u8], fail_at: usize) -> (Result<tracks::Track, TrackError>, usize) {
    let asked = Rc::new(Cell::new(0));
    let source = FailingAfter { bytes: bytes.to_vec(), fail_at, given: 0, asked_after_failing: Rc::clone(&asked) };
    let result = read(format, BufReader::with_capacity(16, source));
    (result, asked.get())
}

fn assert_fails_at_every_byte(format: Format, bytes: &[u8]) {
    assert!(read(format, bytes).is_ok(), "the whole file reads");
    // Up to and including the last byte: a source that fails after handing
    // everything over still failed, and there may have been more.
    for fail_at in 0..=bytes.len() {
        let (result, asked) = read_failing(format, bytes, fail_at);
        match result {
            Err(TrackError::Io(message)) => assert!(message.contains("abandoned"), "{message}"),
            other => panic!("{format:?} failing after {fail_at} bytes: expected an I/O error, got {other:?}"),
        }
        assert_eq!(asked, 1, "{format:?} failing after {fail_at} bytes: read on after the failure");
    }
}

#[test]
fn a_source_failing_part_way_is_an_error_never_a_shorter_track() {
    let gpx = br#"<?xml version="1.0"?><gpx><trk><trkseg><trkpt lat="1" lon="2"><time>2024-05-01T06:00:00Z</time></trkpt><trkpt lat="1.001" lon="2"/></trkseg></trk></gpx>"#;
    assert_fails_at_every_byte(Format::Gpx, gpx);
    let tcx = br#"<TrainingCenterDatabase><Activities><Activity Sport="Running"><Lap><Track><Trackpoint><Time>2024-05-01T06:00:00Z</Time><DistanceMeters>0</DistanceMeters></Trackpoint><Trackpoint><Time>2024-05-01T06:00:01Z</Time><DistanceMeters>3</DistanceMeters></Trackpoint></Track></Lap></Activity></Activities></TrainingCenterDatabase>"#;
    assert_fails_at_every_byte(Format::Tcx, tcx);
    assert_fails_at_every_byte(Format::Fit, &fit_activity(20));
}

#[test]
fn a_gpx_source_that_fails_stops_the_reading_at_once() {
    // The failure comes a few kilobytes into a long file: it is not retried,
    // and the points read so far are not returned.
    let points = r#"<trkpt lat="1" lon="2"/>"#.repeat(10_000);
    let gpx = format!("<gpx><trk><trkseg>{points}</trkseg></trk></gpx>");
    let (result, asked) = read_failing(Format::Gpx, gpx.as_bytes(), 5_000);
    assert!(matches!(result, Err(TrackError::Io(_))), "{result:?}");
    assert_eq!(asked, 1);
}

#[test]
fn a_source_that_buffers_its_own_failure_is_still_an_error() {
    // The server's source is a `BufRead` of its own (a 64 KiB BufReader over
    // a gzip decoder); the failure surfaces from `fill_buf` there too.
    struct FailingBuffer;
    impl Read for FailingBuffer {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::other("the unpacked file passes 256 MiB"))
        }
    }
    impl BufRead for FailingBuffer {
        fn fill_buf(&mut self) -> io::Result<&[u8]> {
            Err(io::Error::other("the unpacked file passes 256 MiB"))
        }
        fn consume(&mut self, _: usize) {}
    }
    for format in [Format::Gpx, Format::Tcx, Format::Fit] {
        let error = read(format, FailingBuffer).unwrap_err();
        assert_eq!(error, TrackError::Io("the unpacked file passes 256 MiB".into()));
        assert_eq!(error.to_string(), "reading the file failed: the unpacked file passes 256 MiB");
    }
}
