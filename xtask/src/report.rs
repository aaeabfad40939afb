//! `check`'s summary: one row per step, the failures in full. The tally and the tables
//! themselves are the students' commands' too (`course::report`).

use comfy_table::{Cell, Color};

pub use course::report::*;

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

/// Tests passed and failed over every step.
pub fn totals(rows: &[Row]) -> (usize, usize) {
    rows.iter().fold((0, 0), |(passed, failed), row| {
        (passed + row.tally.passed, failed + row.tally.failures.len())
    })
}
