//! Counting checks, and the tables the commands print.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

/// The checks one step made: how many passed, and for each failure what to do about it.
#[derive(Debug, Default)]
pub struct Tally {
    pub passed: usize,
    pub failures: Vec<String>,
    /// Worth knowing but not a failure (skipped GPU tests, allow-listed stub passes, ...).
    pub notes: Vec<String>,
}

impl Tally {
    pub fn pass(&mut self) {
        self.passed += 1;
    }

    pub fn fail(&mut self, why: impl Into<String>) {
        self.failures.push(why.into());
    }

    /// Passes when `ok`, else fails with `why()`.
    pub fn check(&mut self, ok: bool, why: impl FnOnce() -> String) {
        if ok { self.pass() } else { self.fail(why()) }
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    pub fn absorb(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failures.extend(other.failures);
        self.notes.extend(other.notes);
    }
}

/// A table that wraps to the terminal's width, or keeps its natural width where the terminal
/// reports none or an unusably narrow one (CI logs, `script`).
pub fn new_table(header: [&str; 4]) -> Table {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED).set_header(header);
    if table.width().is_some_and(|width| width >= 60) {
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
    table
}

/// Continuation lines of a multi-line message, indented under its first line.
pub fn indent_after_first(text: &str) -> String {
    text.lines().collect::<Vec<_>>().join("\n    ")
}
