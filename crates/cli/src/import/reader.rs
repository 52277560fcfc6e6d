//! Reading an import file, CSV with a header row or JSON lines, into rows of named text
//! fields, each with its row and line number and its original text for the report: one row
//! at a time, so that a file of any size is read in constant memory. A row is lent, in the
//! reader's own buffer, until the next is read: nothing is allocated to read a row.
//!
//! A row that cannot be read (wrong number of fields, not UTF-8, not a JSON object) becomes
//! an unreadable row, reported like an invalid one; only a failure to read the file itself
//! stops the import.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::Value;

use super::fields::{COLUMNS, Fields, Slots, column};
use crate::args::ImportFormat;
use crate::error::CliError;

/// Where a row sits in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based data row (the CSV header is not a row; blank JSON lines are not rows).
    pub row: usize,
    /// 1-based line of the file where the row starts.
    pub line: u64,
}

/// One row as read, lent by the reader until the next row is read.
#[derive(Debug, Clone, Copy)]
pub struct RawRow<'a> {
    /// Where it is.
    pub at: Position,
    /// Its fields.
    pub fields: Fields<'a>,
    text: Text<'a>,
}

/// Where a row's original text is.
#[derive(Debug, Clone, Copy)]
enum Text<'a> {
    /// A CSV record: its text is written back from its fields, and only when it is wanted.
    Record(&'a csv::StringRecord),
    /// A JSON line, as it is.
    Line(&'a str),
}

impl<'a> RawRow<'a> {
    /// A row whose original text is `line`.
    pub fn new(at: Position, fields: Fields<'a>, line: &'a str) -> Self {
        Self {
            at,
            fields,
            text: Text::Line(line),
        }
    }

    /// The row as it appears in the file (a CSV record, or the JSON line), for the report.
    pub fn original(&self) -> String {
        match self.text {
            Text::Record(record) => record_text(record),
            Text::Line(line) => line.to_owned(),
        }
    }
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
pub type Item<'a> = Result<Result<RawRow<'a>, BadRow>, CliError>;

/// The error of a file that has not a single row.
pub fn no_rows(path: &Path) -> CliError {
    CliError::Usage(format!("{} has no rows: nothing to import", path.display()))
}

/// The rows of an open import file, in order.
pub struct Rows {
    path: std::path::PathBuf,
    row: usize,
    source: Source,
}

enum Source {
    Csv {
        reader: csv::Reader<BufReader<File>>,
        /// Fields in the header.
        width: usize,
        /// Which field holds each column, from the header.
        slots: Slots,
        record: csv::StringRecord,
    },
    Jsonl {
        reader: BufReader<File>,
        buf: Vec<u8>,
        line: u64,
        /// The current line's values, as CSV cells, and which holds each column.
        values: csv::StringRecord,
        slots: Slots,
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
            // A column named twice: its last field holds it.
            let mut slots = Slots::default();
            for (field, name) in names.iter().enumerate() {
                if let Some(c) = column(name) {
                    slots[c] = Some(field);
                }
            }
            Source::Csv {
                reader,
                width: names.len(),
                slots,
                record: csv::StringRecord::new(),
            }
        }
        ImportFormat::Jsonl => Source::Jsonl {
            reader: BufReader::new(file),
            buf: Vec::new(),
            line: 0,
            values: csv::StringRecord::new(),
            slots: Slots::default(),
        },
    };
    Ok(Rows {
        path: path.to_owned(),
        row: 0,
        source,
    })
}

impl Rows {
    /// The next row, lent until the next call; `None` at the end of the file.
    pub fn next_row(&mut self) -> Option<Item<'_>> {
        match &mut self.source {
            Source::Csv {
                reader,
                width,
                slots,
                record,
            } => next_csv(&self.path, &mut self.row, reader, *width, slots, record),
            Source::Jsonl {
                reader,
                buf,
                line,
                values,
                slots,
            } => next_jsonl(&self.path, &mut self.row, reader, buf, line, values, slots),
        }
    }

    /// Reads to the end and counts the rows, building none of them: every row that
    /// [`Rows::next_row`] would give, readable or not, is counted, and a file that cannot be
    /// read to its end is the same error.
    pub fn count_rows(mut self) -> Result<usize, CliError> {
        match &mut self.source {
            Source::Csv { reader, .. } => {
                // Bytes: a record that is not UTF-8 is still a row (an unreadable one).
                let mut record = csv::ByteRecord::new();
                loop {
                    let line = reader.position().line() + 1;
                    match reader.read_byte_record(&mut record) {
                        Ok(false) => return Ok(self.row),
                        Ok(true) => self.row += 1,
                        Err(e) => {
                            return Err(CliError::Usage(format!(
                                "{}: cannot read line {line}: {e}",
                                self.path.display()
                            )));
                        }
                    }
                }
            }
            Source::Jsonl { reader, buf, .. } => loop {
                buf.clear();
                match reader.read_until(b'\n', buf) {
                    Ok(0) => return Ok(self.row),
                    // As `next_jsonl`: a blank line is no row; a line that is not UTF-8 is one.
                    Ok(_) => {
                        let blank = std::str::from_utf8(buf).is_ok_and(|t| t.trim().is_empty());
                        if !blank {
                            self.row += 1;
                        }
                    }
                    Err(e) => return Err(CliError::io("reading", &self.path, e)),
                }
            },
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

fn next_csv<'a>(
    path: &Path,
    row: &mut usize,
    reader: &mut csv::Reader<BufReader<File>>,
    width: usize,
    slots: &'a Slots,
    record: &'a mut csv::StringRecord,
) -> Option<Item<'a>> {
    let line = reader.position().line() + 1;
    match reader.read_record(record) {
        Ok(false) => None,
        Ok(true) => {
            *row += 1;
            let record: &'a csv::StringRecord = record;
            let at = Position {
                row: *row,
                line: record.position().map_or(line, |p| p.line()),
            };
            if record.len() != width {
                return Some(Ok(Err(BadRow {
                    at,
                    reason: format!(
                        "the row has {} fields; the header has {width}",
                        record.len(),
                    ),
                    original: record_text(record),
                })));
            }
            Some(Ok(Ok(RawRow {
                at,
                fields: Fields::new(record, slots),
                text: Text::Record(record),
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

/// Reads a JSON line's object into `values`, as CSV cells, and `slots`.
fn jsonl_row(text: &str, values: &mut csv::StringRecord, slots: &mut Slots) -> Result<(), String> {
    values.clear();
    *slots = Slots::default();
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("expected a JSON object".to_owned());
    };
    for (k, v) in &map {
        let Some(c) = column(k) else {
            return Err(format!(
                "unknown field {k:?}; the fields are {}",
                COLUMNS.join(", ")
            ));
        };
        let cell = cell(v, shape_of(k)).map_err(|e| format!("{k}: {e}"))?;
        slots[c] = Some(values.len());
        values.push_field(&cell);
    }
    Ok(())
}

fn next_jsonl<'a>(
    path: &Path,
    row: &mut usize,
    reader: &mut BufReader<File>,
    buf: &'a mut Vec<u8>,
    line: &mut u64,
    values: &'a mut csv::StringRecord,
    slots: &'a mut Slots,
) -> Option<Item<'a>> {
    // The next line that is not blank (a line that is not UTF-8 is not blank).
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
        if !std::str::from_utf8(buf).is_ok_and(|t| t.trim().is_empty()) {
            break;
        }
    }
    *row += 1;
    let at = Position {
        row: *row,
        line: *line,
    };
    let buf: &'a Vec<u8> = buf;
    let Ok(text) = std::str::from_utf8(buf) else {
        return Some(Ok(Err(BadRow {
            at,
            reason: "the line is not UTF-8 text".to_owned(),
            original: String::from_utf8_lossy(buf).trim_end().to_owned(),
        })));
    };
    let text = text.trim();
    Some(Ok(match jsonl_row(text, values, slots) {
        Ok(()) => Ok(RawRow::new(at, Fields::new(values, slots), text)),
        Err(reason) => Err(BadRow {
            at,
            reason,
            original: text.to_owned(),
        }),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row as read, kept by the test.
    #[derive(Debug)]
    struct Read {
        at: Position,
        fields: std::collections::BTreeMap<&'static str, String>,
        original: String,
    }

    /// Every row, refusing a file without one, as an import does before sending; and the
    /// count of the first pass of a new import, which must be the same.
    fn read(path: &Path, format: ImportFormat) -> Result<Vec<Result<Read, BadRow>>, CliError> {
        let mut rows = open(path, format)?;
        let mut all = Vec::new();
        while let Some(item) = rows.next_row() {
            all.push(item?.map(|r| {
                Read {
                    at: r.at,
                    fields: r
                        .fields
                        .in_name_order()
                        .map(|(k, v)| (k, v.to_owned()))
                        .collect(),
                    original: r.original(),
                }
            }));
        }
        assert_eq!(open(path, format)?.count_rows()?, all.len(), "counted rows");
        if all.is_empty() {
            return Err(no_rows(path));
        }
        Ok(all)
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
