//! What the CLI prints: one letter in detail, letters as a table or as JSON lines, and the
//! one-line error message.
//!
//! Letter text is printed only where the user asked for letters (get, list, search); it is
//! never part of an error or of `--verbose` output.

use futures::TryStreamExt;
use futures::stream::BoxStream;
use std::io::{self, Write};

use hubspot_postal::AccessToken;
use hubspot_postal::model::engagement::PostalMail;
use hubspot_postal::model::properties::{ATTACHMENT_IDS, BODY, OWNER_ID, TIMESTAMP};
use hubspot_postal::model::timestamp::Timestamp;

use crate::auth;
use crate::error::CliError;

/// The properties list and search ask for, so that the table has something to show.
pub const LETTER_PROPERTIES: [&str; 4] = [TIMESTAMP, BODY, OWNER_ID, ATTACHMENT_IDS];

/// Characters of letter text shown in a table row.
const BODY_PREVIEW_CHARS: usize = 60;

/// `text` on one line: every run of whitespace (newlines included) becomes one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether printing `c` as is could let text from HubSpot drive the terminal: control
/// characters (an escape sequence can recolour, retitle or clear it) and the bidirectional
/// overrides that make text read differently from what it is.
fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character that could drive the terminal escaped as `\u{…}`, so a
/// letter shows what it holds instead of acting on the screen.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe_for_terminal(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// The message printed for a failed subcommand: `error: …` on one line, without the token.
pub fn error_line(error: &CliError, token: Option<&AccessToken>) -> String {
    auth::redact(&format!("error: {}", one_line(&error.to_string())), token)
}

fn preview(text: &str) -> String {
    let flat = terminal_safe(&one_line(text));
    if flat.chars().count() <= BODY_PREVIEW_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(BODY_PREVIEW_CHARS - 1).collect();
    format!("{cut}…")
}

/// One letter as a JSON object on one line.
pub fn write_json_line<W: Write + ?Sized>(out: &mut W, letter: &PostalMail) -> io::Result<()> {
    serde_json::to_writer(&mut *out, letter).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// A table of letters, written row by row as they arrive (so a long listing streams).
#[derive(Debug, Default)]
pub struct Table {
    rows: usize,
}

impl Table {
    /// An empty table; the header is written with the first row.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes one letter (and the header before the first).
    pub fn row<W: Write + ?Sized>(&mut self, out: &mut W, letter: &PostalMail) -> io::Result<()> {
        if self.rows == 0 {
            writeln!(
                out,
                "{:<20} {:<24} {:<12} {:<5} BODY",
                "ID", "TIMESTAMP", "OWNER", "FILES"
            )?;
        }
        self.rows += 1;
        let p = &letter.properties;
        let files = letter.attachment_ids().map(|a| a.len()).unwrap_or(0);
        writeln!(
            out,
            "{:<20} {:<24} {:<12} {:<5} {}",
            // as_str: the id's Display writes the bare string and ignores padding.
            letter.id.as_str(),
            terminal_safe(p.get(TIMESTAMP).unwrap_or("-")),
            terminal_safe(p.get(OWNER_ID).filter(|s| !s.is_empty()).unwrap_or("-")),
            files,
            preview(p.get(BODY).unwrap_or(""))
        )
    }

    /// Closes the table: says so when it was empty, and counts the rows otherwise.
    pub fn finish<W: Write + ?Sized>(&self, out: &mut W, what: &str) -> io::Result<()> {
        match self.rows {
            0 => writeln!(out, "no {what}"),
            1 => writeln!(out, "1 letter"),
            n => writeln!(out, "{n} letters"),
        }
    }
}

/// One letter in detail, associations included.
pub fn write_detail<W: Write + ?Sized>(out: &mut W, letter: &PostalMail) -> io::Result<()> {
    let p = &letter.properties;
    let or_dash = |v: Option<&str>| terminal_safe(v.filter(|s| !s.is_empty()).unwrap_or("-"));
    writeln!(out, "id:          {}", letter.id)?;
    writeln!(out, "timestamp:   {}", or_dash(p.get(TIMESTAMP)))?;
    writeln!(out, "owner:       {}", or_dash(p.get(OWNER_ID)))?;
    writeln!(out, "attachments: {}", or_dash(p.get(ATTACHMENT_IDS)))?;
    let or_unknown = |t: Option<_>| t.map_or_else(|| "-".to_owned(), |t: Timestamp| t.to_string());
    writeln!(out, "created:     {}", or_unknown(letter.created_at))?;
    writeln!(out, "updated:     {}", or_unknown(letter.updated_at))?;
    match letter.archived_at {
        Some(at) => writeln!(out, "archived:    yes, at {at}")?,
        None if letter.archived => writeln!(out, "archived:    yes")?,
        None => writeln!(out, "archived:    no")?,
    }
    for (object_type, ids) in letter.associations.iter().flatten() {
        // HubSpot lists a record once per association type (labelled and unlabelled), so the
        // same id can come several times.
        let mut list: Vec<String> = Vec::new();
        for r in &ids.results {
            let id = r.id.to_string();
            if !list.contains(&id) {
                list.push(id);
            }
        }
        if !list.is_empty() {
            let label = terminal_safe(&format!("{object_type}:"));
            writeln!(out, "{label:<12} {}", list.join(", "))?;
        }
    }
    match p.get(BODY).filter(|s| !s.is_empty()) {
        Some(body) => {
            writeln!(out, "body:")?;
            for line in body.lines() {
                writeln!(out, "  {}", terminal_safe(line))?;
            }
            Ok(())
        }
        None => writeln!(out, "body:        -"),
    }
}

/// Prints letters from a stream as it is polled: JSON lines, or a table ending with a count of
/// `what`. Stops after `max` letters when given.
pub async fn print_letters(
    mut letters: BoxStream<'static, hubspot_postal::Result<PostalMail>>,
    json: bool,
    max: Option<usize>,
    what: &str,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mut table = Table::new();
    let mut printed = 0usize;
    while max.is_none_or(|max| printed < max) {
        let Some(letter) = letters.try_next().await? else {
            break;
        };
        printed += 1;
        if json {
            write_json_line(out, &letter)
        } else {
            table.row(out, &letter)
        }
        .map_err(CliError::stdout)?;
    }
    if !json {
        table.finish(out, what).map_err(CliError::stdout)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_print_on_one_line_without_the_token() {
        let token = AccessToken::new("pat-secret-1");
        let e = CliError::Usage("bad\ntoken pat-secret-1\n  here".into());
        assert_eq!(
            error_line(&e, Some(&token)),
            "error: bad token <token> here"
        );
    }

    #[test]
    fn escape_sequences_and_bidi_overrides_are_shown_not_obeyed() {
        assert_eq!(
            terminal_safe("red \u{1b}[31mtext\u{7}"),
            "red \\u{1b}[31mtext\\u{7}"
        );
        assert_eq!(terminal_safe("abc\u{202E}fed"), "abc\\u{202e}fed");
        assert_eq!(terminal_safe("plain, ünïcode ✓"), "plain, ünïcode ✓");
        assert!(!preview("a\u{1b}]0;title\u{7}b").contains('\u{1b}'));
    }

    #[test]
    fn previews_are_short_and_flat() {
        let long = "word ".repeat(40);
        let p = preview(&long);
        assert!(p.chars().count() <= BODY_PREVIEW_CHARS);
        assert!(p.ends_with('…'));
        assert_eq!(preview("a\nb"), "a b");
    }
}
