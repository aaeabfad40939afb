//! The cells of a generated page, gathered from every source of a measurement (criterion's
//! samples, a program's JSON lines) over the interleaved rounds, then laid out as tables.

use anyhow::{Context, Result};
use serde::Deserialize;

use super::data::{Cell, Table};

/// One timed cell as a source reports it. Programs print it as a JSON line:
/// `{"table": "…", "row": "…", "column": "…", "seconds": [0.12, 0.11]}`; a line
/// `{"note": "…"}` is a sentence for under the tables.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Found {
    pub table: String,
    pub row: String,
    pub column: String,
    pub seconds: Vec<f64>,
}

#[derive(Deserialize)]
struct NoteLine {
    note: String,
}

/// What a program printed: its cells and notes; other lines (its human-readable report) are
/// left alone.
#[derive(Debug, Default, PartialEq)]
pub struct Printed {
    pub cells: Vec<Found>,
    pub notes: Vec<String>,
}

pub fn parse_lines(stdout: &str) -> Result<Printed> {
    let mut printed = Printed::default();
    for line in stdout.lines().map(str::trim).filter(|l| l.starts_with('{')) {
        if line.contains("\"note\"") {
            let note: NoteLine =
                serde_json::from_str(line).with_context(|| format!("a note line: {line}"))?;
            printed.notes.push(note.note);
        } else if line.contains("\"seconds\"") {
            printed
                .cells
                .push(serde_json::from_str(line).with_context(|| format!("a cell line: {line}"))?);
        }
    }
    Ok(printed)
}

/// Cells in the order first seen; samples of the same cell (later rounds) are appended.
#[derive(Debug, Default)]
pub struct Gathered {
    tables: Vec<Table>,
}

impl Gathered {
    pub fn add(&mut self, found: Found) {
        let table = match self.tables.iter().position(|t| t.caption == found.table) {
            Some(at) => &mut self.tables[at],
            None => {
                self.tables.push(Table {
                    caption: found.table.clone(),
                    row_title: "variant".into(),
                    rows: Vec::new(),
                    columns: Vec::new(),
                    cells: Vec::new(),
                });
                self.tables.last_mut().expect("just pushed")
            }
        };
        if !table.rows.contains(&found.row) {
            table.rows.push(found.row.clone());
        }
        if !table.columns.contains(&found.column) {
            table.columns.push(found.column.clone());
        }
        match table
            .cells
            .iter_mut()
            .find(|c| c.row == found.row && c.column == found.column)
        {
            Some(cell) => cell.seconds.extend(found.seconds),
            None => table.cells.push(Cell {
                row: found.row,
                column: found.column,
                seconds: found.seconds,
            }),
        }
    }

    pub fn into_tables(self) -> Vec<Table> {
        self.tables
    }
}
