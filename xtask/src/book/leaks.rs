//! Proof that the student edition hands out no answer: its built pages contain no solution-only
//! line (a non-trivial line of `solutions/<lab>/src` that the lab's exercise crate does not
//! have) and name no `-solution` package and no `solutions/` path, which students do not have.
//!
//! The built HTML is what is scanned, not the Markdown, so that whatever mdbook pulled in (an
//! include, a hints file, a generated table) is checked as the reader will see it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::html;
use crate::lint::{files_under, files_with_extensions, read_or_fail, rel};
use crate::report::Tally;
use crate::workspace;

/// Lines shorter than this, or with fewer identifiers and numbers, are too common to be
/// evidence (`}`, `Ok(())`, `let n = x.len();` in a prose example).
const MIN_CHARS: usize = 20;
const MIN_WORDS: usize = 3;

/// The solution-only lines of every lab (in no exercise crate), each with where it comes from
/// (`solutions/x/src/f.rs:12`).
pub fn solution_only_lines(root: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let mut secret = BTreeMap::new();
    // Everything in the exercise crates is handed out anyway: tests, benches, stubs, given code
    // (lab 6's given C kernel has a line that lab 5's CUDA solution has too).
    let known = trimmed_lines(&text_files(&root.join("exercises"))?)?;
    for lab in workspace::lab_dirs(root, "solutions")? {
        for file in text_files(&root.join("solutions").join(&lab).join("src"))? {
            let text =
                fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            for (index, line) in text.lines().enumerate() {
                let line = line.trim();
                if is_evidence(line) && !known.contains(line) {
                    secret
                        .entry(line.to_string())
                        .or_insert_with(|| format!("{}:{}", rel(root, &file), index + 1));
                }
            }
        }
    }
    Ok(secret)
}

/// A line long and specific enough that finding it in the book means the solution is there.
pub fn is_evidence(line: &str) -> bool {
    let comment = ["//", "/*", "*", "!", "#"]
        .iter()
        .any(|start| line.starts_with(start));
    let words = line
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|word| !word.is_empty())
        .count();
    !comment && line.chars().count() >= MIN_CHARS && words >= MIN_WORDS
}

/// Scans the student edition built in `build`: one check per page.
pub fn scan_student(root: &Path, build: &Path) -> Tally {
    let mut tally = Tally::default();
    let secret = match solution_only_lines(root) {
        Ok(secret) => secret,
        Err(error) => {
            tally.fail(format!(
                "{error:#}: the solutions cannot be read to scan the book"
            ));
            return tally;
        }
    };
    // A problem found on many pages (the print page repeats every chapter) is reported once.
    let mut problems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let pages = files_under(build, "html").unwrap_or_else(|error| {
        tally.fail(format!(
            "{error:#}: the student edition cannot be listed to scan it"
        ));
        Vec::new()
    });
    for page in pages {
        let Some(html) = read_or_fail(&mut tally, build, &page) else {
            continue;
        };
        let found = page_problems(&html, &secret);
        if found.is_empty() {
            tally.pass();
        }
        for problem in found {
            problems.entry(problem).or_default().push(rel(build, &page));
        }
    }
    for (problem, pages) in problems {
        tally.fail(format!(
            "the student edition {problem}\n  in {}/{{{}}}\n  fix: put it inside a \
             `<!-- reference -->` ... `<!-- /reference -->` region of the page's source \
             (book/src), or include the stub's code from exercises/ instead",
            rel(root, build),
            pages.join(", ")
        ));
    }
    tally
}

/// What one HTML page gives away: solution code in its text (tags stripped, as the reader sees
/// it), solution crates and paths anywhere in it (a comment, an attribute). Each problem once.
pub fn page_problems(html: &str, secret: &BTreeMap<String, String>) -> Vec<String> {
    let mut found = Vec::new();
    for line in html_text(html).lines() {
        let line = line.trim();
        if let Some(from) = secret.get(line) {
            found.push(format!("shows solution code `{line}` ({from})"));
        }
    }
    found.extend(names(html));
    found.sort();
    found.dedup();
    found
}

/// The solution crates (`strides-solution`, `strides_solution`, `ffi_lab_solution`) and
/// `solutions/` paths that `text` names.
fn names(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        for name in solution_crates(line) {
            found.push(format!(
                "names the solution crate `{name}`, which students do not have: `{}`",
                shorten(line)
            ));
        }
        if line.contains("solutions/") {
            found.push(format!(
                "names a `solutions/` path, which students do not have: `{}`",
                shorten(line)
            ));
        }
    }
    found
}

/// Words of `line` that end in `-solution` or `_solution` (a crate or module name).
fn solution_crates(line: &str) -> Vec<&str> {
    line.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .filter(|word| {
            ["-solution", "_solution"]
                .iter()
                .any(|end| word.len() > end.len() && word.ends_with(end))
        })
        .collect()
}

fn shorten(line: &str) -> String {
    const MAX: usize = 100;
    match line.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

/// The text of an HTML page as the reader sees it, code included (see [`html::text`]), with
/// no-break spaces as plain ones, as the solution's source has them.
pub fn html_text(html: &str) -> String {
    html::text(html).replace('\u{a0}', " ")
}

/// The text files of a crate directory (sources in any language, no build output).
fn text_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    files_with_extensions(dir, &["rs", "cu", "cuh", "h", "c", "f90", "py", "toml"])
}

/// Every line of `files`, trimmed: what students already have, when the files are theirs. A
/// file that cannot be read is an error naming it (its lines would be missed, not known).
pub fn trimmed_lines(files: &[PathBuf]) -> anyhow::Result<BTreeSet<String>> {
    let mut lines = BTreeSet::new();
    for file in files {
        let text =
            fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        lines.extend(text.lines().map(|line| line.trim().to_string()));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_keeps_code_and_decodes_entities() {
        let html = "<pre><code class=\"language-rust\">let v = a &lt; b &amp;&amp; c;\n\
                    <span class=\"boring\">fn hidden() -&gt; u8 {}</span></code></pre>";
        assert_eq!(html_text(html), "let v = a < b && c;\nfn hidden() -> u8 {}");
    }

    #[test]
    fn solution_code_is_found_however_the_page_writes_it() {
        let line = "let offset = self.offset + stride * (len - 1);";
        let secret = BTreeMap::from([(line.to_string(), "solutions/a.rs:1".to_string())]);
        for page in [
            // Numeric references, a no-break space, a line split by highlighting spans.
            "<pre><code>let&nbsp;offset = self.offset + stride &#x2A; (len &#45; 1);</code></pre>",
            "<code><span class=hljs-keyword>let</span> offset = self.offset + stride * (len - 1);</code>",
            // Hidden in a comment: whoever views the page's source reads it.
            "<!--\nlet offset = self.offset + stride * (len - 1);\n-->",
        ] {
            let found = page_problems(page, &secret);
            assert_eq!(found.len(), 1, "{page}: {found:#?}");
        }
    }

    #[test]
    fn evidence_is_long_specific_code() {
        assert!(is_evidence(
            "let offset = self.offset + stride * (len - 1);"
        ));
        assert!(!is_evidence("}"));
        assert!(!is_evidence("Ok(())"));
        assert!(!is_evidence("// a comment that is long enough to count"));
    }

    #[test]
    fn a_page_with_solution_code_or_names_is_reported() {
        let secret = BTreeMap::from([(
            "let offset = self.offset + stride * (len - 1);".to_string(),
            "solutions/01-strides/src/strided.rs:40".to_string(),
        )]);
        let page = "Exercise 1\n    let offset = self.offset + stride * (len - 1);\n\
                    cargo test -p strides-solution\nsee solutions/01-strides\n\
                    cargo test -p strides";
        let found = page_problems(page, &secret);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(
            found
                .iter()
                .any(|problem| problem.contains("strided.rs:40")),
            "{found:#?}"
        );
        assert!(page_problems("cargo test -p strides", &secret).is_empty());
    }
}
