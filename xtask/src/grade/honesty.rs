//! The honesty report: source patterns in a submission that have no place in an exercise
//! (ending the process, printing libtest's lines, reaching the filesystem, the network or
//! other programs, pasting in other files, symbol and linker tricks, inline assembly, replacing
//! the panic hook). For the instructor, not a verdict: a place to look.
//!
//! Each `.rs` file of a lab's `src/` is parsed with syn and walked (`scanner`), token streams
//! that syn leaves unparsed included (macro calls, `macro_rules!` bodies, attribute arguments:
//! `tokens`). Short names are resolved through the file's `use` items (`imports`). syn's spans
//! carry no line numbers here, so a small lexer gives them (`lines`). Whatever the
//! instructor's stub already has is not reported: per file and pattern, only the occurrences
//! beyond the stub's count are.

use std::collections::BTreeSet;
use std::path::{Component, Path};

use syn::visit::Visit;

use super::course::Files;
use super::model::Finding;

mod imports;
mod lines;
mod rules;
mod scanner;
#[cfg(test)]
mod tests;
mod tokens;
mod visit;

use imports::Imports;
use lines::Lines;
use scanner::{Found, Scanner};

/// `scan_dir` on a lab's `src/` (the tests' shorthand).
#[cfg(test)]
pub fn scan(lab: &str, submitted: &Files, stub: &Files) -> Vec<Finding> {
    scan_dir(&format!("exercises/{lab}/src"), submitted, stub)
}

/// The findings in the submitted sources of `dir` (as the student knows it:
/// `exercises/01-strides/src`, or a lab's Python crate's `exercises/06-ffi/python/src`; paths
/// relative to it) beyond what the instructor's `stub` of the same folder has, by file, line
/// and pattern.
pub fn scan_dir(dir: &str, submitted: &Files, stub: &Files) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (path, bytes) in submitted {
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let given = stub
            .get(path)
            .map(|bytes| scan_file(bytes))
            .unwrap_or_default();
        let file = format!("{dir}/{}", slashed(path));
        for (found, stub_count) in beyond(scan_file(bytes), &given) {
            let mut why = found.why;
            if stub_count > 0 {
                why +=
                    &format!(" (beyond the {stub_count} in the instructor's version of this file)");
            }
            findings.push(Finding {
                file: file.clone(),
                line: found.line,
                pattern: found.pattern.to_string(),
                why,
            });
        }
    }
    findings.sort_by(|a, b| {
        (&a.file, a.line, &a.pattern, &a.why).cmp(&(&b.file, b.line, &b.pattern, &b.why))
    });
    findings
}

/// What one file has, in the order found.
fn scan_file(bytes: &[u8]) -> Vec<Found> {
    let unparsed = |why: String| {
        vec![Found {
            line: 0,
            pattern: rules::UNPARSED,
            why,
            anchor: String::new(),
            code: String::new(),
        }]
    };
    let Ok(source) = std::str::from_utf8(bytes) else {
        return unparsed("not UTF-8, so not Rust: the compiler refuses it".into());
    };
    let file = match syn::parse_file(source) {
        Ok(file) => file,
        Err(error) => {
            return unparsed(format!(
                "not Rust syntax ({error}): the compiler refuses it, so the patterns were not looked for"
            ));
        }
    };
    let lines = Lines::of(source);
    let imports = Imports::of(&file);
    let mut scanner = Scanner::new(&lines, &imports);
    scanner.visit_file(&file);
    let code: Vec<&str> = source.lines().collect();
    let mut found = scanner.found;
    for found in &mut found {
        let line = found.line.checked_sub(1).and_then(|i| code.get(i));
        found.code = line.map_or("", |line| line.trim()).to_string();
    }
    found
}

/// The submission's findings beyond the stub's, each with how many of its pattern the stub
/// has. Per pattern, the file keeps as many as it has beyond the stub's count: first those not
/// in the stub (the same token flagged on the same line of code), in order, then the last of
/// the others.
fn beyond(mine: Vec<Found>, given: &[Found]) -> Vec<(Found, usize)> {
    let patterns: BTreeSet<&'static str> = mine.iter().map(|found| found.pattern).collect();
    let mut kept = Vec::new();
    for pattern in patterns {
        let mut theirs: Vec<(&str, &str)> = given
            .iter()
            .filter(|found| found.pattern == pattern)
            .map(|found| (found.anchor.as_str(), found.code.as_str()))
            .collect();
        let stub_count = theirs.len();
        let ours: Vec<&Found> = mine
            .iter()
            .filter(|found| found.pattern == pattern)
            .collect();
        let extra = ours.len().saturating_sub(stub_count);
        if extra == 0 {
            continue;
        }
        let (mut fresh, mut familiar) = (Vec::new(), Vec::new());
        for found in ours {
            let key = (found.anchor.as_str(), found.code.as_str());
            match theirs.iter().position(|theirs| *theirs == key) {
                Some(at) => {
                    theirs.swap_remove(at);
                    familiar.push(found);
                }
                None => fresh.push(found),
            }
        }
        let mut chosen: Vec<&Found> = fresh
            .into_iter()
            .chain(familiar.into_iter().rev())
            .take(extra)
            .collect();
        chosen.sort_by_key(|found| found.line);
        kept.extend(chosen.into_iter().map(|found| (found.clone(), stub_count)));
    }
    kept
}

/// `bin/mpi.rs`, whatever the platform's separator.
fn slashed(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|part| match part {
            Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    parts.join("/")
}
