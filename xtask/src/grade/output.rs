//! What `grade` (and `grade merge`) writes into the output directory, and the table on the
//! terminal:
//!
//! - `gradebook.csv`: a row per submission, three columns per lab (`csv`);
//! - `gradebook-long.csv`: a row per submission, lab and test, for an LMS import (`csv`);
//! - `gradebook.json`: everything, per test (the [`Gradebook`] serialised);
//! - `honesty.md`: for the instructor, the honesty findings and who was graded without the
//!   sandbox (`honesty`);
//! - `feedback/<id>.md`: for the student (`feedback`), never with the honesty findings.
//!
//! Each text is made by a pure function of the gradebook; only [`write_outputs`] touches the
//! disk.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use comfy_table::{Cell, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::model::{Gradebook, LabStatus, show};

mod csv;
mod feedback;
mod honesty;
#[cfg(test)]
pub(super) mod tests;

pub use csv::{gradebook_csv, long_csv};
pub use feedback::feedback_markdown;
pub use honesty::honesty_markdown;

/// The files [`write_outputs`] writes, for messages.
pub const WRITTEN: &str =
    "gradebook.csv, gradebook-long.csv, gradebook.json, honesty.md and feedback/";

/// Writes every output into `out`: `gradebook.csv`, `gradebook-long.csv`, `gradebook.json`,
/// `honesty.md` and `feedback/<id>.md` (feedback files from an earlier run are replaced).
pub fn write_outputs(gradebook: &Gradebook, out: &Path) -> Result<()> {
    check_ids(gradebook)?;
    let feedback = out.join("feedback");
    if feedback.exists() {
        fs::remove_dir_all(&feedback)
            .with_context(|| format!("removing {}", feedback.display()))?;
    }
    fs::create_dir_all(&feedback).with_context(|| format!("creating {}", feedback.display()))?;
    let write = |name: &str, text: String| {
        let path = out.join(name);
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
    };
    write("gradebook.csv", gradebook_csv(gradebook))?;
    write("gradebook-long.csv", long_csv(gradebook))?;
    write(
        "gradebook.json",
        serde_json::to_string_pretty(gradebook)? + "\n",
    )?;
    write("honesty.md", honesty_markdown(gradebook))?;
    for submission in &gradebook.submissions {
        let path = feedback.join(format!("{}.md", submission.id));
        fs::write(&path, feedback_markdown(gradebook, submission))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Every id must be a safe file name, and unique even on a case-insensitive file system: it
/// names the submission's feedback file.
fn check_ids(gradebook: &Gradebook) -> Result<()> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for submission in &gradebook.submissions {
        let id = submission.id.as_str();
        let safe = !id.is_empty()
            && !id.starts_with('.')
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if !safe {
            bail!(
                "the submission id `{}` (of {}) is not a safe file name: ids are ASCII \
                 letters, digits, `.`, `_` and `-`, not starting with `.` (a bug in the grader)",
                id.escape_default(),
                submission.source
            );
        }
        if let Some(other) = seen.insert(id.to_ascii_lowercase(), id) {
            bail!(
                "two submissions have the id `{id}`{}: their feedback files would collide",
                match other == id {
                    true => String::new(),
                    false => format!(" (and `{other}`, the same but for case)"),
                }
            );
        }
    }
    Ok(())
}

/// `text` on one line: control characters (newlines included) become spaces.
pub(super) fn one_line(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    line.trim().to_string()
}

/// `text` as plain Markdown text on one line, for the middle of a line: what could start
/// markup (emphasis, code, links, raw HTML) is backslash-escaped; an `_` inside a word cannot,
/// and stays as it is (`john_doe`).
pub(super) fn md_text(text: &str) -> String {
    let chars: Vec<char> = one_line(text).chars().collect();
    let mut escaped = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let inside_word = |i: Option<usize>| {
            i.and_then(|i| chars.get(i))
                .is_some_and(|c| c.is_alphanumeric())
        };
        let escape = match c {
            '_' => !(inside_word(i.checked_sub(1)) && inside_word(Some(i + 1))),
            _ => "\\`*[]<>~".contains(c),
        };
        if escape {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// `text` as an inline code span on one line, whatever backticks it holds.
pub(super) fn code(text: &str) -> String {
    let text = one_line(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    match text.starts_with('`') || text.ends_with('`') {
        true => format!("{fence} {text} {fence}"),
        false => format!("{fence}{text}{fence}"),
    }
}

/// Markdown made safe for a table cell: `|` escaped (GitHub's tables allow it, even inside a
/// code span).
pub(super) fn cell(markdown: &str) -> String {
    markdown.replace('|', "\\|")
}

/// `id`, and the name as given when it differs: `carol_2 (Carol Ä)`.
pub(super) fn who(id: &str, name: &str) -> String {
    let name = one_line(name);
    match name == id || name.is_empty() {
        true => id.to_string(),
        false => format!("{id} ({name})"),
    }
}

/// The gradebook as a terminal table: a row per submission (its id, and its name when it
/// differs), `points/max` per lab (red where the lab is not `ok`), the total and the status.
pub fn table(gradebook: &Gradebook) -> Table {
    let mut table = Table::new();
    let mut header = vec!["submission".to_string()];
    header.extend(gradebook.labs.iter().map(|lab| lab.name.clone()));
    header.extend(["total".into(), "status".into()]);
    table.load_style(UTF8_FULL_CONDENSED).set_header(header);
    if table.width().is_some_and(|width| width >= 60) {
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
    for submission in &gradebook.submissions {
        let mut row = vec![Cell::new(who(&submission.id, &submission.name))];
        for lab in &gradebook.labs {
            let graded = submission.labs.iter().find(|graded| graded.lab == lab.name);
            let cell = match graded {
                Some(graded) => {
                    let cell = Cell::new(format!("{}/{}", show(graded.points), show(graded.max)));
                    match graded.status {
                        LabStatus::Ok => cell,
                        _ => cell.fg(Color::Red),
                    }
                }
                None => Cell::new(format!("-/{}", show(lab.max))).fg(Color::Red),
            };
            row.push(cell);
        }
        row.push(Cell::new(format!(
            "{}/{}",
            show(submission.points),
            show(submission.max)
        )));
        row.push(Cell::new(one_line(&submission.summary())));
        table.add_row(row);
    }
    table
}

/// Prints [`table`].
pub fn print_table(gradebook: &Gradebook) {
    println!("{}", table(gradebook));
}
