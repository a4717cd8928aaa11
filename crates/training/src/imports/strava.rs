//! `activities.csv` of a Strava export: the name, type and description of
//! each activity, and which file in the archive holds its track.

use std::collections::HashMap;
use std::io::Read;

const MAX_CSV_BYTES: u64 = 32 << 20;

/// What Strava knew of one activity file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Activity {
    pub name: Option<String>,
    /// Strava's type: Run, Ride, Swim, Hike, …
    pub kind: Option<String>,
    pub description: Option<String>,
    /// The shoes or bike it was done with, by the name the person gave them.
    pub gear: Option<String>,
}

/// The activities by their file's path in the archive (`activities/1.gpx.gz`).
/// Columns are found by name, as Strava adds columns over the years; a
/// name that appears twice (Strava repeats some) is taken the first time.
pub fn read(source: impl Read) -> Result<HashMap<String, Activity>, String> {
    // A real one is a few megabytes; a packed archive could hide a huge one.
    let mut source = source.take(MAX_CSV_BYTES + 1);
    let mut text = Vec::new();
    source.read_to_end(&mut text).map_err(|e| format!("activities.csv cannot be read: {e}"))?;
    if text.len() as u64 > MAX_CSV_BYTES {
        return Err(format!("activities.csv is larger than {} MiB", MAX_CSV_BYTES >> 20));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(&text[..]);
    let headers = reader.headers().map_err(|e| format!("activities.csv cannot be read: {e}"))?.clone();
    let column = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let file = column("Filename").ok_or("activities.csv has no Filename column")?;
    let (name, kind, description) = (column("Activity Name"), column("Activity Type"), column("Activity Description"));
    let gear = column("Activity Gear");
    let mut activities = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("activities.csv is damaged: {e}"))?;
        let text =
            |i: Option<usize>| i.and_then(|i| record.get(i)).map(str::trim).filter(|t| !t.is_empty()).map(String::from);
        let Some(path) = text(Some(file)) else { continue };
        let activity =
            Activity { name: text(name), kind: text(kind), description: text(description), gear: text(gear) };
        activities.insert(normalise(&path), activity);
    }
    Ok(activities)
}

/// A path inside an archive, as compared: forward slashes, no leading `./`.
pub fn normalise(path: &str) -> String {
    path.replace('\\', "/").trim_start_matches("./").trim_start_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_name_and_rows_without_a_file_skipped() {
        let csv = "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Filename,Distance,Activity Gear\n\
                   1,\"Jan 1, 2024, 7:00:00 AM\",Morning Run,Run,\"Cold, \"\"icy\"\"\",1800,5.0,activities/1.gpx.gz,5000,Blue Pegasus\n\
                   2,\"Jan 2, 2024, 7:00:00 AM\",Gym,Weight Training,,3600,0,,0,\n";
        let read = read(csv.as_bytes()).unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(
            read["activities/1.gpx.gz"],
            Activity {
                name: Some("Morning Run".into()),
                kind: Some("Run".into()),
                description: Some("Cold, \"icy\"".into()),
                gear: Some("Blue Pegasus".into()),
            }
        );
    }

    #[test]
    fn a_csv_without_filenames_is_refused() {
        assert!(read("Activity ID,Activity Name\n1,x\n".as_bytes()).unwrap_err().contains("Filename"));
    }
}
