//! Reading the activity files of a folder or a ZIP archive (a Strava export
//! or any ZIP of GPX / TCX / FIT files, gzipped or not) on a blocking
//! thread, handing them one at a time to the async side: memory holds one
//! file, not the archive.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use tokio::sync::mpsc;

use super::strava::{self, Activity};

/// What the reader hands over, in order: the count first, then each file.
pub enum Found {
    /// How many activity files there are.
    Total(usize),
    File {
        name: String,
        bytes: Vec<u8>,
        activity: Activity,
    },
    /// A file that could not be taken out of the archive (damaged, too large).
    Unreadable {
        name: String,
        error: String,
    },
    /// The archive itself cannot be read; nothing follows.
    Broken(String),
}

const ACTIVITY_EXTENSIONS: [&str; 6] = [".gpx", ".tcx", ".fit", ".gpx.gz", ".tcx.gz", ".fit.gz"];

fn is_activity_file(name: &str) -> bool {
    let lower = name.to_lowercase();
    !lower.rsplit('/').next().unwrap_or_default().starts_with('.')
        && ACTIVITY_EXTENSIONS.iter().any(|e| lower.ends_with(e))
}

/// Starts reading `path` (a folder or a ZIP file); files over `max_file` bytes are reported, not read.
pub fn read(path: PathBuf, max_file: u64) -> mpsc::Receiver<Found> {
    let (tx, rx) = mpsc::channel(2);
    tokio::task::spawn_blocking(move || {
        let result = if path.is_dir() { read_folder(&path, max_file, &tx) } else { read_zip(&path, max_file, &tx) };
        if let Err(error) = result {
            let _ = tx.blocking_send(Found::Broken(error));
        }
    });
    rx
}

type Sender = mpsc::Sender<Found>;

fn read_zip(path: &Path, max_file: u64, tx: &Sender) -> Result<(), String> {
    let file = File::open(path).map_err(|e| format!("{} cannot be opened: {e}", path.display()))?;
    let mut archive =
        zip::ZipArchive::new(file).map_err(|e| format!("this is not a ZIP archive that can be read: {e}"))?;
    let names: Vec<String> = archive.file_names().map(String::from).collect();
    let activities = match names.iter().find(|n| strava::normalise(n).ends_with("activities.csv")) {
        Some(csv) => {
            let entry = archive.by_name(csv).map_err(|e| format!("{csv} cannot be read: {e}"))?;
            strava::read(entry)?
        }
        None => HashMap::new(),
    };
    let mut files: Vec<String> = names.into_iter().filter(|n| is_activity_file(n)).collect();
    files.sort();
    if tx.blocking_send(Found::Total(files.len())).is_err() {
        return Ok(());
    }
    for name in files {
        let found = match archive.by_name(&name) {
            Ok(entry) => take(&name, entry.size(), entry, max_file, &activities),
            Err(e) => {
                Found::Unreadable { name: name.clone(), error: format!("cannot be taken out of the archive: {e}") }
            }
        };
        if tx.blocking_send(found).is_err() {
            break;
        }
    }
    Ok(())
}

fn read_folder(root: &Path, max_file: u64, tx: &Sender) -> Result<(), String> {
    let activities = match File::open(root.join("activities.csv")) {
        Ok(csv) => strava::read(csv)?,
        Err(_) => HashMap::new(),
    };
    let mut files = Vec::new();
    walk(root, &mut files).map_err(|e| format!("{} cannot be read: {e}", root.display()))?;
    let mut files: Vec<(String, PathBuf)> = files
        .into_iter()
        .filter_map(|p| {
            let name = strava::normalise(&p.strip_prefix(root).ok()?.to_string_lossy());
            is_activity_file(&name).then_some((name, p))
        })
        .collect();
    files.sort();
    if tx.blocking_send(Found::Total(files.len())).is_err() {
        return Ok(());
    }
    for (name, path) in files {
        let found = match File::open(&path).and_then(|f| Ok((f.metadata()?.len(), f))) {
            Ok((size, file)) => take(&name, size, file, max_file, &activities),
            Err(e) => Found::Unreadable { name: name.clone(), error: e.to_string() },
        };
        if tx.blocking_send(found).is_err() {
            break;
        }
    }
    Ok(())
}

fn walk(dir: &Path, into: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&entry.path(), into)?;
        } else if kind.is_file() {
            into.push(entry.path());
        }
    }
    Ok(())
}

/// Reads one file, refusing it before reading when it is too large; the
/// read stops at the limit too, as a ZIP entry may understate its size.
fn take(name: &str, size: u64, source: impl Read, max_file: u64, activities: &HashMap<String, Activity>) -> Found {
    let too_large = || Found::Unreadable { name: name.to_string(), error: format!("is larger than {max_file} bytes") };
    if size > max_file {
        return too_large();
    }
    let mut bytes = Vec::with_capacity(size as usize);
    match source.take(max_file + 1).read_to_end(&mut bytes) {
        Ok(_) if bytes.len() as u64 > max_file => too_large(),
        Ok(_) => Found::File {
            name: name.to_string(),
            bytes,
            activity: activities.get(&strava::normalise(name)).cloned().unwrap_or_default(),
        },
        Err(e) => Found::Unreadable { name: name.to_string(), error: format!("cannot be read: {e}") },
    }
}
