//! A hints file: `exercises/NN-x/hints/<exercise>.md`, one per exercise (test file stem), read
//! by `cargo xtask hint` and folded into the lab's chapter by `{{#include}}`.
//!
//! ```markdown
//! <!-- Anything before the first hint is for maintainers: `hint` does not show it. -->
//!
//! #### Hint 1: A short title
//!
//! The nudge: which idea, which method.
//!
//! #### Hint 2: Another title
//!
//! Closer to the answer, never the solution's code.
//! ```
//!
//! The headings are level 4 so that, in the book, they nest under the exercise's own heading
//! (level 2 or 3) instead of standing beside it.

use std::fs;
use std::path::{Path, PathBuf};

/// How every hint's heading starts; the number, a colon and the title follow.
pub const HEADING: &str = "#### Hint ";

#[derive(Debug, Clone, PartialEq)]
pub struct Hint {
    /// 1, 2, 3, ... in the file's order.
    pub number: usize,
    pub title: String,
    /// The Markdown under the heading, without leading and trailing blank lines.
    pub body: String,
}

/// `exercises/NN-x/hints/<exercise>.md`, given the lab's exercise crate directory.
pub fn path(stub_dir: &Path, exercise: &str) -> PathBuf {
    stub_dir.join("hints").join(format!("{exercise}.md"))
}

/// Reads and parses a hints file; the error says what is wrong and where.
pub fn read(path: &Path) -> Result<Vec<Hint>, String> {
    let text = fs::read_to_string(path).map_err(|error| format!("cannot read it: {error}"))?;
    parse(&text)
}

/// The hints of a file, in order. Fails, naming the line, on a heading that is not
/// `#### Hint N: title`, on numbers out of order, on a hint without text, or on no hint at all.
pub fn parse(text: &str) -> Result<Vec<Hint>, String> {
    let mut hints: Vec<Hint> = Vec::new();
    let mut fence: Option<&str> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim_start();
        // Inside a fenced code block a `#` line is code (a shell comment), not a heading.
        if let Some(marker) = ["```", "~~~"].iter().find(|m| trimmed.starts_with(**m)) {
            fence = match fence {
                Some(open) if open == *marker => None,
                Some(open) => Some(open),
                None => Some(marker),
            };
        }
        if fence.is_none() && is_hint_heading(line) {
            let rest = line.strip_prefix(HEADING).ok_or_else(|| {
                format!(
                    "line {number}: hint headings are level 4, `{HEADING}N: title`, so that they \
                     nest under the exercise's heading in the book; found `{}`",
                    line.trim()
                )
            })?;
            let (digits, title) = rest.split_once(':').ok_or_else(|| {
                format!("line {number}: write the heading as `{HEADING}N: title`, found `{line}`")
            })?;
            let expected = hints.len() + 1;
            if digits.trim().parse::<usize>() != Ok(expected) {
                return Err(format!(
                    "line {number}: this should be hint {expected} (`{HEADING}{expected}: ...`): \
                     number the hints 1, 2, 3, ... in order"
                ));
            }
            if title.trim().is_empty() {
                return Err(format!(
                    "line {number}: hint {expected} has no title: `{HEADING}{expected}: a short title`"
                ));
            }
            hints.push(Hint {
                number: expected,
                title: title.trim().to_string(),
                body: String::new(),
            });
        } else if let Some(hint) = hints.last_mut() {
            hint.body.push_str(line);
            hint.body.push('\n');
        }
    }
    if hints.is_empty() {
        return Err(format!(
            "no hint in it: each hint starts with a heading `{HEADING}1: a short title`"
        ));
    }
    for hint in &mut hints {
        hint.body = hint.body.trim_matches('\n').trim_end().to_string();
        if hint.body.trim().is_empty() {
            return Err(format!(
                "hint {} (`{}`) has no text under its heading",
                hint.number, hint.title
            ));
        }
    }
    Ok(hints)
}

/// A Markdown heading whose text starts with `Hint` followed by a number, at any level: the
/// parser then insists on the right level.
fn is_hint_heading(line: &str) -> bool {
    let text = line.trim_start_matches('#');
    line.starts_with('#')
        && text.starts_with(' ')
        && text
            .trim_start()
            .strip_prefix("Hint ")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}
