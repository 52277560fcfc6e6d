//! Reading an import file, CSV with a header row or JSON lines, into rows of named text
//! fields, each with its row and line number and its original text for the report: one row
//! at a time, so that a file of any size is read in constant memory.
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

/// A row's fields: column name (one of [`COLUMNS`]) to value.
pub type Fields = BTreeMap<&'static str, String>;

/// The name of [`COLUMNS`] that `name` is.
fn column(name: &str) -> Option<&'static str> {
    COLUMNS.iter().find(|c| **c == name).copied()
}

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
    pub fields: Fields,
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

/// One row as read: the row, or why it cannot be read; `Err` only when the file itself
/// cannot be read further.
pub type Item = Result<Result<RawRow, BadRow>, CliError>;

/// The error of a file that has not a single row.
pub fn no_rows(path: &Path) -> CliError {
    CliError::Usage(format!("{} has no rows: nothing to import", path.display()))
}

/// The rows of an open import file, in order.
pub struct Rows {
    path: std::path::PathBuf,
    row: usize,
    /// Whether rows carry their original text (a pass that reports nothing needs none).
    originals: bool,
    source: Source,
}

enum Source {
    Csv {
        reader: csv::Reader<BufReader<File>>,
        headers: Vec<&'static str>,
        record: csv::StringRecord,
    },
    Jsonl {
        reader: BufReader<File>,
        buf: Vec<u8>,
        line: u64,
    },
}

/// Opens `path` and checks what can be checked before the first row: that it is not empty,
/// and (CSV) its header.
pub fn open(path: &Path, format: ImportFormat) -> Result<Rows, CliError> {
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
    let source = match format {
        ImportFormat::Csv => {
            // Flexible, so that a short or long row is reported as that row's problem instead
            // of ending the import.
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .flexible(true)
                .from_reader(BufReader::new(file));
            let names: Vec<String> = reader
                .headers()
                .map_err(|e| {
                    CliError::Usage(format!("{}: cannot read the header: {e}", path.display()))
                })?
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect();
            check_columns(path, &names)?;
            let headers = names.iter().filter_map(|n| column(n)).collect();
            Source::Csv {
                reader,
                headers,
                record: csv::StringRecord::new(),
            }
        }
        ImportFormat::Jsonl => Source::Jsonl {
            reader: BufReader::new(file),
            buf: Vec::new(),
            line: 0,
        },
    };
    Ok(Rows {
        path: path.to_owned(),
        row: 0,
        originals: true,
        source,
    })
}

impl Rows {
    /// Rows without their original text (left empty), for a pass that reports nothing.
    pub fn without_originals(mut self) -> Self {
        self.originals = false;
        self
    }
}

impl Iterator for Rows {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        match &mut self.source {
            Source::Csv {
                reader,
                headers,
                record,
            } => next_csv(
                &self.path,
                &mut self.row,
                reader,
                headers,
                record,
                self.originals,
            ),
            Source::Jsonl { reader, buf, line } => {
                next_jsonl(&self.path, &mut self.row, reader, buf, line)
            }
        }
    }
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

/// A CSV record as CSV text, for the report: fields joined by commas, quoted (quotes
/// doubled) when they hold a comma, a quote or a line break.
fn record_text(record: &csv::StringRecord) -> String {
    let mut text = String::with_capacity(record.as_slice().len() + record.len() + 2);
    for (i, field) in record.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            text.push('"');
            text.push_str(&field.replace('"', "\"\""));
            text.push('"');
        } else {
            text.push_str(field);
        }
    }
    text
}

fn next_csv(
    path: &Path,
    row: &mut usize,
    reader: &mut csv::Reader<BufReader<File>>,
    headers: &[&'static str],
    record: &mut csv::StringRecord,
    originals: bool,
) -> Option<Item> {
    let line = reader.position().line() + 1;
    match reader.read_record(record) {
        Ok(false) => None,
        Ok(true) => {
            *row += 1;
            let at = Position {
                row: *row,
                line: record.position().map_or(line, |p| p.line()),
            };
            let original = if originals {
                record_text(record)
            } else {
                String::new()
            };
            if record.len() != headers.len() {
                return Some(Ok(Err(BadRow {
                    at,
                    reason: format!(
                        "the row has {} fields; the header has {}",
                        record.len(),
                        headers.len()
                    ),
                    original,
                })));
            }
            let fields = headers
                .iter()
                .copied()
                .zip(record.iter().map(str::to_owned))
                .collect();
            Some(Ok(Ok(RawRow {
                at,
                fields,
                original,
            })))
        }
        Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
            *row += 1;
            // The error knows where its record starts; the reader's position before the
            // read is already past the previous record's line end.
            let line = match e.kind() {
                csv::ErrorKind::Utf8 { pos: Some(p), .. } => p.line(),
                _ => line,
            };
            Some(Ok(Err(BadRow {
                at: Position { row: *row, line },
                reason: format!("the row is not UTF-8 text: {e}"),
                original: String::new(),
            })))
        }
        Err(e) => Some(Err(CliError::Usage(format!(
            "{}: cannot read line {line}: {e}",
            path.display()
        )))),
    }
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

fn jsonl_row(text: &str) -> Result<Fields, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("expected a JSON object".to_owned());
    };
    map.iter()
        .map(|(k, v)| {
            let Some(name) = column(k) else {
                return Err(format!(
                    "unknown field {k:?}; the fields are {}",
                    COLUMNS.join(", ")
                ));
            };
            cell(v, shape_of(k))
                .map(|c| (name, c))
                .map_err(|e| format!("{k}: {e}"))
        })
        .collect()
}

fn next_jsonl(
    path: &Path,
    row: &mut usize,
    reader: &mut BufReader<File>,
    buf: &mut Vec<u8>,
    line: &mut u64,
) -> Option<Item> {
    loop {
        buf.clear();
        let n = match reader.read_until(b'\n', buf) {
            Ok(n) => n,
            Err(e) => return Some(Err(CliError::io("reading", path, e))),
        };
        if n == 0 {
            return None;
        }
        *line += 1;
        let Ok(text) = std::str::from_utf8(buf) else {
            *row += 1;
            return Some(Ok(Err(BadRow {
                at: Position {
                    row: *row,
                    line: *line,
                },
                reason: "the line is not UTF-8 text".to_owned(),
                original: String::from_utf8_lossy(buf).trim_end().to_owned(),
            })));
        };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        *row += 1;
        let at = Position {
            row: *row,
            line: *line,
        };
        return Some(Ok(match jsonl_row(text) {
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
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row, refusing a file without one, as an import does before sending.
    fn read(path: &Path, format: ImportFormat) -> Result<Vec<Result<RawRow, BadRow>>, CliError> {
        let rows = open(path, format)?.collect::<Result<Vec<_>, _>>()?;
        if rows.is_empty() {
            return Err(no_rows(path));
        }
        Ok(rows)
    }

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
        let quoted = csv::StringRecord::from(vec!["a \"b\"", "c\nd", ""]);
        assert_eq!(record_text(&quoted), "\"a \"\"b\"\"\",\"c\nd\",");
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
