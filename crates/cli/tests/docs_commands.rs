//! The shell commands of README.md and docs/*.md, run as a reader pastes them, so the docs
//! stay pasteable: every `hubspot-postal` command of a ```` ```sh ```` block goes through
//! `sh -c` (quoting and `;` behave exactly as in a terminal) against an emulator holding the
//! records the docs name (`docs_fixtures.json`), and a command that fails is reported with its
//! document and line.
//!
//! The rules, each written out below rather than applied silently:
//! - **what is a command**: each line of a `sh`/`bash`/`shell` block, `\` continuations
//!   joined, `# comments` dropped ([`doc_commands`]);
//! - **what is skipped**: other programs only when [`OTHER_PROGRAMS`] names them with a
//!   reason, and the subcommands of [`LOCAL_SUBCOMMANDS`]; a program neither the CLI nor
//!   listed fails the test, so a new kind of command is a decision, not a silent skip;
//! - **where it runs**: a fresh emulator per document, named by `HUBSPOT_ACCESS_TOKEN` and
//!   `HUBSPOT_BASE_URL`, the CLI's directory first on `PATH`, nothing else inherited
//!   ([`Shell`]); the emulator accepts any token, since commands may bring their own
//!   (`HUBSPOT_ACCESS_TOKEN=pat-local …`); a doc's own `http://127.0.0.1:PORT` names the
//!   emulator that a skipped serving command started, so this test's emulator stands in for
//!   it ([`LOOPBACK`]);
//! - **which word is the subcommand or the file**: the CLI's own `--help` says which options
//!   take a value ([`ValueOptions`]), so that an option's value is never taken for either;
//! - **in what order**: document order, except `delete`, which runs after the document's
//!   other commands, since the docs' later examples still use the letter it deletes;
//! - **what it reads**: an import file comes from the document's own example of that
//!   format where it shows one, else from [`SMALL_CSV`] / [`SMALL_JSONL`]; a `--body-file`
//!   gets [`SMALL_BODY`];
//! - **what counts as success**: exit 0, or the code a comment on the command names
//!   (`# exits 3`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The records, labels and letters the docs' commands name: contacts 501 to 503, company 601,
/// postal mail 25727582880 and, in the recycling bin, 25727582879, label type 20101.
const FIXTURES: &str = include_str!("docs_fixtures.json");

/// The program the docs' commands are about.
const CLI: &str = "hubspot-postal";

/// Programs other than the CLI that the docs run, and why this test does not.
const OTHER_PROGRAMS: &[(&str, &str)] = &[
    (
        "cargo",
        "builds, tests, installs or runs this repository's code, which its own tests cover \
         (the examples' stories: examples/tests/story.rs), not the CLI's",
    ),
    (
        "export",
        "sets HUBSPOT_ACCESS_TOKEN / HUBSPOT_BASE_URL, which the test sets to its own emulator",
    ),
    (
        "hubspot-postal-emulator",
        "serves an emulator until Ctrl-C; the test starts its own",
    ),
    (
        "curl",
        "calls the emulator's HTTP API directly, not through the CLI this test checks",
    ),
];

/// `hubspot-postal` subcommands that do not talk to HubSpot, and why this test skips them.
const LOCAL_SUBCOMMANDS: &[(&str, &str)] = &[
    (
        "emulator",
        "serves an emulator until Ctrl-C; the test starts its own",
    ),
    (
        "completions",
        "prints a completion script; talks to no HubSpot",
    ),
];

/// The subcommand that runs after the rest of its document (see the module docs).
const RUNS_LAST: &str = "delete";

/// How the docs address the emulator they start; replaced by this test's emulator.
const LOOPBACK: &str = "http://127.0.0.1:";

/// The import file the test writes when the document shows none of that format.
const SMALL_CSV: &str = "timestamp,body\n2021-11-12T10:00:00Z,Letter from the mailroom\n";
/// Likewise, JSON lines.
const SMALL_JSONL: &str =
    "{\"timestamp\": \"2021-11-12T10:00:00Z\", \"body\": \"Letter from the mailroom\"}\n";
/// The letter text of a `--body-file`.
const SMALL_BODY: &str = "Signed contract received by post.\n";

/// How long one command may take before it is killed and reported.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// One command of a shell block.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DocCommand {
    /// The document, relative to the repository (`docs/cli.md`).
    doc: String,
    /// The 1-based line where the command starts.
    line: usize,
    /// The command with continuations joined and comments dropped.
    text: String,
    /// Its comments, which may name the exit code.
    comment: String,
}

impl DocCommand {
    fn at(&self) -> String {
        format!("{}:{}", self.doc, self.line)
    }

    /// 0, or the code a comment names (`# exits 3`, `# exit code 1`).
    fn expected_exit(&self) -> i32 {
        let words: Vec<&str> = self
            .comment
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        (0..words.len())
            .find_map(|i| match &words[i..] {
                ["exits", n, ..] | ["exit", "code" | "status", n, ..] => n.parse().ok(),
                _ => None,
            })
            .unwrap_or(0)
    }
}

/// What the test does with a command.
#[derive(Debug, PartialEq, Eq)]
enum Decision {
    /// Run it; it reads these files (relative to the working directory).
    Run {
        subcommand: Option<String>,
        inputs: Vec<Input>,
    },
    /// Skipped, for this reason.
    Skip(&'static str),
    /// A program no rule covers.
    Unknown(String),
}

/// A file a command reads, and what to put in it.
#[derive(Debug, PartialEq, Eq)]
enum Input {
    Import(String),
    Body(String),
}

/// The CLI's options that take a value, read from its own `--help` so that they are defined
/// once: the global ones (which may come before the subcommand) and `import`'s.
struct ValueOptions {
    global: Vec<String>,
    import: Vec<String>,
}

impl ValueOptions {
    fn from_cli() -> Self {
        let out = Command::new(env!("CARGO_BIN_EXE_hubspot-postal"))
            .args(["import", "--help"])
            .output()
            .expect("hubspot-postal import --help runs");
        let help = String::from_utf8(out.stdout).expect("utf-8 help");
        let (own, global) = help
            .split_once("Global options:")
            .expect("import --help has a Global options section");
        let options = Self {
            global: options_with_value(global),
            import: options_with_value(own),
        };
        assert!(
            options.global.iter().any(|o| o == "--base-url"),
            "the help format changed: no --base-url <URL> among {:?}",
            options.global
        );
        options
    }
}

/// `--name` of every `--name <VALUE>` in a clap help text.
fn options_with_value(help: &str) -> Vec<String> {
    help.lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace().skip_while(|w| !w.starts_with("--"));
            let name = words.next()?;
            words.next()?.starts_with('<').then(|| name.to_owned())
        })
        .collect()
}

/// Splits off a shell comment: a `#` that starts a word outside quotes.
fn split_comment(line: &str) -> (&str, &str) {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut word_start = true;
    for (i, c) in line.char_indices() {
        let starts_word = std::mem::take(&mut word_start);
        if std::mem::take(&mut escaped) {
            continue;
        }
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (Some('"') | None, '\\') => escaped = true,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') if starts_word => return (&line[..i], &line[i + 1..]),
            (None, c) => word_start = c.is_whitespace() || ";&|()".contains(c),
        }
    }
    (line, "")
}

/// The words of the first simple command (up to an unquoted `;`, `&`, `|`, `<` or `>`), with
/// quotes removed, as the shell would pass them.
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') | (None, '\\') => {
                if let Some(next) = chars.next() {
                    word.get_or_insert_default().push(next);
                }
            }
            (Some(_), c) => word.get_or_insert_default().push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, c) if c.is_whitespace() => out.extend(word.take()),
            (None, ';' | '&' | '|' | '<' | '>') => break,
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    out.extend(word);
    out
}

/// Whether `word` is a `NAME=value` assignment in front of a command.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// The operands of `args` (not options, not an option's value).
fn operands<'a>(args: &'a [String], with_value: &[String]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut skip_next = false;
    for arg in args {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        if arg.starts_with('-') {
            skip_next = !arg.contains('=') && with_value.iter().any(|o| o == arg);
        } else {
            out.push(arg.as_str());
        }
    }
    out
}

/// The value of option `name` (`--name VALUE` or `--name=VALUE`).
fn option_value(args: &[String], name: &str) -> Option<String> {
    args.iter().enumerate().find_map(|(i, a)| {
        if a == name {
            args.get(i + 1).cloned()
        } else {
            a.strip_prefix(name)?.strip_prefix('=').map(str::to_owned)
        }
    })
}

/// Decides what to do with `command` by the rules of the module docs.
fn decide(command: &DocCommand, options: &ValueOptions) -> Decision {
    let words = words(&command.text);
    let mut words = words.iter().skip_while(|w| is_assignment(w));
    let Some(program) = words.next() else {
        return Decision::Unknown(command.text.clone());
    };
    let args: Vec<String> = words.cloned().collect();
    if program != CLI {
        return match OTHER_PROGRAMS.iter().find(|(p, _)| p == program) {
            Some((_, reason)) => Decision::Skip(reason),
            None => Decision::Unknown(program.clone()),
        };
    }
    let subcommand = operands(&args, &options.global)
        .first()
        .map(|s| (*s).to_owned());
    if let Some((_, reason)) = LOCAL_SUBCOMMANDS
        .iter()
        .find(|(s, _)| Some(*s) == subcommand.as_deref())
    {
        return Decision::Skip(reason);
    }
    let mut inputs = Vec::new();
    if subcommand.as_deref() == Some("import") {
        let with_value: Vec<String> = options
            .global
            .iter()
            .chain(&options.import)
            .cloned()
            .collect();
        if let Some(file) = operands(&args, &with_value).get(1) {
            inputs.push(Input::Import((*file).to_owned()));
        }
    }
    inputs.extend(option_value(&args, "--body-file").map(Input::Body));
    Decision::Run { subcommand, inputs }
}

/// A fenced code block of a Markdown text.
struct Block<'a> {
    /// What follows the opening fence (`sh`, `rust,no_run`, …).
    info: &'a str,
    /// The 1-based line of its first body line.
    first_line: usize,
    lines: Vec<&'a str>,
}

/// The fenced code blocks of `text` (fences may be indented, as in lists).
fn code_blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut open: Option<Block<'_>> = None;
    for (index, line) in text.lines().enumerate() {
        match (line.trim_start().strip_prefix("```"), open.take()) {
            (Some(_), Some(block)) => blocks.push(block),
            (Some(info), None) => {
                open = Some(Block {
                    info: info.trim(),
                    first_line: index + 2,
                    lines: Vec::new(),
                });
            }
            (None, Some(mut block)) => {
                block.lines.push(line);
                open = Some(block);
            }
            (None, None) => {}
        }
    }
    blocks
}

/// Every command of the shell blocks of `text` (a document named `doc`).
fn doc_commands(doc: &str, text: &str) -> Vec<DocCommand> {
    let mut commands = Vec::new();
    for block in code_blocks(text) {
        if !matches!(block.info, "sh" | "bash" | "shell") {
            continue;
        }
        let mut pending: Option<DocCommand> = None;
        for (offset, line) in block.lines.iter().enumerate() {
            let (code, comment) = split_comment(line);
            let command = pending.get_or_insert_with(|| DocCommand {
                doc: doc.to_owned(),
                line: block.first_line + offset,
                text: String::new(),
                comment: String::new(),
            });
            command.comment.push_str(comment);
            match code.trim_end().strip_suffix('\\') {
                Some(continued) => command.text.push_str(continued),
                None => {
                    command.text.push_str(code);
                    commands.extend(pending.take().filter(|c| !c.text.trim().is_empty()));
                }
            }
        }
    }
    commands
}

/// README.md and docs/*.md, as (path relative to the repository, text), in a fixed order.
fn documents() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ reads")
        .map(|e| e.expect("docs/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    docs.insert(0, root.join("README.md"));
    docs.into_iter()
        .map(|p| {
            let name = p
                .strip_prefix(&root)
                .expect("under the repository")
                .display()
                .to_string();
            (name, common::read(&p))
        })
        .collect()
}

/// The document's own example of an import file named `file`: its first ```` ```csv ```` block
/// with a `timestamp` column, or ```` ```json ```` block of objects with a `timestamp`, by
/// the file's extension.
fn example_import(doc: &str, file: &str) -> Option<String> {
    let (fence, is_example): (&str, fn(&str) -> bool) = if file.ends_with(".csv") {
        ("csv", |block| {
            block
                .lines()
                .next()
                .is_some_and(|header| header.split(',').any(|c| c == "timestamp"))
        })
    } else if file.ends_with(".jsonl") || file.ends_with(".ndjson") {
        ("json", |block| {
            block.lines().filter(|l| !l.trim().is_empty()).all(|l| {
                serde_json::from_str::<serde_json::Value>(l)
                    .is_ok_and(|v| v.get("timestamp").is_some())
            })
        })
    } else {
        return None;
    };
    code_blocks(doc).into_iter().find_map(|block| {
        let body: String = block.lines.iter().map(|l| format!("{l}\n")).collect();
        (block.info == fence && is_example(&body)).then_some(body)
    })
}

/// Writes the files `inputs` name into `dir`, from `doc`'s own examples where it has them;
/// returns where each came from, for the test's output.
fn write_inputs(dir: &Path, doc: &str, inputs: &[Input]) -> Vec<String> {
    let mut written = Vec::new();
    for input in inputs {
        let (file, content, from) = match input {
            Input::Import(file) => match example_import(doc, file) {
                Some(example) => (file, example, "the document's example"),
                None if file.ends_with(".csv") => (file, SMALL_CSV.to_owned(), "SMALL_CSV"),
                None => (file, SMALL_JSONL.to_owned(), "SMALL_JSONL"),
            },
            Input::Body(file) => (file, SMALL_BODY.to_owned(), "SMALL_BODY"),
        };
        let path = dir.join(file);
        if !path.exists() {
            std::fs::write(&path, content).expect("input file writes");
            written.push(format!("{file} from {from}"));
        }
    }
    written
}

/// `text` with the doc's loopback URLs (`http://127.0.0.1:PORT`) replaced by `base_url`.
fn on_emulator(text: &str, base_url: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(LOOPBACK) {
        out.push_str(&rest[..at]);
        out.push_str(base_url);
        rest = rest[at + LOOPBACK.len()..].trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

/// A shell as a reader has one after `export`ing the two variables: in `dir`, the CLI first on
/// `PATH`, nothing else inherited.
struct Shell<'a> {
    dir: &'a Path,
    /// Where the output of the command being run goes.
    logs: &'a Path,
    base_url: &'a str,
    /// How long a command may take before it is killed (with what it started) and reported.
    timeout: Duration,
}

/// How one command ended.
struct Ran {
    /// None: killed at the timeout.
    status: Option<ExitStatus>,
    stdout: String,
    stderr: String,
}

impl Shell<'_> {
    /// Runs `text` with `sh -c`.
    fn run(&self, text: &str) -> Ran {
        let cli_dir = Path::new(env!("CARGO_BIN_EXE_hubspot-postal"))
            .parent()
            .expect("the binary has a directory");
        let path = std::env::join_paths(std::iter::once(cli_dir.to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ))
        .expect("PATH joins");
        let (out_path, err_path) = (self.logs.join("stdout"), self.logs.join("stderr"));
        // Output to files, not pipes: a command that leaves a process behind cannot block
        // the read.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(text)
            .current_dir(self.dir)
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.dir)
            .env("HUBSPOT_ACCESS_TOKEN", common::TOKEN)
            .env("HUBSPOT_BASE_URL", self.base_url)
            .stdin(Stdio::null())
            .stdout(File::create(&out_path).expect("stdout file"))
            .stderr(File::create(&err_path).expect("stderr file"))
            // Its own process group, so a command that hangs is killed with what it started.
            .process_group(0)
            .spawn()
            .expect("sh starts");
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("sh waits") {
                break Some(status);
            }
            if started.elapsed() > self.timeout {
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .status();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Ran {
            status,
            stdout: common::read(&out_path),
            stderr: common::read(&err_path),
        }
    }
}

/// What happened to one document's commands.
#[derive(Default)]
struct Outcome {
    ran: usize,
    skipped: Vec<String>,
    inputs: Vec<String>,
    failures: Vec<String>,
}

/// Runs `doc`'s commands in order (the last ones last) against a fresh emulator.
fn run_document(name: &str, text: &str, options: &ValueOptions) -> Outcome {
    let mut outcome = Outcome::default();
    let mut runs = Vec::new();
    for command in doc_commands(name, text) {
        match decide(&command, options) {
            Decision::Run { subcommand, inputs } => {
                runs.push((subcommand.as_deref() == Some(RUNS_LAST), command, inputs));
            }
            Decision::Skip(reason) => outcome.skipped.push(format!(
                "{}: `{}`: {reason}",
                command.at(),
                command.text.trim()
            )),
            Decision::Unknown(program) => outcome.failures.push(format!(
                "{}: `{}`: no rule for `{program}`: run it as `{CLI} …`, or add the program \
                 to OTHER_PROGRAMS with the reason it does not talk to HubSpot",
                command.at(),
                command.text.trim()
            )),
        }
    }
    if runs.is_empty() {
        return outcome;
    }
    // Stable: document order within each group.
    runs.sort_by_key(|(last, _, _)| *last);
    let emulator = common::emulator_open_with_fixtures(FIXTURES);
    let dir = TempDir::new().expect("working directory");
    let logs = TempDir::new().expect("log directory");
    let base_url = emulator.base_url();
    let shell = Shell {
        dir: dir.path(),
        logs: logs.path(),
        base_url: &base_url,
        timeout: COMMAND_TIMEOUT,
    };
    for (_, command, inputs) in &runs {
        outcome
            .inputs
            .extend(write_inputs(dir.path(), text, inputs));
        let ran = shell.run(&on_emulator(&command.text, &base_url));
        outcome.ran += 1;
        let expected = command.expected_exit();
        let code = ran.status.and_then(|s| s.code());
        if code != Some(expected) {
            outcome.failures.push(format!(
                "{}: `{}` {} (expected exit {expected})\n  stdout: {}\n  stderr: {}",
                command.at(),
                command.text.trim(),
                match (ran.status, code) {
                    (None, _) => format!("was killed after {COMMAND_TIMEOUT:?}"),
                    (Some(_), Some(code)) => format!("exited {code}"),
                    (Some(s), None) => format!("ended by {s}"),
                },
                ran.stdout.trim_end().replace('\n', "\n          "),
                ran.stderr.trim_end().replace('\n', "\n          "),
            ));
        }
    }
    outcome
}

#[test]
fn every_shell_command_of_the_docs_works_when_pasted() {
    let options = ValueOptions::from_cli();
    let mut failures = Vec::new();
    for (name, text) in documents() {
        let outcome = run_document(&name, &text, &options);
        println!("{name}: ran {} command(s)", outcome.ran);
        for skipped in &outcome.skipped {
            println!("  skipped {skipped}");
        }
        for input in &outcome.inputs {
            println!("  wrote {input}");
        }
        // The documents that describe the CLI must keep yielding commands: an extraction that
        // finds nothing would pass by running nothing.
        if ["README.md", "docs/cli.md"].contains(&name.as_str()) && outcome.ran == 0 {
            failures.push(format!("{name}: no `{CLI}` command found to run"));
        }
        failures.extend(outcome.failures);
    }
    assert!(
        failures.is_empty(),
        "{} doc command(s) fail when pasted:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

// The rules themselves, on small inputs.

fn one(block: &str) -> Vec<DocCommand> {
    doc_commands(
        "doc.md",
        &format!("text\n```sh\n{block}\n```\n```text\nhubspot-postal list\n```\n"),
    )
}

fn options() -> ValueOptions {
    ValueOptions {
        global: vec!["--base-url".into(), "--token-file".into()],
        import: vec!["--state".into(), "--report".into()],
    }
}

#[test]
fn commands_are_joined_across_continuations_without_comments_and_only_from_shell_blocks() {
    let commands = one("# a comment line\n\
         hubspot-postal create --timestamp 2021-11-12 \\\n    --body \"a # not a comment\" \\\n    --owner 1   # exits 3\n\
         \n\
         hubspot-postal search --filter 'a:IN:1;2' # quoted");
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert_eq!(commands[0].line, 4);
    assert_eq!(
        commands[0].text,
        "hubspot-postal create --timestamp 2021-11-12     --body \"a # not a comment\"     --owner 1   "
    );
    assert_eq!(commands[0].expected_exit(), 3);
    assert_eq!(commands[1].line, 8);
    assert_eq!(commands[1].expected_exit(), 0);
    assert_eq!(
        words(&commands[1].text),
        ["hubspot-postal", "search", "--filter", "a:IN:1;2"]
    );
    // An escaped blank does not start a word, so the `#` after it is text, as in sh.
    assert_eq!(split_comment("echo a\\ #b # c"), ("echo a\\ #b ", " c"));
    // Unquoted, the `;` ends the command, as in a terminal.
    assert_eq!(
        words("hubspot-postal search --filter a:IN:1;2"),
        ["hubspot-postal", "search", "--filter", "a:IN:1"]
    );
}

#[test]
fn each_command_is_run_skipped_by_a_named_rule_or_refused() {
    let decide_one = |line: &str| decide(&one(line)[0], &options());
    assert!(
        matches!(decide_one("cargo install --path crates/cli"), Decision::Skip(r) if r.contains("installs"))
    );
    assert!(matches!(
        decide_one("export HUBSPOT_BASE_URL=http://127.0.0.1:8080"),
        Decision::Skip(_)
    ));
    assert!(
        matches!(decide_one("hubspot-postal emulator --port 8080 &"), Decision::Skip(r) if r.contains("serves"))
    );
    assert!(matches!(
        decide_one("hubspot-postal completions bash > x"),
        Decision::Skip(_)
    ));
    assert_eq!(
        decide_one("rm -rf target"),
        Decision::Unknown("rm".into()),
        "an unknown program is not skipped silently"
    );
    assert_eq!(
        decide_one("HUBSPOT_ACCESS_TOKEN=t hubspot-postal --base-url http://127.0.0.1:1 list"),
        Decision::Run {
            subcommand: Some("list".into()),
            inputs: vec![]
        }
    );
    assert_eq!(
        decide_one("hubspot-postal --token-file emulator import --state s.json mail.csv"),
        Decision::Run {
            subcommand: Some("import".into()),
            inputs: vec![Input::Import("mail.csv".into())]
        },
        "an option's value is not taken for the subcommand or the file"
    );
    assert_eq!(
        decide_one("hubspot-postal update 1 --body-file letter.txt"),
        Decision::Run {
            subcommand: Some("update".into()),
            inputs: vec![Input::Body("letter.txt".into())]
        }
    );
}

#[test]
fn import_files_come_from_the_documents_own_examples() {
    let doc = "```csv\nrow,line,status\n```\n```csv\ntimestamp,body\n2021-11-12,Hi\n```\n\
               ```json\n{\"timestamp\": 1, \"body\": \"x\"}\n```\n";
    assert_eq!(
        example_import(doc, "letters.csv").as_deref(),
        Some("timestamp,body\n2021-11-12,Hi\n")
    );
    assert_eq!(
        example_import(doc, "letters.jsonl").as_deref(),
        Some("{\"timestamp\": 1, \"body\": \"x\"}\n")
    );
    assert_eq!(example_import("no examples", "mailroom.csv"), None);
}

#[test]
fn the_docs_loopback_urls_name_the_test_emulator() {
    assert_eq!(
        on_emulator(
            "x --base-url http://127.0.0.1:8089 list",
            "http://127.0.0.1:4242"
        ),
        "x --base-url http://127.0.0.1:4242 list"
    );
}

/// A shell in throw-away directories, against a closed port: for commands that do not need
/// HubSpot.
fn scratch_shell(timeout: Duration, run: impl FnOnce(&Shell<'_>)) {
    let (dir, logs) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    run(&Shell {
        dir: dir.path(),
        logs: logs.path(),
        base_url: "http://127.0.0.1:9",
        timeout,
    });
}

#[test]
fn a_semicolon_that_ends_a_command_fails_it() {
    // What the docs test sees for an unquoted `;` in a filter value: the shell runs the part
    // after it as a command of its own, which does not exist.
    scratch_shell(COMMAND_TIMEOUT, |shell| {
        let ran = shell.run("hubspot-postal --help >/dev/null;9274997");
        assert_eq!(
            ran.status.and_then(|s| s.code()),
            Some(127),
            "{}",
            ran.stderr
        );
    });
}

#[test]
fn a_command_that_hangs_is_killed_with_what_it_started() {
    // Whether process `pid` still runs (a zombie has stopped, whoever reaps it).
    let running = |pid: &str| {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            stat.rsplit_once(") ")
                .is_some_and(|(_, rest)| !rest.starts_with('Z'))
        })
    };
    scratch_shell(Duration::from_millis(500), |shell| {
        let started = Instant::now();
        let ran = shell.run("sleep 30 & echo $!; wait");
        assert!(ran.status.is_none(), "reported as killed");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        let sleep = ran.stdout.trim();
        assert!(!sleep.is_empty(), "the shell printed its child's pid");
        let deadline = Instant::now() + Duration::from_secs(5);
        while running(sleep) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(
            !running(sleep),
            "the command's child {sleep} was killed too"
        );
    });
}
