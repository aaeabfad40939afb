//! A lab's pages in the book: short pages, not one scroll. In `book/src/labs/<lab>/`:
//!
//! - `index.md`, the landing page (lab.toml's `chapter`): what you will learn, prerequisites,
//!   time, the exercises;
//! - `<exercise>.md` for each exercise of lab.toml, named after its test file;
//! - at least one `measured*.md`, the measurements, placed after the exercises they measure;
//! - `takeaway.md`, the recap and its quiz.
//!
//! Every page is listed in SUMMARY.md, so that mdbook renders it and the reader finds it.

use std::path::Path;

use crate::report::Tally;
use crate::workspace::LabToml;

pub fn check(root: &Path, lab: &str, meta: &LabToml, tally: &mut Tally) {
    let dir = format!("labs/{lab}");
    let landing = format!("{dir}/index.md");
    tally.check(meta.chapter == landing, || {
        format!(
            "exercises/{lab}/lab.toml: `chapter` is `{}`; a lab's landing page is `{landing}`, \
             with one page per exercise beside it",
            meta.chapter
        )
    });
    let src = root.join("book/src");
    let summary = super::read_or_fail(tally, root, &src.join("SUMMARY.md")).unwrap_or_default();
    let listed = summary_links(&summary);
    let mut wanted: Vec<(String, String)> = vec![(landing.clone(), "the landing page".into())];
    for exercise in &meta.exercises {
        wanted.push((
            format!("{dir}/{exercise}.md"),
            format!("the page of exercise `{exercise}`"),
        ));
    }
    wanted.push((format!("{dir}/takeaway.md"), "the take-away page".into()));
    for (page, what) in &wanted {
        let exists = src.join(page).is_file();
        tally.check(exists && listed.contains(page), || {
            let missing = if exists {
                "is not listed in book/src/SUMMARY.md"
            } else {
                "is missing"
            };
            format!("book/src/{page} ({what} of lab {lab}) {missing}")
        });
    }
    let measured: Vec<&String> = listed
        .iter()
        .filter(|link| {
            link.strip_prefix(&format!("{dir}/"))
                .is_some_and(|name| name.starts_with("measured") && name.ends_with(".md"))
        })
        .collect();
    tally.check(!measured.is_empty(), || {
        format!(
            "lab {lab} has no measured page: write book/src/{dir}/measured.md (tables, charts, the \
             machine and date) and list it in SUMMARY.md after the exercises it measures"
        )
    });
}

/// The targets of SUMMARY.md's links, `./` removed.
pub fn summary_links(summary: &str) -> Vec<String> {
    summary
        .split("](")
        .skip(1)
        .filter_map(|link| link.split(')').next())
        .map(|link| link.trim().trim_start_matches("./").to_string())
        .collect()
}
