use std::fs;

use super::*;

/// A built book in a temp directory: index.html, a chapter, a stylesheet, a font.
struct Built {
    temp: tempfile::TempDir,
}

impl Built {
    fn new(test: &str) -> Built {
        let temp = tempfile::Builder::new()
            .prefix(&format!("xtask-book-{test}-"))
            .tempdir()
            .unwrap();
        let dir = temp.path();
        for (path, text) in [
            (
                "index.html",
                "<a href=\"labs/01-strides.html#views\">lab 1</a>",
            ),
            ("labs/01-strides.html", "<p>x</p>"),
            ("css/book.css", "@font-face{src:url(\"../fonts/a.woff2\")}"),
            ("fonts/a.woff2", ""),
            ("img/buffer with space.svg", "<svg/>"),
        ] {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        Built { temp }
    }

    fn dir(&self) -> &Path {
        self.temp.path()
    }

    fn page(&self, html: &str) -> Vec<String> {
        scan_html(self.dir(), &self.dir().join("labs/01-strides.html"), html)
    }
}

#[test]
fn a_good_build_passes_every_file() {
    let built = Built::new("good");
    let tally = scan(built.dir(), built.dir());
    assert!(tally.failures.is_empty(), "{:#?}", tally.failures);
    assert_eq!(tally.passed, 3);
}

#[test]
fn internal_links_resolve_with_fragments_queries_and_escapes() {
    let built = Built::new("resolve");
    let html = "<a href=\"../index.html?highlight=x#top\">up</a><a href=\"#views\">here</a>\
                <img src=\"../img/buffer%20with%20space.svg\"><a href=\"mailto:a@b.c\">mail</a>";
    assert_eq!(built.page(html), Vec::<String>::new());
}

#[test]
fn a_broken_relative_link_fails() {
    let built = Built::new("broken");
    let problems = built.page("<a href=\"02-missing.html#x\">next</a>");
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].contains("broken link <a> `02-missing.html#x`"),
        "{problems:?}"
    );
    let outside = built.page("<img src=\"../../secret.png\">");
    assert!(
        outside[0].contains("points outside the built book"),
        "{outside:?}"
    );
}

#[test]
fn a_cdn_stylesheet_or_script_fails() {
    let built = Built::new("cdn");
    let html = "<link rel=\"stylesheet\" href=\"https://cdn.jsdelivr.net/npm/katex/katex.min.css\">\
                <script src=\"//cdn.example.org/x.js\"></script>";
    let problems = built.page(html);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("network reference <link>"),
        "{problems:?}"
    );
    assert!(
        problems[1].contains("vendor the file under book/src/theme/"),
        "{problems:?}"
    );
}

#[test]
fn network_urls_in_css_fail() {
    let built = Built::new("css");
    let css = "@font-face{src:url(https://fonts.example.com/a.woff2)}";
    let problems = scan_css(built.dir(), &built.dir().join("css/book.css"), css);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("network reference <css url()>"),
        "{problems:?}"
    );
    let inline = built.page("<div style=\"background: url('//x.org/a.png')\"></div>");
    assert_eq!(inline.len(), 1, "{inline:?}");
}

#[test]
fn an_external_citation_link_is_allowed() {
    let built = Built::new("citation");
    assert!(
        built
            .page("<a href=\"https://doi.org/10.1109/MCSE.2011.37\">NumPy</a>")
            .is_empty()
    );
}

#[test]
fn katex_errors_and_unrendered_math_fail() {
    let built = Built::new("katex");
    let error = built.page("<span class=\"katex-error\" title=\"ParseError: \\frac\">x</span>");
    assert!(
        error[0].contains("KaTeX could not render `ParseError: \\frac`"),
        "{error:?}"
    );
    let raw = built.page("<p>$$ a_{ij} $$</p>");
    assert!(raw[0].contains("un-rendered `$$` math"), "{raw:?}");
    assert!(built.page("<pre><code>echo $$</code></pre>").is_empty());
}

#[test]
fn a_base_href_makes_links_relative_to_the_book_root() {
    let built = Built::new("base");
    let html = "<base href=\"/\"><a href=\"labs/01-strides.html\">lab</a>";
    assert!(built.page(html).is_empty());
}

#[test]
fn a_page_that_cannot_be_walked_or_read_fails_naming_it() {
    let built = Built::new("unreadable");
    fs::write(built.dir().join("labs/bytes.html"), [0xff, 0xfe]).unwrap();
    let tally = scan(built.dir(), built.dir());
    assert_eq!(tally.failures.len(), 1, "{:#?}", tally.failures);
    assert!(
        tally.failures[0].contains("labs/bytes.html cannot be read"),
        "{:#?}",
        tally.failures
    );

    std::os::unix::fs::symlink("nowhere", built.dir().join("gone.html")).unwrap();
    let tally = scan(built.dir(), built.dir());
    assert!(
        tally
            .failures
            .iter()
            .any(|failure| failure.contains("gone.html")),
        "{:#?}",
        tally.failures
    );
}
