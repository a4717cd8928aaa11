//! A record's fields as an offline device sends and receives them (sync).
//! Each context that takes changes from devices names the fields a device
//! may change; these read and write them the same way for all of them.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Fields a device sent that do not read as the record's type.
#[derive(Debug)]
pub struct Unreadable {
    /// The first of the known fields the error is about; `fields` when none.
    pub field: &'static str,
    pub detail: String,
}

/// A device's fields read as the regular routes read their bodies (the same
/// type), so that both check the same things and say the same when
/// something is wrong.
pub fn read<T: DeserializeOwned>(fields: &Map<String, Value>, known: &[&'static str]) -> Result<T, Unreadable> {
    serde_json::from_value(Value::Object(fields.clone())).map_err(|e| {
        let detail = e.to_string();
        let field = known.iter().find(|f| detail.contains(&format!("`{f}`"))).copied().unwrap_or("fields");
        Unreadable { field, detail }
    })
}

/// The known fields as the record has them now.
pub fn of(record: &Value, known: &[&str]) -> Map<String, Value> {
    known.iter().filter_map(|f| record.get(*f).map(|v| (f.to_string(), v.clone()))).collect()
}
