//! The built book's HTML and CSS, read as a browser reads them: HTML by `html5gum` (a WHATWG
//! tokenizer: character references, unquoted attributes, comments, the raw text of `<script>`
//! and `<style>`, any case of tag names), CSS by `cssparser` (CSS Syntax Level 3 tokens).

use std::collections::BTreeMap;

use cssparser::{ParseError, Parser};
use html5gum::{DefaultEmitter, Tokenizer};

/// What the book's checks need of a page, in document order.
#[derive(Debug, PartialEq)]
pub enum Token {
    /// A start tag: its lowercase name and attributes (names lowercase, values decoded; of a
    /// repeated attribute the first, as a browser keeps).
    Tag {
        name: String,
        attrs: BTreeMap<String, String>,
    },
    /// The raw text inside `<style>...</style>`.
    Style(String),
    /// Text outside `<pre>`, `<code>`, `<script>` and `<style>` (where `$$` would be un-rendered
    /// math), character references decoded.
    Text(String),
}

impl Token {
    /// The value of a tag's attribute `wanted` (lowercase).
    pub fn attr(&self, wanted: &str) -> Option<&str> {
        match self {
            Token::Tag { attrs, .. } => attrs.get(wanted).map(String::as_str),
            _ => None,
        }
    }
}

/// html5gum's tokens of `html`, parse errors left out (the tokenizer recovers from them as a
/// browser does). The tokenizer alone does not know that `<script>` and `<style>` hold raw
/// text (the tree builder decides that): the naive switch by tag name does it for it.
fn raw_tokens(html: &str) -> impl Iterator<Item = html5gum::Token> + '_ {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    Tokenizer::new_with_emitter(html, emitter).filter_map(|token| match token {
        Ok(html5gum::Token::Error(_)) => None,
        Ok(token) => Some(token),
        Err(never) => match never {},
    })
}

fn string(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The tags, inline styles and prose text of a page (see [`Token`]).
pub fn tokens(html: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    // Inside how many `<pre>`/`<code>`; the raw-text element (`script`, `style`) we are in.
    let mut code_depth = 0usize;
    let mut raw_text: Option<String> = None;
    for token in raw_tokens(html) {
        match token {
            html5gum::Token::StartTag(tag) => {
                let name = string(&tag.name);
                if matches!(name.as_str(), "pre" | "code") && !tag.self_closing {
                    code_depth += 1;
                }
                if matches!(name.as_str(), "script" | "style") && !tag.self_closing {
                    raw_text = Some(name.clone());
                }
                let attrs = tag
                    .attributes
                    .iter()
                    .map(|(name, value)| (string(name), string(&value.value)))
                    .collect();
                tokens.push(Token::Tag { name, attrs });
            }
            html5gum::Token::EndTag(tag) => {
                let name = string(&tag.name);
                if matches!(name.as_str(), "pre" | "code") {
                    code_depth = code_depth.saturating_sub(1);
                }
                if raw_text.as_deref() == Some(name.as_str()) {
                    raw_text = None;
                }
            }
            html5gum::Token::String(text) => match raw_text.as_deref() {
                Some("style") => tokens.push(Token::Style(string(&text.value))),
                Some(_) => {}
                None if code_depth == 0 => tokens.push(Token::Text(string(&text.value))),
                None => {}
            },
            html5gum::Token::Comment(_)
            | html5gum::Token::Doctype(_)
            | html5gum::Token::Error(_) => {}
        }
    }
    tokens
}

/// All the text of a page, code included, tags removed and character references decoded:
/// what the reader sees, and the comments too, which anyone sees who views the page's source.
/// Line breaks are kept.
pub fn text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    for token in raw_tokens(html) {
        if let html5gum::Token::String(piece) | html5gum::Token::Comment(piece) = token {
            text.push_str(&String::from_utf8_lossy(&piece.value));
        }
    }
    text
}

/// The targets of `url(...)` and `@import "..."` in CSS text, at any depth of blocks and
/// functions; comments and other strings are not references.
pub fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    collect_urls(&mut Parser::new(css), &mut urls);
    urls
}

fn collect_urls(parser: &mut Parser, urls: &mut Vec<String>) {
    use cssparser::Token as Css;
    let mut after_import = false;
    while let Ok(token) = parser.next() {
        let token = token.clone();
        match &token {
            Css::UnquotedUrl(url) => urls.push(url.to_string()),
            Css::QuotedString(url) if after_import => urls.push(url.to_string()),
            Css::Function(name) if name.eq_ignore_ascii_case("url") => {
                // `url("a.png")`: the quoted form is a function with one string argument.
                let _ = parser.parse_nested_block(|inner| -> Result<(), ParseError<()>> {
                    if let Ok(Css::QuotedString(url)) = inner.next() {
                        urls.push(url.to_string());
                    }
                    Ok(())
                });
            }
            Css::Function(_)
            | Css::ParenthesisBlock
            | Css::SquareBracketBlock
            | Css::CurlyBracketBlock => {
                let _ = parser.parse_nested_block(|inner| -> Result<(), ParseError<()>> {
                    collect_urls(inner, urls);
                    Ok(())
                });
            }
            _ => {}
        }
        after_import =
            matches!(&token, Css::AtKeyword(name) if name.eq_ignore_ascii_case("import"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(name: &str, attrs: &[(&str, &str)]) -> Token {
        Token::Tag {
            name: name.into(),
            attrs: attrs
                .iter()
                .map(|(a, v)| (a.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn reads_tags_attributes_styles_and_text_outside_code() {
        let html = "<!DOCTYPE html><!-- <a href=x> --><A HREF='a.html?q=1&amp;r=2' class=x>t</A>\
                    <style>p{background:url(b.png)}</style><script>if (a<b) {}</script>\
                    <pre><code>$$ in code</code></pre>after";
        assert_eq!(
            tokens(html),
            vec![
                tag("a", &[("href", "a.html?q=1&r=2"), ("class", "x")]),
                Token::Text("t".into()),
                tag("style", &[]),
                Token::Style("p{background:url(b.png)}".into()),
                tag("script", &[]),
                tag("pre", &[]),
                tag("code", &[]),
                Token::Text("after".into()),
            ]
        );
    }

    #[test]
    fn finds_css_urls_and_imports() {
        let css =
            "@import \"https://cdn/x.css\";\n@font-face{src:url('fonts/a.woff2') format('woff2')}";
        assert_eq!(css_urls(css), vec!["https://cdn/x.css", "fonts/a.woff2"]);
    }

    #[test]
    fn character_references_are_decoded_everywhere() {
        let html = "<a href=\"a&#x3C;b&#60;c&lt;d&quot;&AMP;e&amp\">&#x3C;T&#62;&nbsp;&eacute;</a>";
        assert_eq!(
            tokens(html),
            vec![
                tag("a", &[("href", "a<b<c<d\"&e&")]),
                Token::Text("<T>\u{a0}é".into()),
            ]
        );
        // A bare `&` that starts no reference is kept.
        assert_eq!(text("a & b &c; &#xZZ;"), "a & b &c; &#xZZ;");
    }

    #[test]
    fn unquoted_and_odd_attributes_read_as_a_browser_reads_them() {
        let html = "<IMG SRC=img/a.png alt=a data-x='1\"2' HIDDEN src=second.png>";
        assert_eq!(
            tokens(html),
            vec![tag(
                "img",
                &[
                    ("src", "img/a.png"),
                    ("alt", "a"),
                    ("data-x", "1\"2"),
                    ("hidden", ""),
                ]
            )]
        );
        // The first `>` ends the tag, unquoted value or not: the rest is text.
        assert_eq!(
            tokens("<p title=a>b c=d>"),
            vec![tag("p", &[("title", "a")]), Token::Text("b c=d>".into())]
        );
    }

    #[test]
    fn comments_hide_tags_but_not_from_the_source_text() {
        let html = "<p>a</p><!-- <a href=\"gone.html\"> -- > still the comment -->b";
        assert_eq!(
            tokens(html),
            vec![
                tag("p", &[]),
                Token::Text("a".into()),
                Token::Text("b".into())
            ]
        );
        assert_eq!(
            text(html),
            "a <a href=\"gone.html\"> -- > still the comment b"
        );
    }

    #[test]
    fn script_and_style_are_raw_text_whatever_they_hold() {
        let html = "<SCRIPT>if (a<b && c>d) { x = '<a href=\"no.html\">'; }</SCRIPT>\
                    <Style>a::after{content:'</b>'} p{background:url(\"c.png\")}</sTyLe>$$";
        assert_eq!(
            tokens(html),
            vec![
                tag("script", &[]),
                tag("style", &[]),
                Token::Style("a::after{content:'</b>'} p{background:url(\"c.png\")}".into()),
                Token::Text("$$".into()),
            ]
        );
    }

    #[test]
    fn text_keeps_code_and_line_breaks() {
        let html = "<pre><code class=\"language-rust\">let v = a &lt; b &amp;&amp; c;\n\
                    <span class=\"boring\">fn hidden() -&gt; u8 {}</span></code></pre>";
        assert_eq!(text(html), "let v = a < b && c;\nfn hidden() -> u8 {}");
    }

    #[test]
    fn css_comments_strings_and_escapes_are_not_urls() {
        let css = "/* url(commented.png) @import 'no.css'; */\n\
                   a::before{content:\"url(not-a-url.png)\"}\n\
                   @IMPORT url(imported.css);\n\
                   @media screen{b{background:URL( spaced.png )}}\n\
                   i{background:url(\"with\\\"quote.png\")}";
        assert_eq!(
            css_urls(css),
            vec!["imported.css", "spaced.png", "with\"quote.png"]
        );
    }
}
