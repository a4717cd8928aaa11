//! Every file of the shared corpus (real files from the test suites of
//! gpxpy, python-fitparse and python-tcxparser) becomes a workout or a
//! specific error; where a FIT file carries the device's own totals, ours
//! agree with them.

use std::path::PathBuf;

use tracks::{analyse, read_bytes, Options, TrackError};

/// The corpus folder: `TEST_CORPUS_DIR`, or `../shared/corpus` beside the
/// repository. Under CI a missing corpus fails the run.
fn corpus() -> Option<PathBuf> {
    let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let found = std::env::var_os("TEST_CORPUS_DIR").map(PathBuf::from).into_iter().chain([beside]).find(|p| p.is_dir());
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the track corpus is required under CI; set TEST_CORPUS_DIR"
        );
        eprintln!("skipped: no track corpus (set TEST_CORPUS_DIR)");
    }
    found
}

fn files() -> Vec<(String, Vec<u8>)> {
    let Some(root) = corpus() else { return Vec::new() };
    let mut out = Vec::new();
    for folder in ["gpx", "tcx", "fit"] {
        let mut entries: Vec<_> = std::fs::read_dir(root.join(folder)).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            let name = format!("{folder}/{}", path.file_name().unwrap().to_string_lossy());
            out.push((name, std::fs::read(&path).unwrap()));
        }
    }
    assert!(out.len() >= 70, "the corpus has {} files", out.len());
    out
}

/// The files that are not activities or are damaged, and how each must be refused.
fn expected_error(name: &str) -> Option<&'static str> {
    Some(match name {
        "fit/MonitoringFile.fit"
        | "fit/Settings.fit"
        | "fit/Settings2.fit"
        | "fit/WeightScaleMultiUser.fit"
        | "fit/WeightScaleSingleUser.fit"
        | "fit/WorkoutCustomTargetValues.fit"
        | "fit/WorkoutIndividualSteps.fit"
        | "fit/WorkoutRepeatGreaterThanStep.fit"
        | "fit/WorkoutRepeatSteps.fit"
        | "fit/nametest.FIT" => "not an activity",
        "fit/activity-filecrc.fit" | "fit/activity-activity-filecrc.fit" => "checksum",
        "fit/activity-settings-corruptheader.fit" => "damaged",
        // The app wrote a header promising 19 bytes more than the file holds:
        // by its header, the file is cut short.
        "fit/strava-android-app-201.10-b1218918.fit" => "truncated",
        "fit/activity-settings-nodata.fit" | "fit/activity-unexpected-eof.fit" | "fit/nick.fit" => "truncated",
        "gpx/custom_schema_locations.gpx"
        | "gpx/default_schema_locations.gpx"
        | "gpx/gpx1.1_with_extensions.gpx"
        | "gpx/gpx1.1_with_extensions_without_namespaces.gpx"
        | "gpx/gpx_with_garmin_extension.gpx"
        | "gpx/unicode.gpx"
        | "gpx/unicode2.gpx"
        | "gpx/unicode_with_bom.gpx"
        | "gpx/unicode_with_bom_noencoding.gpx" => "no points",
        // Read, but without times (planned routes, or files that dropped
        // them): no training can be made of them.
        "gpx/gpx-with-node-with-comments.gpx"
        | "gpx/gpx1.0_with_all_fields.gpx"
        | "gpx/gpx1.1_with_all_fields.gpx"
        | "gpx/route.gpx"
        | "gpx/track-with-extremes.gpx"
        | "gpx/track-with-small-floats.gpx"
        | "gpx/track_with_dilution_errors.gpx"
        | "fit/DeveloperData.fit" => "no times",
        _ => return None,
    })
}

fn kind(error: &TrackError) -> &'static str {
    match error {
        TrackError::NotAnActivity { .. } => "not an activity",
        TrackError::Malformed { detail, .. } if detail.contains("checksum") => "checksum",
        TrackError::Malformed { .. } => "damaged",
        TrackError::Truncated { .. } => "truncated",
        TrackError::NoPoints => "no points",
        TrackError::NoTimes => "no times",
        _ => "other",
    }
}

#[test]
fn every_file_is_a_workout_or_a_specific_error() {
    for (name, bytes) in files().iter().filter(|(n, _)| !n.ends_with(".txt") && !n.ends_with(".md")) {
        // What a training is made of: a file read, and recorded (with times).
        let recorded = read_bytes(bytes).and_then(|track| track.check_recorded().map(|()| track));
        match (recorded, expected_error(name)) {
            (Ok(track), None) => {
                let s = analyse(&track, &Options::default());
                assert!(s.points > 0, "{name}");
                assert!(s.distance_m.is_finite() && s.distance_m >= 0.0, "{name}: {}", s.distance_m);
                assert!(s.timed_distance_m <= s.distance_m + 1e-6, "{name}");
                assert!(s.moving_s <= s.elapsed_s + 1e-6, "{name}: moving {} > elapsed {}", s.moving_s, s.elapsed_s);
                assert!(s.shape.iter().flatten().count() <= 300, "{name}");
                for split in &s.splits_km {
                    assert!(split.seconds.is_none_or(|t| t >= 0.0) && split.distance_m > 0.0, "{name}: {split:?}");
                }
                // The splits cover the whole distance, but a last bit under 10 m.
                let covered: f64 = s.splits_km.iter().map(|split| split.distance_m).sum();
                assert!(s.distance_m - covered < 10.0 && covered <= s.distance_m + 1e-6, "{name}: {covered}");
                // The average is of the stretches the chart shows, so never above all of them.
                let fastest = s.series.iter().flatten().filter_map(|sample| sample.speed_mps).fold(0.0, f64::max);
                assert!(
                    s.average_speed_mps.is_none_or(|v| v <= fastest),
                    "{name}: {:?} > {fastest}",
                    s.average_speed_mps
                );
            }
            (Err(e), Some(expected)) => {
                assert_eq!(kind(&e), expected, "{name}: {e}");
                assert!(!e.to_string().is_empty());
            }
            (Ok(_), Some(expected)) => panic!("{name} was read, but should be refused as {expected}"),
            (Err(e), None) => panic!("{name} was refused: {e}"),
        }
    }
}

/// One file of the corpus, if there is a corpus.
fn corpus_file(name: &str) -> Option<Vec<u8>> {
    Some(std::fs::read(corpus()?.join(name)).unwrap())
}

/// The lines of a shape, as a map draws them: broken at each `None`.
fn lines(shape: &[Option<[f64; 2]>]) -> Vec<Vec<[f64; 2]>> {
    shape.split(Option::is_none).map(|line| line.iter().flatten().copied().collect()).collect()
}

/// Five timed points at its end, the rest without times: it once became
/// 4.58 km at 289 km/h, while its one split said 3.4 km/h.
#[test]
fn a_file_with_few_times_is_measured_by_its_timed_stretches() {
    let Some(bytes) = corpus_file("gpx/cerknicko-without-times.gpx") else { return };
    let track = read_bytes(&bytes).unwrap();
    assert_eq!(track.check_recorded(), Ok(()));
    let s = analyse(&track, &Options::default());
    assert_eq!((s.distance_m.round(), s.timed_distance_m.round()), (4577.0, 53.0));
    assert_eq!((s.elapsed_s, s.moving_s), (57.0, 57.0));
    let kmh = s.average_speed_mps.unwrap() * 3.6;
    assert!((3.3..3.4).contains(&kmh), "{kmh} km/h");
    // Five splits for the 4.58 km; the timed 53 m lie in the last, mostly untimed one.
    assert_eq!(s.splits_km.len(), 5);
    assert!(s.splits_km.iter().all(|split| split.seconds.is_none()), "{:?}", s.splits_km);
    assert!(s.best_efforts.is_empty());
}

/// An untimed segment, then two timed ones with 12.7 km and 20 m between
/// them: it was drawn with lines across the gaps, its average speed was
/// above anything on its chart, and its splits covered 7 of its 14.9 km.
#[test]
fn a_track_of_several_segments_is_drawn_and_counted_segment_by_segment() {
    let Some(bytes) = corpus_file("gpx/korita-zbevnica.gpx") else { return };
    let track = read_bytes(&bytes).unwrap();
    let s = analyse(&track, &Options::default());

    let lines = lines(&s.shape);
    assert_eq!(lines.len(), track.segments.len());
    for (line, segment) in lines.iter().zip(&track.segments) {
        let (first, last) = (segment.first().unwrap(), segment.last().unwrap());
        assert_eq!(line.first(), Some(&[first.lat.unwrap(), first.lon.unwrap()]));
        assert_eq!(line.last(), Some(&[last.lat.unwrap(), last.lon.unwrap()]));
    }
    let breaks = s.series.iter().filter(|sample| sample.is_none()).count();
    assert_eq!(breaks, track.segments.len() - 1);

    let fastest = s.series.iter().flatten().filter_map(|sample| sample.speed_mps).fold(0.0, f64::max);
    let average = s.average_speed_mps.unwrap();
    assert!(average <= fastest && average <= s.max_speed_mps.unwrap(), "{average} against {fastest}");
    assert_eq!((s.timed_distance_m / 100.0).round(), 63.0);
    assert_eq!((average * 3.6 * 10.0).round(), 32.0);

    assert_eq!(s.splits_km.len(), 15);
    assert_eq!(s.splits_km.iter().map(|split| split.distance_m).sum::<f64>().round(), s.distance_m.round());
    // The first 8.6 km have no times: nine splits without, six with.
    assert_eq!(s.splits_km.iter().filter(|split| split.seconds.is_none()).count(), 9);
    assert!(s.splits_km[9..].iter().all(|split| split.seconds.is_some()));
}

/// A planned route: it once became a 6.69 km training of 0:00.
#[test]
fn a_planned_route_is_no_training() {
    let Some(bytes) = corpus_file("gpx/route.gpx") else { return };
    let route = read_bytes(&bytes).unwrap();
    let refused = route.check_recorded().unwrap_err();
    assert_eq!(refused, TrackError::NoTimes);
    assert!(refused.to_string().contains("planned route"), "{refused}");
    // What it does tell is still there, for routes to come.
    let s = analyse(&route, &Options::default());
    assert_eq!(s.distance_m.round(), 6691.0);
    assert!(s.average_speed_mps.is_none() && s.splits_km.iter().all(|split| split.seconds.is_none()));
}

/// Files whose session goes on past the last record, so the device's
/// totals hold a little more than the records do; ours must be the smaller.
const SESSION_OUTLASTS_RECORDS: [&str; 3] = [
    // The timer started nine seconds before the first record.
    "fit/elemnt-bolt-no-application-id-inside-developer-data-id.fit",
    // A pool swim: lengths are counted after the last record.
    "fit/event_timestamp.fit",
    // 7 m ridden after the last record.
    "fit/garmin-edge-820-bike.fit",
];

#[test]
fn distance_and_duration_agree_with_the_devices_own_totals() {
    let files = files();
    let mut compared = 0;
    for (name, bytes) in files.iter().filter(|(n, _)| n.starts_with("fit/")) {
        let Ok(track) = read_bytes(bytes) else { continue };
        let Some(totals) = track.device_totals else { continue };
        let s = analyse(&track, &Options::default());
        for (what, ours, device, slack) in [
            ("distance", s.distance_m, totals.distance_m, 0.0),
            // Record times have whole seconds.
            ("duration", s.elapsed_s, totals.elapsed_s, 2.0),
        ] {
            let Some(device) = device.filter(|d| *d > 0.0) else { continue };
            let off = (ours - device).abs();
            if SESSION_OUTLASTS_RECORDS.contains(&name.as_str()) {
                assert!(
                    ours <= device + slack && off <= device * 0.07,
                    "{name}: {what} {ours} against the device's {device}"
                );
            } else {
                assert!(off <= device * 0.01 + slack, "{name}: {what} {ours} against the device's {device}");
            }
            compared += 1;
        }
    }
    if !files.is_empty() {
        assert!(compared >= 30, "only {compared} totals compared");
    }
}

#[test]
fn a_file_cut_anywhere_is_refused_and_never_panics() {
    for (name, bytes) in files() {
        let chain_joints = fit_file_ends(&bytes);
        for cut in (1..10).map(|k| bytes.len() * k / 10) {
            // No panic, no hang, and never a shorter workout: an XML file
            // cut short leaves its elements open, a FIT file its checksum
            // out. (Cut where one FIT file of a chain ends, what is left is
            // a whole file.)
            if read_bytes(&bytes[..cut]).is_ok() && !chain_joints.contains(&cut) {
                panic!("{name} cut at {cut} was read");
            }
        }
    }
}

/// Where each message of a FIT file ends, as fitparser reads it, and
/// whether it is the checksum closing one file of a chain.
fn fit_message_ends(bytes: &[u8]) -> Vec<(usize, bool)> {
    let mut processor = fitparser::de::FitStreamProcessor::new();
    let (mut rest, mut ends) = (bytes, Vec::new());
    while let Ok((remaining, object)) = processor.deserialize_next(rest) {
        let checksum = matches!(object, fitparser::de::FitObject::Crc(_));
        if checksum {
            processor.reset();
        }
        rest = remaining;
        ends.push((bytes.len() - rest.len(), checksum));
        if rest.is_empty() {
            break;
        }
    }
    ends
}

fn fit_file_ends(bytes: &[u8]) -> Vec<usize> {
    fit_message_ends(bytes).into_iter().filter(|(_, checksum)| *checksum).map(|(end, _)| end).collect()
}

#[test]
fn a_fit_file_cut_between_two_messages_is_refused_as_cut_short() {
    let mut cuts = 0;
    for (name, bytes) in files().iter().filter(|(n, _)| n.to_lowercase().ends_with(".fit")) {
        if read_bytes(bytes).is_err() {
            continue;
        }
        let ends: Vec<usize> = fit_message_ends(bytes)
            .into_iter()
            .filter(|(_, closes_a_file)| !closes_a_file)
            .map(|(end, _)| end)
            .collect();
        // About 60 boundaries a file, spread over it, and always the last
        // few: the cuts that lose only the final messages and the checksum.
        let step = (ends.len() / 60).max(1);
        let last = bytes.len() - 1;
        for cut in ends.iter().copied().step_by(step).chain(ends.iter().copied().rev().take(4)).chain([last]) {
            match read_bytes(&bytes[..cut]) {
                Err(TrackError::Truncated { .. }) => cuts += 1,
                other => panic!("{name} cut at {cut} of {}: expected a file cut short, got {other:?}", bytes.len()),
            }
        }
    }
    if !files().is_empty() {
        assert!(cuts > 1_000, "only {cuts} cuts");
    }
}

/// What every file of the corpus reads and analyses to, to the last bit,
/// as recorded in `corpus_fingerprints.txt`: a faster reader, or a change
/// to the analysis, must give the same numbers or say why in that file.
/// `UPDATE_FINGERPRINTS=1` writes the file anew from this build.
#[test]
fn every_file_reads_and_analyses_to_its_recorded_fingerprint() {
    let files = files();
    if files.is_empty() {
        return;
    }
    let lines: String = files.iter().map(|(name, bytes)| format!("{name} {}\n", fingerprint(bytes))).collect();
    let recorded = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_fingerprints.txt");
    if std::env::var_os("UPDATE_FINGERPRINTS").is_some() {
        std::fs::write(&recorded, &lines).unwrap();
    }
    let expected = std::fs::read_to_string(&recorded).unwrap();
    for (ours, theirs) in lines.lines().zip(expected.lines()) {
        assert_eq!(ours, theirs, "a file of the corpus reads or analyses differently");
    }
    assert_eq!(lines.lines().count(), expected.lines().count(), "the corpus has other files than recorded");
}

/// The track and its summary (or the kind of error), as a 64-bit FNV-1a
/// hash of their debug form: floats print there as the shortest text that
/// reads back to the same bits, so any change to any number shows.
fn fingerprint(bytes: &[u8]) -> String {
    let described = match read_bytes(bytes) {
        Ok(track) => {
            let summary = analyse(&track, &Options::default());
            format!("{track:?}{summary:?}")
        }
        Err(e) => format!("{e:?}"),
    };
    let hash =
        described.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    match read_bytes(bytes) {
        Ok(track) => format!("{} points {hash:016x}", track.point_count()),
        Err(e) => format!("refused ({}) {hash:016x}", kind(&e)),
    }
}
