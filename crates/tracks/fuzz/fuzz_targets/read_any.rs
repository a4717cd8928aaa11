//! Any bytes: recognised, read, analysed and written back as GPX, or
//! refused with an error. A panic, a hang or an overflow is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(track) = tracks::read_bytes(data) {
        let summary = tracks::analyse(&track, &tracks::Options::default());
        assert!(summary.moving_s <= summary.elapsed_s + 1e-6 || summary.elapsed_s == 0.0);
        let mut gpx = Vec::new();
        tracks::write_gpx(&track, &mut gpx).expect("writing to memory");
    }
});
