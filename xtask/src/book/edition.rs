//! The book's two editions, made from the same sources in `book/`.
//!
//! - The **student edition** (what the handout ships) says what to build: the concept, the math,
//!   the stubs' signatures, the tests to run, the hints one per fold. It never shows a solution.
//! - The **reference edition** adds the solution walkthroughs, for instructors and for releasing
//!   after a deadline.
//!
//! A chapter marks what only one edition shows with HTML comments, each alone on its line:
//!
//! ```markdown
//! <!-- reference -->
//! {{#include ../../../../solutions/01-strides/src/strided.rs:strided_new}}
//! <!-- /reference -->
//!
//! <!-- student -->
//! Once your tests pass, `cargo bench -p strides --bench transpose` measures your code.
//! <!-- /student -->
//! ```
//!
//! and folds an exercise's hints in with `{{#hints EXERCISE}}` alone on a line: one `<details>`
//! per hint of `exercises/<lab>/hints/EXERCISE.md`, where `<lab>` is the page's directory
//! (`book/src/labs/<lab>/`), so the book shows them one at a time as `cargo xtask hint` does.
//!
//! [`stage`] writes an edition's sources to `target/xtask/book/<edition>/` with the markers
//! resolved; mdbook then builds it like any book. `{{#include}}` paths are made absolute there,
//! since the staged pages no longer sit where the relative paths were written from.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::normalize;

use crate::hint::file as hints;
use crate::lint::{files_where, rel};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    Student,
    Reference,
}

impl Edition {
    pub const ALL: [Edition; 2] = [Edition::Student, Edition::Reference];

    /// The directory name of the edition, in the staging area and under `book/build/`.
    pub fn name(self) -> &'static str {
        match self {
            Edition::Student => "student",
            Edition::Reference => "reference",
        }
    }

    /// The marker of the regions this edition keeps (and the other one drops).
    fn own_marker(self) -> &'static str {
        self.name()
    }
}

/// The markers that open and close an edition's region.
const MARKERS: [&str; 2] = ["reference", "student"];

/// Where an edition's staged sources go.
pub fn staging_dir(root: &Path, edition: Edition) -> PathBuf {
    crate::workspace::target_dir(root)
        .join("xtask/book")
        .join(edition.name())
}

/// Writes the edition's book (book.toml, theme/, src/) to [`staging_dir`], Markdown resolved,
/// every other file copied; returns the staged book's directory. Stale files are removed.
pub fn stage(root: &Path, edition: Edition) -> Result<PathBuf> {
    let book = root.join("book");
    let out = staging_dir(root, edition);
    if out.exists() {
        fs::remove_dir_all(&out).with_context(|| format!("clearing {}", out.display()))?;
    }
    for file in files_where(&book, |_| true)? {
        let relative = file.strip_prefix(&book).expect("walked under book/");
        if relative.starts_with("build") {
            continue;
        }
        let dest = out.join(relative);
        fs::create_dir_all(dest.parent().expect("a file has a parent"))?;
        if file.extension().is_some_and(|ext| ext == "md") {
            let text =
                fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let page = Page {
                root,
                path: &file,
                lab: lab_of(&book.join("src"), &file),
            };
            let staged = page
                .resolve(&text, edition)
                .map_err(|why| anyhow::anyhow!("{}: {why}", rel(root, &file)))?;
            fs::write(&dest, staged)?;
        } else {
            fs::copy(&file, &dest).with_context(|| format!("copying {}", file.display()))?;
        }
    }
    Ok(out)
}

/// The lab a page belongs to: the directory under `labs/` it sits in (`labs/01-strides/x.md`).
fn lab_of(src: &Path, page: &Path) -> Option<String> {
    let mut parts = page.strip_prefix(src).ok()?.components();
    (parts.next()?.as_os_str() == "labs").then_some(())?;
    let lab = parts.next()?.as_os_str().to_string_lossy().into_owned();
    parts.next().is_some().then_some(lab)
}

/// One Markdown file being staged.
pub struct Page<'a> {
    pub root: &'a Path,
    /// The page's path in `book/src` (relative includes are resolved from its directory).
    pub path: &'a Path,
    pub lab: Option<String>,
}

impl Page<'_> {
    /// The page's text for `edition`: regions kept or dropped, hints folded in, include paths
    /// made absolute. The student edition also drops HTML comments (notes for maintainers,
    /// which may name the solutions' files). Fails on an unbalanced marker or a hints file that
    /// does not parse.
    pub fn resolve(&self, text: &str, edition: Edition) -> Result<String, String> {
        let mut out = String::with_capacity(text.len());
        let mut open: Option<(&str, usize)> = None;
        let mut in_comment = false;
        // Inside a fenced code block a marker is an example of one (this book documents them).
        let mut fence: Option<&str> = None;
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let trimmed = line.trim_start();
            let fence_line = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
            if let Some(marker) = fence_line {
                fence = match fence {
                    Some(open) if open == marker => None,
                    Some(open) => Some(open),
                    None => Some(marker),
                };
            }
            let dropped = open.is_some_and(|(marker, _)| marker != edition.own_marker());
            if fence.is_some() || fence_line.is_some() {
                if !dropped {
                    out.push_str(&self.absolute_includes(line));
                    out.push('\n');
                }
                continue;
            }
            let region = region_marker(line);
            if edition == Edition::Student
                && region.is_none()
                && (in_comment || trimmed.starts_with("<!--"))
            {
                in_comment = !line.contains("-->");
                continue;
            }
            if let Some((marker, closing)) = region {
                match (open, closing) {
                    (None, false) => open = Some((marker, number)),
                    (Some((opened, _)), true) if opened == marker => open = None,
                    (Some((opened, at)), _) => {
                        return Err(format!(
                            "line {number}: `{}` inside the `{opened}` region opened at line \
                             {at}: close it first with `<!-- /{opened} -->` (regions do not nest)",
                            line.trim()
                        ));
                    }
                    (None, true) => {
                        return Err(format!(
                            "line {number}: `{}` closes a region that was never opened",
                            line.trim()
                        ));
                    }
                }
                continue;
            }
            if dropped {
                continue;
            }
            if let Some(exercise) = hints_directive(line) {
                out.push_str(&self.hints(exercise)?);
            } else {
                out.push_str(&self.absolute_includes(line));
            }
            out.push('\n');
        }
        if let Some((marker, at)) = open {
            return Err(format!(
                "the `{marker}` region opened at line {at} is never closed: add \
                 `<!-- /{marker} -->` on a line of its own"
            ));
        }
        Ok(out)
    }

    /// One fold per hint, as `cargo xtask hint` shows them.
    fn hints(&self, exercise: &str) -> Result<String, String> {
        let Some(lab) = &self.lab else {
            return Err(format!(
                "`{{{{#hints {exercise}}}}}` outside a lab's directory: put the page under \
                 book/src/labs/<lab>/"
            ));
        };
        let path = hints::path(&self.root.join("exercises").join(lab), exercise);
        let list = hints::read(&path).map_err(|why| {
            format!(
                "{{{{#hints {exercise}}}}}: {}: {why}",
                rel(self.root, &path)
            )
        })?;
        let mut out = String::new();
        for hint in &list {
            out.push_str(&format!(
                "<details>\n<summary>Hint {} of {}: {}</summary>\n\n{}\n\n</details>\n\n",
                hint.number,
                list.len(),
                html_escape(&hint.title),
                hint.body
            ));
        }
        Ok(out.trim_end().to_string())
    }

    /// `{{#include ../x.rs:anchor}}` with the path made absolute (from the page's directory).
    fn absolute_includes(&self, line: &str) -> String {
        let dir = self.path.parent().unwrap_or(self.root);
        let mut out = String::new();
        let mut rest = line;
        while let Some(start) = rest.find("{{#") {
            // `\{{#include ...}}` is mdbook's escape: shown as written, never resolved.
            let escaped = rest[..start].ends_with('\\');
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            if escaped {
                out.push_str("{{#");
                rest = &rest[3..];
                continue;
            }
            let Some(end) = rest.find("}}") else { break };
            let inner = &rest[3..end];
            let (kind, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
            let args = args.trim();
            let (file, anchor) = match args.split_once(':') {
                Some((file, anchor)) => (file, Some(anchor)),
                None => (args, None),
            };
            let absolute = normalize(&dir.join(file));
            // A file of the book itself is staged too (its regions resolved, its comments
            // dropped): the relative path finds the staged copy. Anything else is read where
            // it is.
            let outside_book = !absolute.starts_with(self.root.join("book"));
            if matches!(kind, "include" | "rustdoc_include")
                && !file.starts_with('/')
                && outside_book
            {
                out.push_str(&format!("{{{{#{kind} {}", absolute.display()));
                if let Some(anchor) = anchor {
                    out.push_str(&format!(":{anchor}"));
                }
                out.push_str("}}");
            } else {
                out.push_str(&rest[..end + 2]);
            }
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }
}

/// `<!-- reference -->` → ("reference", false); `<!-- /student -->` → ("student", true).
fn region_marker(line: &str) -> Option<(&'static str, bool)> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let (closing, name) = match inner.strip_prefix('/') {
        Some(name) => (true, name.trim()),
        None => (false, inner),
    };
    MARKERS
        .iter()
        .find(|marker| **marker == name)
        .map(|marker| (*marker, closing))
}

/// `{{#hints strided_view}}` alone on a line → `strided_view`.
fn hints_directive(line: &str) -> Option<&str> {
    let inner = line.trim().strip_prefix("{{#hints")?.strip_suffix("}}")?;
    let exercise = inner.trim();
    (!exercise.is_empty() && !exercise.contains(char::is_whitespace)).then_some(exercise)
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests;
