//! `cargo xtask book`: install the pinned mdbook tools if needed, build the book, and (for
//! `check`) scan the built HTML for broken internal links and network references.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Result, bail};

use crate::cargo::{self, cargo_error};
use crate::html::{Token, css_urls, tokens};
use crate::lint::{files_under, read_or_fail, rel};
use crate::report::Tally;
use crate::workspace::normalize;

pub mod browser;
pub mod edition;
pub mod leaks;

pub use edition::Edition;

/// Pinned because the book's config and the KaTeX CSS vendored in book/src/theme match them.
const TOOLS: [(&str, &str); 2] = [("mdbook", "0.5.4"), ("mdbook-katex", "0.10.0")];

/// Where an edition is built: `book/build/student/`, `book/build/reference/`.
pub fn build_dir(root: &Path, edition: Edition) -> PathBuf {
    root.join("book/build").join(edition.name())
}

/// The `index.html` of each edition, once built.
pub struct Built {
    pub student: PathBuf,
    pub reference: PathBuf,
}

impl Built {
    pub fn index(&self, edition: Edition) -> &Path {
        match edition {
            Edition::Student => &self.student,
            Edition::Reference => &self.reference,
        }
    }
}

/// Installs a pinned tool when the one on PATH is missing or another version.
pub fn ensure_tools(root: &Path) -> Result<()> {
    for (tool, version) in TOOLS {
        let found = Command::new(tool)
            .arg("--version")
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
            .unwrap_or_default();
        // `mdbook v0.5.4`, `mdbook-katex 0.10.0`
        if found
            .split_whitespace()
            .any(|word| word.trim_start_matches('v') == version)
        {
            continue;
        }
        eprintln!(
            "Installing {tool} {version} (found: {}): the book needs exactly this version. \
             This compiles it from source and takes a few minutes, once.",
            if found.trim().is_empty() {
                "none"
            } else {
                found.trim()
            }
        );
        let status = cargo::command(root)
            .args(["install", "--locked", "--version", version, tool])
            .status()?;
        if !status.success() {
            bail!("`cargo install --locked --version {version} {tool}` failed (see above)");
        }
    }
    Ok(())
}

/// Builds both editions (see [`edition`]); on failure the error says what mdbook said.
pub fn build(root: &Path) -> Result<Built> {
    ensure_tools(root)?;
    Ok(Built {
        student: build_edition(root, Edition::Student)?,
        reference: build_edition(root, Edition::Reference)?,
    })
}

/// Stages one edition's sources and runs `mdbook build` on them; returns its `index.html`.
pub fn build_edition(root: &Path, edition: Edition) -> Result<PathBuf> {
    let staged = edition::stage(root, edition)?;
    let out = build_dir(root, edition);
    let result = cargo::output(
        Command::new("mdbook")
            .arg("build")
            .arg(&staged)
            .arg("--dest-dir")
            .arg(&out)
            .current_dir(root),
    )?;
    if !result.status.success() {
        bail!(
            "`mdbook build` of the {} edition (staged from book/ in {}) failed:\n{}",
            edition.name(),
            staged.display(),
            cargo_error(&String::from_utf8_lossy(&result.stderr))
        );
    }
    Ok(out.join("index.html"))
}

/// Scans every built HTML and CSS file; one check per file. Identical problems found in many
/// files (a broken link in the sidebar) are reported once, with the files they occur in.
pub fn scan(root: &Path, build: &Path) -> Tally {
    let mut problems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut tally = Tally::default();
    for ext in ["html", "css"] {
        let files = files_under(build, ext).unwrap_or_else(|error| {
            tally.fail(format!(
                "{error:#}: the built book cannot be listed to scan it"
            ));
            Vec::new()
        });
        for file in files {
            let Some(text) = read_or_fail(&mut tally, build, &file) else {
                continue;
            };
            let found = if ext == "html" {
                scan_html(build, &file, &text)
            } else {
                scan_css(build, &file, &text)
            };
            if found.is_empty() {
                tally.pass();
            }
            for problem in found {
                problems.entry(problem).or_default().push(rel(build, &file));
            }
        }
    }
    for (problem, mut files) in problems {
        files.dedup();
        let shown = files.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        let more = files.len().saturating_sub(3);
        let more = if more > 0 {
            format!(" (+{more} more)")
        } else {
            String::new()
        };
        tally.fail(format!(
            "{problem}\n  in {}/{{{shown}}}{more}",
            rel(root, build)
        ));
    }
    tally
}

/// Problems in one HTML page.
pub fn scan_html(build: &Path, file: &Path, html: &str) -> Vec<String> {
    let tokens = tokens(html);
    // mdbook's 404 page sets `<base href="/">`: its links are relative to the book's root.
    let base = match tokens.iter().find_map(|t| base_href(t)) {
        Some(href) if href.starts_with('/') => build.to_path_buf(),
        _ => file.parent().unwrap_or(build).to_path_buf(),
    };
    let mut found = Vec::new();
    for token in &tokens {
        match token {
            Token::Tag { name, .. } => {
                for attr in ["href", "src"] {
                    if let Some(url) = token.attr(attr) {
                        found.extend(check_url(build, &base, name, url));
                    }
                }
                if let Some(style) = token.attr("style") {
                    found.extend(scan_css_text(build, &base, style));
                }
                if token
                    .attr("class")
                    .is_some_and(|c| c.split(' ').any(|c| c == "katex-error"))
                {
                    found.push(format!(
                        "KaTeX could not render `{}`: fix the math in the chapter",
                        token.attr("title").unwrap_or("?")
                    ));
                }
            }
            Token::Style(css) => found.extend(scan_css_text(build, &base, css)),
            Token::Text(text) if text.contains("$$") => found.push(
                "un-rendered `$$` math: the katex preprocessor did not run (book.toml \
                 [preprocessor.katex], mdbook-katex 0.10.0 on PATH)"
                    .into(),
            ),
            Token::Text(_) => {}
        }
    }
    found
}

pub fn scan_css(build: &Path, file: &Path, css: &str) -> Vec<String> {
    scan_css_text(build, file.parent().unwrap_or(build), css)
}

fn scan_css_text(build: &Path, base: &Path, css: &str) -> Vec<String> {
    css_urls(css)
        .iter()
        .filter_map(|url| check_url(build, base, "css url()", url))
        .collect()
}

fn base_href(token: &Token) -> Option<&str> {
    match token {
        Token::Tag { name, .. } if name == "base" => token.attr("href"),
        _ => None,
    }
}

/// None when `url`, found on `tag`, is fine: an internal link that resolves, or a plain `<a>`
/// to another site (a citation). Anything else the page loads must be inside the book.
fn check_url(build: &Path, base: &Path, tag: &str, url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if url.is_empty()
        || url.starts_with('#')
        || ["mailto:", "javascript:", "data:", "tel:"]
            .iter()
            .any(|s| lower.starts_with(s))
    {
        return None;
    }
    let has_scheme = url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    if has_scheme || url.starts_with("//") {
        return (tag != "a").then(|| {
            format!(
                "network reference <{tag}> `{url}`: the book must work offline; vendor the file \
                 under book/src/theme/ and link it relatively"
            )
        });
    }
    let path = url.split(['#', '?']).next().unwrap_or_default();
    if path.is_empty() {
        return None;
    }
    let path = percent_decode(path);
    let target = match path.strip_prefix('/') {
        Some(from_root) => normalize(&build.join(from_root)),
        None => normalize(&base.join(&path)),
    };
    if !target.starts_with(build) {
        return Some(format!(
            "<{tag}> `{url}` points outside the built book: link inside book/src"
        ));
    }
    let exists = target.is_file() || target.join("index.html").is_file();
    let fix = match tag {
        "a" => {
            "fix the link in the chapter (link chapters by their .md file, relative to the chapter)"
        }
        "css url()" => "vendor the missing file next to the stylesheet, under book/src/theme/",
        _ => "add the file under book/src or fix its path (relative to the chapter)",
    };
    (!exists).then(|| format!("broken link <{tag}> `{url}`: no such file in the build; {fix}"))
}

pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = text
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests;
