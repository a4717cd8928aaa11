//! The web client's build output is embedded in the binary. The embedding
//! macro only notices files it already knew, so a new or removed file in
//! `web/dist` (each Vite build names its assets anew) must rebuild the crate.

fn main() {
    println!("cargo:rerun-if-changed=../../web/dist");
}
