//! FIT (Garmin's binary format): the file must be an activity; its records
//! become points, its sessions the device's totals.
//!
//! Two decoders read it. `quick` decodes straight from the bytes what
//! watches and bike computers write (definitions, records, compressed
//! timestamps, chained files) at a few tens of nanoseconds a record;
//! `profile` decodes through `fitparser` and the whole FIT profile, a
//! couple of microseconds a record. `quick` declines any file with what it
//! does not take on (developer fields, compressed speed and distance,
//! unusual field types) and any file that is not whole and sound, and
//! `profile` reads those, so that what is read, and every refusal with its
//! wording, is the same whichever decoder reads a file. One difference
//! remains, on files no device writes: fitparser refuses a file whose
//! checksum holds but where a message no track needs has a value its
//! profile cannot convert (text where it expects a number); `quick`, which
//! does not look into such messages, reads the track. (The tests change
//! corpus files at random to show there is no other.)

mod profile;
mod quick;

use crate::error::{Location, TrackError};
use crate::model::{DeviceTotals, Point, Track};

/// Semicircles (2^31 per 180°) to degrees.
const DEGREES_PER_SEMICIRCLE: f64 = 180.0 / 2_147_483_648.0;

pub fn read(bytes: &[u8]) -> Result<Track, TrackError> {
    let decoded = match quick::decode(bytes) {
        Some(decoded) => decoded,
        None => profile::decode(bytes)?,
    };
    decoded.into_track()
}

/// What a decoder found in a whole file.
#[derive(Debug, Default, PartialEq)]
struct Decoded {
    points: Vec<Point>,
    totals: DeviceTotals,
    sport: Option<String>,
    /// The file's type from its first file_id message that has one.
    file_kind: Option<String>,
}

impl Decoded {
    fn into_track(self) -> Result<Track, TrackError> {
        if let Some(kind) = self.file_kind.filter(|k| k != "activity") {
            return Err(TrackError::NotAnActivity { kind: kind.replace('_', " ") });
        }
        if self.points.is_empty() {
            return Err(TrackError::NoPoints);
        }
        let device_totals = (self.totals != DeviceTotals::default()).then_some(self.totals);
        Ok(Track { name: None, sport: self.sport, segments: vec![self.points], device_totals })
    }

    /// Adds a session's totals; the first session naming a sport names the track's.
    fn add_session(&mut self, session: Session) {
        let add = |total: &mut Option<f64>, value: Option<f64>| {
            if let Some(v) = value {
                *total.get_or_insert(0.0) += v;
            }
        };
        add(&mut self.totals.distance_m, session.distance_m);
        add(&mut self.totals.elapsed_s, session.elapsed_s);
        add(&mut self.totals.timer_s, session.timer_s);
        if self.sport.is_none() {
            // The sub-sport tells a trail run from a road run, a
            // mountain-bike ride from a road ride: both words go on.
            let sub = session.sub_sport.filter(|v| v != "generic");
            self.sport = session.sport.map(|v| [Some(v), sub].into_iter().flatten().collect::<Vec<_>>().join(" "));
        }
    }

    /// Makes room for up to `count` more points (never past the limit) at
    /// once, rather than growing the points by doubling, which copies a
    /// long track's over and over into fresh memory.
    fn expect_points(&mut self, count: usize) {
        let room = count.min(crate::MAX_POINTS + 1);
        self.points.reserve(room.saturating_sub(self.points.len()));
    }

    /// Keeps a record's point, if it carries one, refusing the point past the limit.
    fn add_record(&mut self, record: Reading, offset: usize) -> Result<(), TrackError> {
        self.points.extend(record.point());
        crate::within_point_limit(self.points.len(), || Location::Byte(offset as u64))
    }
}

/// What a session message tells.
#[derive(Default)]
struct Session {
    distance_m: Option<f64>,
    elapsed_s: Option<f64>,
    timer_s: Option<f64>,
    sport: Option<String>,
    sub_sport: Option<String>,
}

/// A record's fields as the FIT profile gives them (scaled, in its units),
/// whichever decoder read them.
#[derive(Default)]
struct Reading {
    /// Milliseconds since the Unix epoch.
    time: Option<i64>,
    /// Semicircles.
    lat: Option<f64>,
    lon: Option<f64>,
    elevation: Option<f64>,
    heart_rate: Option<f64>,
    cadence: Option<f64>,
    power: Option<f64>,
    temperature: Option<f64>,
    distance: Option<f64>,
}

impl Reading {
    fn point(self) -> Option<Point> {
        let mut p = Point {
            time: self.time,
            lat: self.lat.map(|v| v * DEGREES_PER_SEMICIRCLE),
            lon: self.lon.map(|v| v * DEGREES_PER_SEMICIRCLE),
            elevation: self.elevation,
            heart_rate: self.heart_rate.map(|v| v as u16),
            cadence: self.cadence.map(|v| v as u16),
            power: self.power.map(|v| v as u16),
            temperature: self.temperature.map(|v| v as f32),
            distance: self.distance,
        };
        // Devices write 0/0 or out-of-range positions before the first fix.
        if !matches!(p.position(), Some((lat, lon)) if lat.abs() <= 90.0 && lon.abs() <= 180.0 && (lat, lon) != (0.0, 0.0))
        {
            (p.lat, p.lon) = (None, None);
        }
        let carries_data = p.lat.is_some() || p.distance.is_some() || p.heart_rate.is_some() || p.power.is_some();
        carries_data.then_some(p)
    }
}

/// A value in the profile's units: how the FIT profile scales a raw
/// integer (fitparser's arithmetic, so both decoders agree to the bit).
fn scaled(raw: f64, scale: f64, offset: f64) -> f64 {
    raw / scale - offset
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// The corpus's FIT files, when the corpus is there (tests/corpus.rs requires it under CI).
    fn corpus() -> Vec<(String, Vec<u8>)> {
        let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
        let Some(root) =
            std::env::var_os("TEST_CORPUS_DIR").map(PathBuf::from).into_iter().chain([beside]).find(|p| p.is_dir())
        else {
            return Vec::new();
        };
        let mut files: Vec<_> = std::fs::read_dir(root.join("fit")).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        files.into_iter().map(|p| (p.display().to_string(), std::fs::read(&p).unwrap())).collect()
    }

    /// Whatever the quick decoder decodes, it decodes as fitparser does.
    fn agrees(name: &str, bytes: &[u8]) -> bool {
        let Some(quick) = quick::decode(bytes) else { return false };
        assert_eq!(Ok(&quick), profile::decode(bytes).as_ref(), "{name}");
        true
    }

    #[test]
    fn the_quick_decoder_agrees_with_fitparser_on_the_corpus() {
        let files = corpus();
        let decoded = files.iter().filter(|(name, bytes)| agrees(name, bytes)).count();
        // Those with developer fields or compressed speed and distance, the
        // damaged and those that are no activities are left to fitparser.
        assert!(files.is_empty() || decoded >= 18, "{decoded} of {} decoded quickly", files.len());
    }

    /// Files of the corpus the quick decoder takes, with a few bytes of
    /// their messages changed at random and the checksum made to match:
    /// definitions, types and values no device wrote. Whatever the quick
    /// decoder makes of them, fitparser makes the same.
    #[test]
    fn changed_files_decode_as_fitparser_decodes_them() {
        let mut seed = 5u64;
        let mut next = |below: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % below
        };
        let (mut compared, mut unconvertible) = (0, 0);
        for (name, bytes) in corpus().iter().filter(|(_, b)| b.len() < 100_000 && quick::decode(b).is_some()) {
            let header = usize::from(bytes[0]);
            let data_end = header + u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
            for _ in 0..MUTATIONS {
                let mut changed = bytes.clone();
                for _ in 0..1 + next(3) {
                    changed[header + next(data_end - header)] = next(256) as u8;
                }
                let own_crc = header == 14 && bytes[12..14] != [0, 0];
                let covered = if own_crc { &changed[header..data_end] } else { &changed[..data_end] };
                let crc = quick::tests::crc(covered).to_le_bytes();
                changed[data_end..data_end + 2].copy_from_slice(&crc);
                let Some(quick) = quick::decode(&changed) else { continue };
                match profile::decode(&changed) {
                    // The one difference: a value in a message no track needs that
                    // the profile cannot convert, for which fitparser refuses the file.
                    Err(TrackError::Malformed { detail, .. }) if detail.starts_with("value error") => {
                        unconvertible += 1
                    }
                    other => assert_eq!(Ok(&quick), other.as_ref(), "{name} changed"),
                }
                compared += 1;
            }
        }
        assert!(corpus().is_empty() || compared > 300, "only {compared} compared ({unconvertible} unconvertible)");
    }

    const MUTATIONS: usize = 40;

    /// FIT messages written by hand, framed as a file.
    #[derive(Default)]
    struct Messages(Vec<u8>);

    const UINT8: u8 = 0x02;
    const ENUM: u8 = 0x00;
    const SINT8: u8 = 0x01;
    const UINT16: u8 = 0x84;
    const SINT32: u8 = 0x85;
    const UINT32: u8 = 0x86;

    impl Messages {
        fn define(mut self, local: u8, global: u16, big_endian: bool, fields: &[(u8, u8, u8)]) -> Self {
            let number = if big_endian { global.to_be_bytes() } else { global.to_le_bytes() };
            self.0.extend([0x40 | local, 0, u8::from(big_endian), number[0], number[1], fields.len() as u8]);
            self.0.extend(fields.iter().flat_map(|&(n, size, base)| [n, size, base]));
            self
        }

        /// A data message under `header` (a local type, or a compressed timestamp header).
        fn data(mut self, header: u8, values: &[&[u8]]) -> Self {
            self.0.push(header);
            self.0.extend(values.concat());
            self
        }

        fn file(self, header_size: u8) -> Vec<u8> {
            let mut file = vec![header_size, 0x20];
            file.extend(2132u16.to_le_bytes());
            file.extend((self.0.len() as u32).to_le_bytes());
            file.extend(b".FIT");
            if header_size == 14 {
                file.extend(quick::tests::crc(&file).to_le_bytes());
            }
            file.extend(self.0);
            file.extend(quick::tests::crc(&file).to_le_bytes());
            file
        }
    }

    const RECORD: [(u8, u8, u8); 6] =
        [(253, 4, UINT32), (0, 4, SINT32), (1, 4, SINT32), (2, 2, UINT16), (3, 1, UINT8), (5, 4, UINT32)];

    fn record(time: u32, lat: i32, lon: i32, altitude: u16, hr: u8, cm: u32) -> Vec<u8> {
        [
            &time.to_le_bytes()[..],
            &lat.to_le_bytes(),
            &lon.to_le_bytes(),
            &altitude.to_le_bytes(),
            &[hr],
            &cm.to_le_bytes(),
        ]
        .concat()
    }

    fn activity() -> Messages {
        Messages::default().define(0, 0, false, &[(0, 1, ENUM)]).data(0, &[&[4]])
    }

    fn assert_agrees(file: &[u8]) -> Decoded {
        assert!(agrees("a file made here", file), "the quick decoder declined it");
        quick::decode(file).unwrap()
    }

    #[test]
    fn compressed_timestamps_count_on_from_the_last_full_one() {
        let file = activity()
            .define(1, 20, false, &RECORD)
            // The same record without a timestamp, for compressed headers (local type 2).
            .define(2, 20, false, &RECORD[1..])
            .data(1, &[&record(1_000_000_030, 550_000_000, 170_000_000, 2_600, 120, 0)])
            .data(0x80 | (2 << 5) | 31, &[&record(0, 550_000_100, 170_000_000, 2_605, 121, 300)[4..]])
            // Five bits roll over: 30, 31, then 2 is 34.
            .data(0x80 | (2 << 5) | 2, &[&record(0, 550_000_200, 170_000_000, 0xFFFF, 0xFF, 600)[4..]])
            // An event (global 21) with a timestamp of its own moves the base on.
            .define(3, 21, false, &[(253, 4, UINT32), (0, 1, ENUM)])
            .data(3, &[&1_000_000_100u32.to_le_bytes(), &[0]])
            .data(0x80 | (2 << 5) | 7, &[&record(0, 550_000_300, 170_000_000, 2_610, 122, 900)[4..]])
            .file(14);
        let decoded = assert_agrees(&file);
        let seconds: Vec<i64> = decoded.points.iter().map(|p| p.time.unwrap() / 1000 - 631_065_600).collect();
        assert_eq!(seconds, [1_000_000_030, 1_000_000_031, 1_000_000_034, 1_000_000_103]);
        assert_eq!(decoded.points[2].elevation, None);
    }

    /// A record as a big-endian device writes it: timestamp, position,
    /// enhanced_altitude, power, temperature and cadence.
    const BIG_ENDIAN_RECORD: [(u8, u8, u8); 7] = [
        (253, 4, UINT32),
        (0, 4, SINT32),
        (1, 4, SINT32),
        (78, 4, UINT32),
        (7, 2, UINT16),
        (13, 1, SINT8),
        (4, 1, UINT8),
    ];

    fn big_endian_record(
        time: u32,
        (lat, lon): (i32, i32),
        altitude: u32,
        power: u16,
        temperature: i8,
        cadence: u8,
    ) -> Vec<u8> {
        let position = [lat.to_be_bytes(), lon.to_be_bytes()].concat();
        let readings = [&altitude.to_be_bytes()[..], &power.to_be_bytes(), &temperature.to_be_bytes(), &[cadence]];
        [&time.to_be_bytes()[..], &position, &readings.concat()].concat()
    }

    #[test]
    fn big_endian_messages_invalid_values_and_sessions_read_as_fitparser_reads_them() {
        let session = [(9, 4, UINT32), (7, 4, UINT32), (8, 4, UINT32), (5, 1, ENUM), (6, 1, ENUM)];
        let totals = |metres: u32, elapsed: u32, timer: u32| [metres, elapsed, timer].map(u32::to_le_bytes).concat();
        let file = Messages::default()
            // A file_id without a type, then one with.
            .define(0, 0, false, &[(0, 1, ENUM)])
            .data(0, &[&[0xFF]])
            .data(0, &[&[4]])
            .define(1, 20, true, &BIG_ENDIAN_RECORD)
            .data(1, &[&big_endian_record(1_000_000_000, (0x7FFF_FFFF, 5), 3_000, 250, -3, 90)])
            // 0/0, and every other reading invalid: a record that tells nothing.
            .data(1, &[&big_endian_record(1_000_000_001, (0, 0), 0xFFFF_FFFF, 0xFFFF, 0x7F, 0xFF)])
            .data(1, &[&big_endian_record(0xFFFF_FFFF, (600_000_000, -300_000_000), 2_750, 0, 20, 0)])
            .define(2, 18, false, &session)
            // Running (1), trail (3); then a sport the profile does not name (200), generic.
            .data(2, &[&totals(123_456, 3_600_500, 3_500_000), &[1, 3]])
            .data(2, &[&totals(1_000, 0xFFFF_FFFF, 10_000), &[200, 0]])
            .file(12);
        let decoded = assert_agrees(&file);
        assert_eq!(decoded.points.len(), 2);
        assert_eq!(decoded.sport.as_deref(), Some("running trail"));
        assert_eq!(decoded.totals.distance_m, Some(1_244.56));
    }

    #[test]
    fn chained_files_each_start_afresh() {
        let first = activity().define(1, 20, false, &RECORD).data(1, &[&record(1_000, 1, 1, 2_500, 100, 0)]).file(14);
        // The second file uses local type 1 again, for its own records, and compressed times.
        let second = activity()
            .define(1, 20, false, &RECORD[1..])
            .define(2, 20, false, &RECORD)
            .data(2, &[&record(2_000, 2, 2, 2_500, 100, 0)])
            .data(0x80 | (1 << 5) | 20, &[&record(0, 3, 3, 2_500, 100, 0)[4..]])
            .file(14);
        let chain = [first, second].concat();
        let decoded = assert_agrees(&chain);
        assert_eq!(decoded.points.len(), 3);
    }

    #[test]
    fn what_the_quick_decoder_does_not_take_on_is_left_to_fitparser() {
        let with = |fields: &[(u8, u8, u8)], values: &[&[u8]]| {
            activity().define(1, 20, false, fields).data(1, values).file(14)
        };
        // Compressed speed and distance; a heart rate two bytes wide; two altitudes that differ.
        for file in [
            with(&[(8, 3, 0x0D)], &[&[1, 2, 3]]),
            with(&[(3, 2, UINT8)], &[&[100, 101]]),
            with(&[(2, 2, UINT16), (78, 4, UINT32)], &[&2_600u16.to_le_bytes(), &70_000u32.to_le_bytes()]),
            activity().define(1, 20, false, &RECORD).data(1, &[&record(1, 1, 1, 1, 1, 1)]).file(14)[..40].to_vec(),
        ] {
            assert!(quick::decode(&file).is_none());
        }
        // A file that is not an activity, for fitparser to name.
        let settings = Messages::default().define(0, 0, false, &[(0, 1, ENUM)]).data(0, &[&[2]]).file(14);
        assert!(quick::decode(&settings).is_none());
        assert_eq!(read(&settings), Err(TrackError::NotAnActivity { kind: "settings".into() }));
    }
}
