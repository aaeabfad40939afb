//! `{{#include path:anchor}}` and `{{#rustdoc_include ...}}` in the book must resolve: the file
//! exists and has the named `ANCHOR:` region. Line ranges are refused: they silently drift
//! when the code changes, anchors move with it.

use std::fs;
use std::path::Path;

use super::{files_under, listed, read_or_fail, rel};
use crate::report::Tally;

pub fn check_includes(root: &Path) -> Tally {
    let mut tally = Tally::default();
    for page in listed(&mut tally, files_under(&root.join("book/src"), "md")) {
        let Some(text) = read_or_fail(&mut tally, root, &page) else {
            continue;
        };
        let dir = page.parent().unwrap_or(root);
        for (line, args) in directives(&text) {
            let at = format!("{}:{line}", rel(root, &page));
            match check_one(dir, args) {
                Ok(()) => tally.pass(),
                Err(why) => tally.fail(format!("{at}: `{args}` {why}")),
            }
        }
    }
    tally
}

/// The arguments of every include directive, with its line number. `\{{#include ...}}` is
/// mdbook's escape for showing the directive literally, so it is skipped.
fn directives(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        for (start, _) in line.match_indices("{{#") {
            if line[..start].ends_with('\\') {
                continue;
            }
            let rest = &line[start + 3..];
            let Some(args) = ["include ", "rustdoc_include "]
                .iter()
                .find_map(|name| rest.strip_prefix(name))
            else {
                continue;
            };
            if let Some((args, _)) = args.split_once("}}") {
                found.push((number + 1, args.trim()));
            }
        }
    }
    found
}

fn check_one(dir: &Path, args: &str) -> Result<(), String> {
    let (path, selector) = args.split_once(':').unwrap_or((args, ""));
    let target = dir.join(path);
    let Ok(source) = fs::read_to_string(&target) else {
        return Err(format!(
            "includes {path}, which does not exist (paths are relative to the chapter's directory)"
        ));
    };
    if selector.is_empty() {
        return Ok(());
    }
    if selector.chars().all(|c| c.is_ascii_digit() || c == ':') {
        return Err(format!(
            "uses a line range: put `// ANCHOR: name` and `// ANCHOR_END: name` around the \
             lines in {path} and include `{path}:name` (line ranges drift when the code changes)"
        ));
    }
    let has = |marker: &str| has_marker(&source, marker, selector);
    match (has("ANCHOR:"), has("ANCHOR_END:")) {
        (true, true) => Ok(()),
        (false, _) => Err(format!(
            "names anchor `{selector}`, which {path} lacks: add `// ANCHOR: {selector}` and \
             `// ANCHOR_END: {selector}` around the lines to show"
        )),
        (true, false) => Err(format!(
            "names anchor `{selector}`, opened in {path} but never closed: add `// ANCHOR_END: {selector}`"
        )),
    }
}

/// `ANCHOR: name` as mdbook reads it: the marker, optional spaces, then the whole word.
fn has_marker(source: &str, marker: &str, name: &str) -> bool {
    source.match_indices(marker).any(|(at, _)| {
        let word: String = source[at + marker.len()..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        word == name
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_directives_but_not_escaped_ones() {
        let text =
            "a\n{{#include ../x.rs:ravel}} and {{#rustdoc_include y.rs}}\n\\{{#include z.rs}}\n";
        assert_eq!(directives(text), vec![(2, "../x.rs:ravel"), (2, "y.rs")]);
    }

    #[test]
    fn anchors_match_whole_names() {
        let source = "// ANCHOR: ravel_fast\nx\n// ANCHOR_END: ravel_fast\n";
        assert!(has_marker(source, "ANCHOR:", "ravel_fast"));
        assert!(!has_marker(source, "ANCHOR:", "ravel"));
        assert!(has_marker(source, "ANCHOR_END:", "ravel_fast"));
    }
}
