//! A small HTML tokenizer: just enough to find tags, their attributes, inline `<style>` text
//! and the text outside `<pre>`/`<code>`. mdbook's output is well-formed, so no parser crate.

#[derive(Debug, PartialEq)]
pub enum Token<'a> {
    Tag {
        name: String,
        attrs: Vec<(String, String)>,
    },
    /// The raw text inside `<style>...</style>`.
    Style(&'a str),
    /// Text outside `<pre>`, `<code>` and `<script>` (where `$$` would be un-rendered math).
    Text(&'a str),
}

impl Token<'_> {
    pub fn attr(&self, wanted: &str) -> Option<&str> {
        match self {
            Token::Tag { attrs, .. } => attrs
                .iter()
                .find(|(name, _)| name == wanted)
                .map(|(_, value)| value.as_str()),
            _ => None,
        }
    }
}

pub fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut code_depth = 0usize;
    let mut at = 0;
    while at < html.len() {
        let Some(open) = html[at..].find('<').map(|i| at + i) else {
            if code_depth == 0 {
                tokens.push(Token::Text(&html[at..]));
            }
            break;
        };
        if code_depth == 0 && open > at {
            tokens.push(Token::Text(&html[at..open]));
        }
        let rest = &html[open..];
        if rest.starts_with("<!--") {
            at = skip_past(html, open, "-->");
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            at = skip_past(html, open, ">");
        } else if let Some(closing) = rest.strip_prefix("</") {
            let name = tag_name(closing);
            if matches!(name.as_str(), "pre" | "code") {
                code_depth = code_depth.saturating_sub(1);
            }
            at = skip_past(html, open, ">");
        } else {
            let (name, attrs, end) = parse_tag(html, open + 1);
            at = end;
            if name.is_empty() {
                // A lone `<` in text.
                continue;
            }
            if matches!(name.as_str(), "pre" | "code") {
                code_depth += 1;
            }
            let raw_text = matches!(name.as_str(), "script" | "style");
            tokens.push(Token::Tag {
                name: name.clone(),
                attrs,
            });
            if raw_text {
                let close = format!("</{name}");
                let end = find_ignore_case(&html[at..], &close).map_or(html.len(), |i| at + i);
                if name == "style" {
                    tokens.push(Token::Style(&html[at..end]));
                }
                at = end;
            }
        }
    }
    tokens
}

fn skip_past(html: &str, from: usize, marker: &str) -> usize {
    html[from..]
        .find(marker)
        .map_or(html.len(), |i| from + i + marker.len())
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

fn tag_name(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Parses `name attr="v" attr2=v attr3>` starting just after `<`; returns the end (past `>`).
fn parse_tag(html: &str, start: usize) -> (String, Vec<(String, String)>, usize) {
    let bytes = html.as_bytes();
    let name = tag_name(&html[start..]);
    let mut i = start + name.len();
    let mut attrs = Vec::new();
    if name.is_empty() {
        return (name, attrs, start);
    }
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return (name, attrs, (i + 1).min(html.len()));
        }
        let name_start = i;
        while i < bytes.len() && !b" \t\r\n=>/".contains(&bytes[i]) {
            i += 1;
        }
        let attr = html[name_start..i].to_ascii_lowercase();
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            let quote = bytes.get(i).copied().filter(|q| *q == b'"' || *q == b'\'');
            let value_start = i + usize::from(quote.is_some());
            let end = match quote {
                Some(q) => html[value_start..].find(q as char).map(|e| value_start + e),
                None => html[value_start..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .map(|e| value_start + e),
            }
            .unwrap_or(html.len());
            value = decode_entities(&html[value_start..end]);
            i = end + usize::from(quote.is_some());
        }
        attrs.push((attr, value));
    }
}

/// The entities that occur in URLs.
fn decode_entities(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The targets of `url(...)` and `@import "..."` in CSS text.
pub fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for (at, _) in css.match_indices("url(") {
        if let Some(end) = css[at + 4..].find(')') {
            urls.push(unquote(&css[at + 4..at + 4 + end]));
        }
    }
    for (at, _) in css.match_indices("@import") {
        let rest = css[at + 7..].trim_start();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'')
            && let Some(end) = rest[1..].find(quote)
        {
            urls.push(rest[1..1 + end].to_string());
        }
    }
    urls
}

fn unquote(text: &str) -> String {
    text.trim().trim_matches(['"', '\'']).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(name: &str, attrs: &[(&str, &str)]) -> Token<'static> {
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
                Token::Text("t"),
                tag("style", &[]),
                Token::Style("p{background:url(b.png)}"),
                tag("script", &[]),
                tag("pre", &[]),
                tag("code", &[]),
                Token::Text("after"),
            ]
        );
    }

    #[test]
    fn finds_css_urls_and_imports() {
        let css =
            "@import \"https://cdn/x.css\";\n@font-face{src:url('fonts/a.woff2') format('woff2')}";
        assert_eq!(css_urls(css), vec!["fonts/a.woff2", "https://cdn/x.css"]);
    }
}
