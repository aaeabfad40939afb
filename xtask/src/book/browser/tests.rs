//! The rules proven on small pages, each with one known problem, in the real browser: the check
//! must find exactly that problem and nothing on the clean page. Without Chromium these tests
//! say "skipped" (CI installs it, so there they run).

use std::fs;
use std::path::Path;

use super::{Edition, browser, check};
use crate::report::Tally;

/// The shape of an mdbook page, reduced: a `main` column of at most 750 px.
fn page(body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=utf-8>\
         <meta name=viewport content='width=device-width'>\
         <style>body{{margin:0}} main{{max-width:750px;margin:0 auto;padding:0 15px}}\
         img{{max-width:100%}} pre{{overflow-x:auto}}</style></head>\
         <body><main>{body}</main></body></html>"
    )
}

const WHITE_BACKGROUND: &str = "<rect width='100%' height='100%' fill='white'/>";

fn svg(width: u32, background: &str, font_size: f64) -> String {
    format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='100' \
         viewBox='0 0 {width} 100'>{background}\
         <text x='10' y='50' font-size='{font_size}'>label</text></svg>"
    )
}

/// Renders one fixture site of `files`; None (after saying so) without Chromium.
fn rendered(test: &str, files: &[(&str, String)]) -> Option<Tally> {
    if browser().is_none() {
        eprintln!("skipped {test}: chromium not installed (apt-get install chromium)");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    Some(site(dir.path()))
}

/// Checks SVG figures (file name, text) as the book shows them: in a 750 px column, with the
/// book's own layout.css and the scrolling box theme/head.hbs puts each figure in. Each
/// figure's file is also kept in target/chart-samples/ to look at. None without Chromium.
pub(crate) fn figures_in_the_book(test: &str, figures: &[(&str, String)]) -> Option<Tally> {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/chart-samples");
    fs::create_dir_all(&samples).unwrap();
    let mut files = Vec::new();
    let mut body = String::new();
    for (name, text) in figures {
        fs::write(samples.join(name), text).unwrap();
        body.push_str(&format!(
            "<div class=figure-box><img src={name} width=100%></div>"
        ));
        files.push((*name, text.clone()));
    }
    let css = include_str!("../../../../book/theme/layout.css");
    let page = page(&body).replace("</head>", &format!("<style>{css}</style></head>"));
    files.push(("index.html", page));
    rendered(test, &files)
}

fn site(dir: &Path) -> Tally {
    check(&[Edition { name: "site", dir }]).unwrap()
}

fn failures_with(tally: &Tally, rule: &str) -> Vec<String> {
    let tag = format!("[{rule}]");
    tally
        .failures
        .iter()
        .filter(|f| f.starts_with(&tag))
        .cloned()
        .collect()
}

#[test]
fn a_clean_page_passes_every_view() {
    let long_line = "x".repeat(400);
    let Some(tally) = rendered(
        "a_clean_page_passes_every_view",
        &[
            (
                "index.html",
                page(&format!(
                    "<p>Text.</p><pre><code>{long_line}</code></pre><img src=ok.svg>"
                )),
            ),
            ("ok.svg", svg(300, WHITE_BACKGROUND, 14.0)),
        ],
    ) else {
        return;
    };
    assert!(tally.failures.is_empty(), "{:#?}", tally.failures);
    // 1 page × 2 widths × 2 themes, and the count of views itself.
    assert_eq!(tally.passed, 5);
    assert!(
        tally
            .notes
            .iter()
            .any(|n| n.contains("code block(s) scroll")),
        "the scrolling code block is counted: {:?}",
        tally.notes
    );
}

#[test]
fn a_wide_element_outside_a_scroll_box_fails_at_the_phone_width() {
    let Some(tally) = rendered(
        "a_wide_element_outside_a_scroll_box_fails_at_the_phone_width",
        &[(
            "wide.html",
            page("<div class=formula style='width:600px'>wide</div>"),
        )],
    ) else {
        return;
    };
    let found = failures_with(&tally, "overflow");
    assert_eq!(found.len(), 1, "{:#?}", tally.failures);
    assert!(
        found[0].contains("div.formula"),
        "names the element: {}",
        found[0]
    );
    assert!(
        found[0].contains("site/wide.html at 390 px (light, navy)"),
        "{}",
        found[0]
    );
    assert!(!found[0].contains("1280"), "fits at 1280 px: {}", found[0]);
}

#[test]
fn the_same_element_in_a_box_that_scrolls_passes() {
    let Some(tally) = rendered(
        "the_same_element_in_a_box_that_scrolls_passes",
        &[(
            "boxed.html",
            page("<div style='overflow-x:auto'><div style='width:600px'>wide</div></div>"),
        )],
    ) else {
        return;
    };
    assert!(tally.failures.is_empty(), "{:#?}", tally.failures);
}

#[test]
fn an_svg_without_a_background_fails() {
    let Some(tally) = rendered(
        "an_svg_without_a_background_fails",
        &[
            ("index.html", page("<img src=bare.svg>")),
            ("bare.svg", svg(300, "", 14.0)),
        ],
    ) else {
        return;
    };
    let found = failures_with(&tally, "svg-background");
    assert_eq!(found.len(), 1, "{:#?}", tally.failures);
    assert!(found[0].contains("src=\"bare.svg\""), "{}", found[0]);
    assert_eq!(tally.failures.len(), 1, "{:#?}", tally.failures);
}

#[test]
fn an_inline_svg_without_a_background_fails() {
    let Some(tally) = rendered(
        "an_inline_svg_without_a_background_fails",
        &[("index.html", page(&svg(300, "", 14.0)))],
    ) else {
        return;
    };
    assert_eq!(
        failures_with(&tally, "svg-background").len(),
        1,
        "{:#?}",
        tally.failures
    );
}

#[test]
fn chart_text_shrunk_below_11_px_fails_and_says_how_small() {
    // Drawn 960 wide with 12-unit text, shown 720 px wide: 9.0 px (360 px at the phone width,
    // where this page's column is narrower: 4.5 px).
    let Some(tally) = rendered(
        "chart_text_shrunk_below_11_px_fails_and_says_how_small",
        &[
            ("index.html", page("<img src=wide.svg style='width:720px'>")),
            ("wide.svg", svg(960, WHITE_BACKGROUND, 12.0)),
        ],
    ) else {
        return;
    };
    let found = failures_with(&tally, "svg-text");
    assert_eq!(found.len(), 2, "{:#?}", tally.failures);
    let desktop = found.iter().find(|f| f.contains("at 1280 px")).unwrap();
    assert!(desktop.contains("is 9.0 px as shown"), "{desktop}");
    assert!(desktop.contains("\"label\""), "{desktop}");
    assert!(
        found.iter().any(|f| f.contains("is 4.5 px as shown")),
        "{found:#?}"
    );
}
