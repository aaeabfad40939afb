//! Counting checks and printing the summary table.

use comfy_table::{Cell, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

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

/// A finished step of `check`: its row in the summary.
pub struct Row {
    pub step: String,
    pub tally: Tally,
}

/// Prints every failure in full (each names its fix), then one table row per step.
pub fn print_summary(rows: &[Row]) {
    let failed: Vec<&Row> = rows
        .iter()
        .filter(|row| !row.tally.failures.is_empty())
        .collect();
    if !failed.is_empty() {
        println!("\nFailures:");
        for row in failed {
            for failure in &row.tally.failures {
                println!("\n✗ [{}] {}", row.step, indent_after_first(failure));
            }
        }
    }
    let mut table = new_table(["step", "passed", "failed", "notes"]);
    for row in rows {
        let failed = row.tally.failures.len();
        let failed_cell = Cell::new(failed);
        let failed_cell = if failed > 0 {
            failed_cell.fg(Color::Red)
        } else {
            failed_cell
        };
        table.add_row(vec![
            Cell::new(&row.step),
            Cell::new(row.tally.passed),
            failed_cell,
            Cell::new(row.tally.notes.join("\n")),
        ]);
    }
    println!("\n{table}");
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

pub fn totals(rows: &[Row]) -> (usize, usize) {
    rows.iter().fold((0, 0), |(passed, failed), row| {
        (passed + row.tally.passed, failed + row.tally.failures.len())
    })
}
