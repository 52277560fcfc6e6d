//! Reading an import file, CSV with a header row or JSON lines, into rows of named text
//! fields, each with its row and line number and its original text for the report.
//!
//! A row that cannot be read (wrong number of fields, not UTF-8, not a JSON object) becomes
//! an unreadable row, reported like an invalid one; only a failure to read the file itself
//! stops the import.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::Value;

use crate::args::ImportFormat;
use crate::error::CliError;

/// Every column an import file may have.
pub const COLUMNS: [&str; 9] = [
    "timestamp",
    "body",
    "owner",
    "attachments",
    "contact_ids",
    "company_ids",
    "deal_ids",
    "ticket_ids",
    "external_id",
];

/// Where a row sits in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based data row (the CSV header is not a row; blank JSON lines are not rows).
    pub row: usize,
    /// 1-based line of the file where the row starts.
    pub line: u64,
}

/// One row as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// Where it is.
    pub at: Position,
    /// Column name to value; absent columns are absent, empty cells are empty strings.
    pub fields: BTreeMap<String, String>,
    /// The row as it appears in the file (a CSV record, or the JSON line).
    pub original: String,
}

/// A row that could not be read, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// Where it is.
    pub at: Position,
    /// Why it could not be read.
    pub reason: String,
    /// As much of the original as could be recovered.
    pub original: String,
}

/// The format named by `--format`, else the file's extension.
pub fn format_of(path: &Path, explicit: Option<ImportFormat>) -> Result<ImportFormat, CliError> {
    if let Some(f) = explicit {
        return Ok(f);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv") => Ok(ImportFormat::Csv),
        Some("jsonl" | "ndjson") => Ok(ImportFormat::Jsonl),
        _ => Err(CliError::Usage(format!(
            "cannot tell the format of {} from its extension: use .csv, .jsonl or .ndjson, or pass --format",
            path.display()
        ))),
    }
}

/// Reads every row of `path`.
pub fn read(path: &Path, format: ImportFormat) -> Result<Vec<Result<RawRow, BadRow>>, CliError> {
    let file = File::open(path).map_err(|e| CliError::io("reading", path, e))?;
    let empty = file
        .metadata()
        .map_err(|e| CliError::io("reading", path, e))?
        .len()
        == 0;
    if empty {
        return Err(CliError::Usage(format!(
            "{} is empty: nothing to import",
            path.display()
        )));
    }
    let rows = match format {
        ImportFormat::Csv => read_csv(path, file),
        ImportFormat::Jsonl => read_jsonl(path, file),
    }?;
    if rows.is_empty() {
        return Err(CliError::Usage(format!(
            "{} has no rows: nothing to import",
            path.display()
        )));
    }
    Ok(rows)
}

fn check_columns(path: &Path, names: &[String]) -> Result<(), CliError> {
    if let Some(unknown) = names.iter().find(|n| !COLUMNS.contains(&n.as_str())) {
        return Err(CliError::Usage(format!(
            "{}: unknown column {unknown:?}; the columns are {}",
            path.display(),
            COLUMNS.join(", ")
        )));
    }
    if !names.iter().any(|n| n == "timestamp") {
        return Err(CliError::Usage(format!(
            "{}: the header has no timestamp column",
            path.display()
        )));
    }
    Ok(())
}

/// A CSV record as CSV text, for the report.
fn record_text(record: &csv::StringRecord) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record(record);
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).trim_end().to_owned()
}

fn read_csv(path: &Path, file: File) -> Result<Vec<Result<RawRow, BadRow>>, CliError> {
    // Flexible, so that a short or long row is reported as that row's problem instead of
    // ending the import.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(BufReader::new(file));
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| CliError::Usage(format!("{}: cannot read the header: {e}", path.display())))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    check_columns(path, &headers)?;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    loop {
        let line = reader.position().line() + 1;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                row += 1;
                let at = Position {
                    row,
                    line: record.position().map_or(line, |p| p.line()),
                };
                let original = record_text(&record);
                if record.len() != headers.len() {
                    rows.push(Err(BadRow {
                        at,
                        reason: format!(
                            "the row has {} fields; the header has {}",
                            record.len(),
                            headers.len()
                        ),
                        original,
                    }));
                    continue;
                }
                let fields = headers
                    .iter()
                    .cloned()
                    .zip(record.iter().map(str::to_owned))
                    .collect();
                rows.push(Ok(RawRow {
                    at,
                    fields,
                    original,
                }));
            }
            Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                row += 1;
                // The error knows where its record starts; the reader's position before the
                // read is already past the previous record's line end.
                let line = match e.kind() {
                    csv::ErrorKind::Utf8 { pos: Some(p), .. } => p.line(),
                    _ => line,
                };
                rows.push(Err(BadRow {
                    at: Position { row, line },
                    reason: format!("the row is not UTF-8 text: {e}"),
                    original: String::new(),
                }));
            }
            Err(e) => {
                return Err(CliError::Usage(format!(
                    "{}: cannot read line {line}: {e}",
                    path.display()
                )));
            }
        }
    }
    Ok(rows)
}

/// What JSON a field may hold. A letter's text must be a string: `"body": 42` is far more
/// likely a mistake than a letter that reads "42".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A string (or null).
    Text,
    /// A string or a number: ids, epoch milliseconds.
    TextOrNumber,
    /// A string, a number, or a list of them: attachments and record ids.
    List,
}

fn shape_of(field: &str) -> Shape {
    match field {
        "body" => Shape::Text,
        "timestamp" | "owner" | "external_id" => Shape::TextOrNumber,
        _ => Shape::List,
    }
}

/// A JSON value as the text a CSV cell would hold: arrays join with `;` (the separator of
/// attachments and id lists), null is empty. A value of a shape the field does not take is
/// an error naming what it takes.
fn cell(value: &Value, shape: Shape) -> Result<String, String> {
    let wanted = match shape {
        Shape::Text => "a string",
        Shape::TextOrNumber => "a string or a number",
        Shape::List => "a string, a number or a list of them",
    };
    match (value, shape) {
        (Value::Number(_), Shape::Text) | (Value::Array(_), Shape::Text | Shape::TextOrNumber) => {
            return Err(format!("expected {wanted}, found {}", json_kind(value)));
        }
        _ => {}
    }
    match value {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Array(items) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                _ => Err("a list may hold only strings and numbers".to_owned()),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join(";")),
        Value::Bool(_) | Value::Object(_) => {
            Err(format!("expected {wanted}, found {}", json_kind(value)))
        }
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn jsonl_row(text: &str) -> Result<BTreeMap<String, String>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("expected a JSON object".to_owned());
    };
    map.iter()
        .map(|(k, v)| {
            if !COLUMNS.contains(&k.as_str()) {
                return Err(format!(
                    "unknown field {k:?}; the fields are {}",
                    COLUMNS.join(", ")
                ));
            }
            cell(v, shape_of(k))
                .map(|c| (k.clone(), c))
                .map_err(|e| format!("{k}: {e}"))
        })
        .collect()
}

fn read_jsonl(path: &Path, file: File) -> Result<Vec<Result<RawRow, BadRow>>, CliError> {
    let mut rows = Vec::new();
    let mut row = 0usize;
    let mut reader = BufReader::new(file);
    let mut buf = Vec::new();
    let mut line: u64 = 0;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| CliError::io("reading", path, e))?;
        if n == 0 {
            break;
        }
        line += 1;
        let Ok(text) = std::str::from_utf8(&buf) else {
            row += 1;
            rows.push(Err(BadRow {
                at: Position { row, line },
                reason: "the line is not UTF-8 text".to_owned(),
                original: String::from_utf8_lossy(&buf).trim_end().to_owned(),
            }));
            continue;
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        row += 1;
        let at = Position { row, line };
        rows.push(match jsonl_row(text) {
            Ok(fields) => Ok(RawRow {
                at,
                fields,
                original: text.to_owned(),
            }),
            Err(reason) => Err(BadRow {
                at,
                reason,
                original: text.to_owned(),
            }),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &[u8]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("hp-cli-reader-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(name);
        let _ = std::fs::write(&path, text);
        path
    }

    #[test]
    fn csv_rows_keep_position_and_original() -> Result<(), CliError> {
        let path = write(
            "a.csv",
            b"timestamp,body,contact_ids\n2021-11-12,\"Hello, world\",1;2\n2021-11-13,short\n",
        );
        let rows = read(&path, ImportFormat::Csv)?;
        assert_eq!(rows.len(), 2);
        let Ok(first) = &rows[0] else {
            panic!("first row must read");
        };
        assert_eq!(first.at, Position { row: 1, line: 2 });
        assert_eq!(first.fields["body"], "Hello, world");
        assert_eq!(first.original, "2021-11-12,\"Hello, world\",1;2");
        assert!(matches!(&rows[1], Err(b) if b.reason.contains("2 fields")));
        Ok(())
    }

    #[test]
    fn csv_unknown_column_stops_before_anything() {
        let path = write("b.csv", b"timestamp,bdy\n2021-11-12,x\n");
        let err = read(&path, ImportFormat::Csv).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("\"bdy\"")));
    }

    #[test]
    fn jsonl_lists_and_numbers_become_cells() -> Result<(), CliError> {
        let path = write(
            "c.jsonl",
            b"{\"timestamp\": 1636675200000, \"contact_ids\": [1, \"2\"]}\n\n{\"timestamp\": true}\nnot json\n",
        );
        let rows = read(&path, ImportFormat::Jsonl)?;
        assert_eq!(rows.len(), 3);
        let Ok(first) = &rows[0] else {
            panic!("first row must read");
        };
        assert_eq!(first.fields["contact_ids"], "1;2");
        assert_eq!(first.fields["timestamp"], "1636675200000");
        assert!(matches!(&rows[1], Err(b) if b.at == Position { row: 2, line: 3 }));
        assert!(matches!(&rows[2], Err(b) if b.reason.starts_with("not JSON")));
        Ok(())
    }

    #[test]
    fn jsonl_fields_of_the_wrong_type_are_errors() -> Result<(), CliError> {
        let path = write(
            "t.jsonl",
            b"{\"timestamp\": 1, \"body\": 42}\n{\"timestamp\": [1]}\n{\"timestamp\": 1, \"owner\": 7, \"body\": \"ok\"}\n",
        );
        let rows = read(&path, ImportFormat::Jsonl)?;
        assert!(
            matches!(&rows[0], Err(b) if b.reason == "body: expected a string, found a number"),
            "{:?}",
            rows[0]
        );
        assert!(
            matches!(&rows[1], Err(b) if b.reason.starts_with("timestamp: expected a string or a number"))
        );
        assert!(matches!(&rows[2], Ok(r) if r.fields["owner"] == "7"));
        Ok(())
    }

    #[test]
    fn empty_files_and_files_without_rows_say_so() {
        let empty = write("e.csv", b"");
        let err = read(&empty, ImportFormat::Csv).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.ends_with("is empty: nothing to import")));
        let header_only = write("h.csv", b"timestamp,body\n");
        let err = read(&header_only, ImportFormat::Csv)
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.ends_with("has no rows: nothing to import")));
        let blank = write("b.jsonl", b"\n\n");
        let err = read(&blank, ImportFormat::Jsonl)
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.ends_with("has no rows: nothing to import")));
    }

    #[test]
    fn a_row_that_is_not_utf8_is_reported_at_its_own_line() -> Result<(), CliError> {
        let path = write(
            "u.csv",
            b"timestamp,body\n2021-11-12,fine\n2021-11-12,bad \xff\n2021-11-12,fine\n",
        );
        let rows = read(&path, ImportFormat::Csv)?;
        assert!(
            matches!(&rows[1], Err(b) if b.at == Position { row: 2, line: 3 }),
            "{:?}",
            rows[1]
        );
        assert!(matches!(&rows[2], Ok(r) if r.at == Position { row: 3, line: 4 }));
        Ok(())
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(
            format_of(Path::new("x.NDJSON"), None).ok(),
            Some(ImportFormat::Jsonl)
        );
        assert!(format_of(Path::new("x.txt"), None).is_err());
    }
}
