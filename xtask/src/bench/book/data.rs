//! The data of one generated page: what was run, on which machine, and every timed sample,
//! kept as JSON beside the page (`book/src/labs/measured/data/<name>.json`) so that
//! `cargo xtask bench --redraw` can render it again without measuring.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::super::floor::{Floor, sizes_of};
use super::header::MachineHeader;

/// One measurement's results: the tables of one generated include file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// The file stem: `01-strides-transpose` → `measured/01-strides-transpose.md`.
    pub name: String,
    /// The command that reproduces the measurement, and what it runs (Markdown).
    pub command: String,
    /// Sentences above the tables: what each cell is.
    pub method: String,
    pub machine: MachineHeader,
    pub tables: Vec<Table>,
    /// Lines under the tables: versions, settings, observations the programs reported.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// One table: rows × columns, each cell a list of timed samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub caption: String,
    /// The heading of the first column (`variant`).
    pub row_title: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub row: String,
    pub column: String,
    /// Seconds per call (or per run), one per sample, in the order measured.
    pub seconds: Vec<f64>,
}

/// Best, median and spread of a cell's samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub best: f64,
    pub median: f64,
    /// (worst − best) / median: how much the samples disagree.
    pub spread: f64,
    pub samples: usize,
}

pub fn summarize(seconds: &[f64]) -> Option<Summary> {
    let mut sorted: Vec<f64> = seconds.iter().copied().filter(|s| s.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    Some(Summary {
        best: sorted[0],
        median,
        spread: (sorted[n - 1] - sorted[0]) / median,
        samples: n,
    })
}

/// A duration in the unit that keeps three significant digits readable: `7.6 ns`, `27.6 ms`.
pub fn format_duration(seconds: f64) -> String {
    let (value, unit) = match seconds.abs() {
        s if s < 1e-6 => (seconds * 1e9, "ns"),
        s if s < 1e-3 => (seconds * 1e6, "µs"),
        s if s < 1.0 => (seconds * 1e3, "ms"),
        _ => (seconds, "s"),
    };
    let digits = match value.abs() {
        v if v >= 100.0 => 0,
        v if v >= 10.0 => 1,
        _ => 2,
    };
    format!("{value:.digits$} {unit}")
}

/// A cell as the tables show it: the median, then the best and the spread.
pub fn format_cell(summary: &Summary) -> String {
    format!(
        "{} (best {}, ±{:.0} %, n = {})",
        format_duration(summary.median),
        format_duration(summary.best),
        summary.spread * 50.0,
        summary.samples
    )
}

/// A cell with its fraction of the floor: `47.9 ms (best 45.7 ms, ±36 %, n = 20; 56 % of the
/// floor)`.
pub fn format_cell_of_floor(summary: &Summary, floor: f64) -> String {
    let cell = format_cell(summary);
    let share = 100.0 * floor / summary.median;
    format!("{}; {share:.0} % of the floor)", cell.trim_end_matches(')'))
}

impl Table {
    pub fn cell(&self, row: &str, column: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|cell| cell.row == row && cell.column == column)
    }

    /// The table in Markdown; an empty cell was not run. `floor` gives a group's floor (the
    /// group is a column, or the caption): then a floor row comes first, and each cell says its
    /// fraction of it.
    pub fn markdown(&self, floor: impl Fn(&str) -> Option<f64>) -> String {
        let mut text = format!("{}\n\n| {} |", self.caption, self.row_title);
        for column in &self.columns {
            text += &format!(" {column} |");
        }
        text += "\n|---|";
        text += &"---:|".repeat(self.columns.len());
        text += "\n";
        let floors: Vec<Option<f64>> = (self.columns.iter())
            .map(|column| floor(column).or_else(|| floor(&self.caption)))
            .collect();
        if floors.iter().any(Option::is_some) {
            text += "| *floor* |";
            for at in &floors {
                text += &format!(" *{}* |", at.map(format_duration).unwrap_or_default());
            }
            text += "\n";
        }
        for row in &self.rows {
            text += &format!("| {row} |");
            for (column, floor) in self.columns.iter().zip(&floors) {
                let shown = self
                    .cell(row, column)
                    .and_then(|cell| summarize(&cell.seconds))
                    .map(|summary| match floor {
                        Some(floor) => format_cell_of_floor(&summary, *floor),
                        None => format_cell(&summary),
                    })
                    .unwrap_or_default();
                text += &format!(" {shown} |");
            }
            text += "\n";
        }
        text
    }
}

/// The first line of every generated file.
pub const GENERATED: &str = "<!-- Generated by `cargo xtask bench --book` (tables: `--redraw`): do not edit; run it again. -->";

impl Dataset {
    /// The include file: the generated line, the machine, the method, the tables, the notes;
    /// with a `floor`, each table's floor row and each cell's fraction of it.
    pub fn markdown(&self, floor: Option<Floor>) -> String {
        let mut text = format!("{GENERATED}\n\n");
        text += &self.machine.markdown();
        let _ = writeln!(text, "\n{}\n", self.method);
        if let Some(floor) = floor {
            let _ = writeln!(text, "{}\n", floor.explained());
        }
        // The command names the solution crates: the reference edition only.
        let _ = writeln!(
            text,
            "Each cell: the median, then the best, the spread (± half of worst − best, as a \
             share of the median) and the number of samples.\n\n<!-- reference -->\n\n\
             Reproduce: {}.\n\n<!-- /reference -->\n",
            self.command
        );
        for table in &self.tables {
            let limits = self.machine.floor_limits();
            text += &table.markdown(|group| floor?.seconds(sizes_of(group)?, limits));
            text += "\n";
        }
        for note in &self.notes {
            let _ = writeln!(text, "- {note}");
        }
        text
    }
}

/// The include file of a measurement with no data yet: the page builds, and says why it has
/// no table.
pub fn placeholder() -> String {
    format!(
        "{GENERATED}\n\n*Not measured yet in this tree: `cargo xtask bench --book` measures this \
         table on the machine at hand.*\n"
    )
}
