//! The built book as readers see it: every page of both editions is rendered in headless
//! Chromium at a desktop and a phone width, in the light theme and a dark one, and measured.
//!
//! The rules (the page `browser/check.js` applies them, in the browser):
//! - **No sideways page.** Nothing may reach past the window's right edge unless it sits in a
//!   box that scrolls by itself and fits the window: a code block, a table's wrapper, a
//!   display-math box (the book's CSS, `book/src/theme/layout.css`, gives tables and display
//!   math such boxes). Code blocks that scroll are counted, as a note, not a failure.
//! - **Opaque SVGs.** An SVG shown in a page (an `<img>` of one, or inline) paints every pixel
//!   itself: a transparent background lets the theme through, and a chart's black text vanishes
//!   on the dark themes.
//! - **Legible figure text.** An SVG's smallest text, as shown, is at least [`MIN_TEXT_PX`] CSS
//!   px. At the desktop width figures are scaled to the column (750 px), so a chart must be
//!   drawn for it. On a phone, figures are not shrunk below their drawn width: they keep it in
//!   a box that scrolls sideways (layout.css), so their text stays the size it has on a
//!   desktop, and the same rule holds there.
//!
//! One browser runs the whole check: the checking page loads each book page in an iframe
//! (same origin, served by [`server`]), so a few hundred views take a minute or two.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::lint::files_under;
use crate::report::Tally;

mod server;

/// The window widths, in CSS px: a desktop with the sidebar shown, and a phone.
pub const WIDTHS: [u32; 2] = [1280, 390];
/// The themes: mdbook's default and the dark theme book.toml prefers.
pub const THEMES: [&str; 2] = ["light", "navy"];
/// The smallest legible text in a figure, in CSS px.
pub const MIN_TEXT_PX: f64 = 11.0;

/// The names Debian and others give the browser; CI installs Debian's `chromium`.
const BROWSERS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

/// Pages not rendered: `print.html` is every chapter again on one page, `toc.html` is the
/// sidebar for readers without JavaScript, and `404.html` resolves its links from the site's
/// root (`<base href="/">`), which the check serves each edition under a folder of.
const SKIPPED: [&str; 3] = ["print.html", "toc.html", "404.html"];

/// The browser on PATH, if any.
pub fn browser() -> Option<&'static str> {
    BROWSERS
        .into_iter()
        .find(|name| course::workspace::on_path(name))
}

/// One site to check: its name (the folder it is served under) and its built files.
pub struct Edition<'a> {
    pub name: &'a str,
    pub dir: &'a Path,
}

/// What the checking page reports.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Report {
    views: usize,
    problems: Vec<Finding>,
    notes: Vec<Finding>,
    error: Option<String>,
}

/// One finding in one view (page, width, theme).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct Finding {
    page: String,
    width: u32,
    theme: String,
    rule: String,
    element: String,
    detail: String,
}

/// Renders every page of `editions` and applies the rules; one check per view, and one failure
/// per distinct problem naming the views it occurs in.
pub fn check(editions: &[Edition]) -> Result<Tally> {
    let Some(browser) = browser() else {
        bail!(
            "no Chromium on PATH ({}): install it (`apt-get install chromium` on Debian) to \
             check the book's layout",
            BROWSERS.join(", ")
        );
    };
    let pages = pages(editions)?;
    let report = render(browser, editions, &pages)?;
    Ok(tally(&report, pages.len()))
}

/// Every HTML page of each edition, as `<edition>/<path>`, in order.
fn pages(editions: &[Edition]) -> Result<Vec<String>> {
    let mut pages = Vec::new();
    for edition in editions {
        for file in files_under(edition.dir, "html")? {
            let relative = file.strip_prefix(edition.dir).unwrap_or(&file);
            let name = relative.to_string_lossy().replace('\\', "/");
            if !SKIPPED.contains(&name.as_str()) {
                pages.push(format!("{}/{name}", edition.name));
            }
        }
    }
    pages.sort();
    Ok(pages)
}

/// Serves the editions and the checking page, runs the browser on it, and waits for its report.
fn render(browser: &str, editions: &[Edition], pages: &[String]) -> Result<Report> {
    let plan = serde_json::json!({
        "pages": pages,
        "widths": WIDTHS,
        "themes": THEMES,
        "minTextPx": MIN_TEXT_PX,
    });
    let site = server::Site {
        documents: vec![
            (
                "/__check/index.html".into(),
                "<!doctype html><meta charset=utf-8><body><script src=check.js></script>".into(),
            ),
            (
                "/__check/check.js".into(),
                include_str!("browser/check.js").into(),
            ),
            ("/__check/plan.json".into(), plan.to_string()),
        ],
        mounts: editions
            .iter()
            .map(|e| (format!("/{}/", e.name), e.dir.to_path_buf()))
            .collect(),
    };
    let server = server::start(site)?;
    let profile = tempfile::tempdir()?;
    let url = format!("http://127.0.0.1:{}/__check/index.html", server.port);
    let mut child = launch(browser, profile.path(), &url)?;
    // Generous: a view takes a fraction of a second even on a busy 2-core machine.
    let views = pages.len() * WIDTHS.len() * THEMES.len();
    let limit = Duration::from_secs(60 + 2 * views as u64);
    let received = server.reports.recv_timeout(limit);
    let _ = child.kill();
    let _ = child.wait();
    let body = received.map_err(|_| {
        anyhow::anyhow!(
            "{browser} sent no report within {} s for {views} views",
            limit.as_secs()
        )
    })?;
    let report: Report =
        serde_json::from_slice(&body).context("reading the checking page's report")?;
    if let Some(error) = &report.error {
        bail!("the checking page failed in {browser}: {error}");
    }
    Ok(report)
}

/// Headless, offline, with a throw-away profile. `--no-sandbox`: CI runs as root, where
/// Chromium's sandbox refuses to start; the pages are the book's own.
fn launch(browser: &str, profile: &Path, url: &str) -> Result<Child> {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--window-size=1400,1000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {browser}"))
}

/// One check per view; each distinct problem fails once, naming where it is seen.
fn tally(report: &Report, pages: usize) -> Tally {
    let mut tally = Tally::default();
    let mut problems: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
    for finding in &report.problems {
        problems
            .entry(format!("{} {}", finding.element, finding.detail))
            .or_default()
            .push(finding);
    }
    let failed_views: std::collections::BTreeSet<(&str, u32, &str)> = report
        .problems
        .iter()
        .map(|f| (f.page.as_str(), f.width, f.theme.as_str()))
        .collect();
    for _ in 0..report.views.saturating_sub(failed_views.len()) {
        tally.pass();
    }
    for (problem, seen) in problems {
        tally.fail(format!(
            "[{}] {problem}\n  seen on {}",
            seen[0].rule,
            where_seen(&seen)
        ));
    }
    let expected = pages * WIDTHS.len() * THEMES.len();
    tally.check(report.views == expected, || {
        format!(
            "the browser checked {} views of the {expected} planned",
            report.views
        )
    });
    for width in WIDTHS {
        let scrolling: std::collections::BTreeSet<(&str, &str)> = report
            .notes
            .iter()
            .filter(|n| n.rule == "code-scrolls" && n.width == width && n.theme == THEMES[0])
            .map(|n| (n.page.as_str(), n.element.as_str()))
            .collect();
        if !scrolling.is_empty() {
            tally.note(format!(
                "{} code block(s) scroll sideways at {width} px (inside their own box)",
                scrolling.len()
            ));
        }
    }
    tally
}

/// `student/a.html at 390 px (light, navy); reference/a.html at 390 px (light) (+3 more)`.
fn where_seen(seen: &[&Finding]) -> String {
    let mut views: BTreeMap<(&str, u32), Vec<&str>> = BTreeMap::new();
    for finding in seen {
        views
            .entry((finding.page.as_str(), finding.width))
            .or_default()
            .push(finding.theme.as_str());
    }
    let shown: Vec<String> = views
        .iter()
        .take(4)
        .map(|((page, width), themes)| format!("{page} at {width} px ({})", themes.join(", ")))
        .collect();
    let more = views.len().saturating_sub(shown.len());
    let more = if more > 0 {
        format!(" (+{more} more)")
    } else {
        String::new()
    };
    format!("{}{more}", shown.join("; "))
}

/// The built editions under `root`'s book/build, for `cargo xtask check`.
pub fn built_editions(root: &Path) -> Vec<(String, PathBuf)> {
    super::Edition::ALL
        .into_iter()
        .map(|edition| (edition.name().to_string(), super::build_dir(root, edition)))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;
