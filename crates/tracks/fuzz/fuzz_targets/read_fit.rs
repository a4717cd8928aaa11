//! Bytes read as FIT whatever they look like, so the fuzzer spends its
//! time inside the FIT decoder rather than in format recognition.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(track) = tracks::read(tracks::Format::Fit, data) {
        let _ = tracks::analyse(&track, &tracks::Options::default());
    }
});
