//! Reads track files and prints what they tell: `cargo run -p tracks --example analyse -- FILE…`.

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                println!("{path}: cannot read: {e}");
                continue;
            }
        };
        match tracks::read_bytes(&bytes) {
            Ok(track) => {
                let s = tracks::analyse(&track, &tracks::Options::default());
                let device = track
                    .device_totals
                    .map(|t| format!(" device {:?}/{:?}s", t.distance_m, t.elapsed_s))
                    .unwrap_or_default();
                println!(
                    "{path}: {} pts, {:.1} m, {:.0}/{:.0} s, gain {:?}, hr {:?}, sport {:?}{device}",
                    s.points,
                    s.distance_m,
                    s.elapsed_s,
                    s.moving_s,
                    s.elevation.map(|e| e.gain_m.round()),
                    s.heart_rate.map(|h| h.average.round()),
                    track.sport
                );
            }
            Err(e) => println!("{path}: ERROR {e}"),
        }
    }
}
