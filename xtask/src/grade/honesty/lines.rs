//! Line numbers without span locations: syn's spans carry none here (proc-macro2's
//! `span-locations` feature is off), so a small lexer lists, in source order, the line of every
//! identifier and string literal of the file. The scanner counts the same tokens as it meets
//! them, so "the 3rd `exit` of the file" is a line (see `Scanner::note`).

use std::collections::HashMap;

/// Where each identifier and string literal of a file is: its text → the line (1-based) of each
/// occurrence, in source order. Comments are skipped; keywords count as identifiers; lifetimes,
/// numbers, characters and punctuation are not listed.
#[derive(Debug, Default)]
pub struct Lines {
    idents: HashMap<String, Vec<usize>>,
    /// By the literal as written, quotes, prefix and hashes included (`r#"..."#`, `b"..."`).
    strings: HashMap<String, Vec<usize>>,
}

impl Lines {
    /// The line of the `nth` (0-based) occurrence of identifier `text`.
    pub fn ident(&self, text: &str, nth: usize) -> usize {
        pick(self.idents.get(text), nth)
    }

    /// The line of the `nth` (0-based) occurrence of the string literal written `repr`.
    pub fn string(&self, repr: &str, nth: usize) -> usize {
        pick(self.strings.get(repr), nth)
    }

    pub fn of(source: &str) -> Lines {
        let c: Vec<char> = source.chars().collect();
        let at = |i: usize| c.get(i).copied().unwrap_or('\0');
        let text = |from: usize, to: usize| c[from..to].iter().collect::<String>();
        let mut lines = Lines::default();
        let (mut i, mut line) = (0, 1);
        while i < c.len() {
            let start = i;
            let here = line;
            if at(i) == '/' && at(i + 1) == '/' {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            } else if at(i) == '/' && at(i + 1) == '*' {
                let mut depth = 0;
                while i < c.len() {
                    if at(i) == '/' && at(i + 1) == '*' {
                        (depth, i) = (depth + 1, i + 2);
                    } else if at(i) == '*' && at(i + 1) == '/' {
                        (depth, i) = (depth - 1, i + 2);
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            } else if let Some((end, is_string)) = quoted(&c, i) {
                i = end;
                if is_string {
                    let repr = text(start, end);
                    lines.strings.entry(repr).or_default().push(here);
                }
            } else if at(i) == '\'' {
                // A character ('x', '\n', '\u{1F600}') or a lifetime or label ('a).
                i = match (at(i + 1), at(i + 2)) {
                    ('\\', _) => skip_quoted(&c, i + 3, '\''),
                    (_, '\'') => i + 3,
                    _ => word_end(&c, i + 1),
                };
            } else if is_word_start(at(i)) {
                let raw = at(i) == 'r' && at(i + 1) == '#' && is_word_start(at(i + 2));
                i = word_end(&c, if raw { i + 2 } else { i });
                lines.idents.entry(text(start, i)).or_default().push(here);
            } else if at(i).is_ascii_digit() {
                i = word_end(&c, i);
                while at(i) == '.' && at(i + 1).is_ascii_digit() {
                    i = word_end(&c, i + 1);
                }
            } else {
                i += 1;
            }
            line += c[start..i.min(c.len())]
                .iter()
                .filter(|&&ch| ch == '\n')
                .count();
        }
        lines
    }
}

fn pick(lines: Option<&Vec<usize>>, nth: usize) -> usize {
    let Some(lines) = lines else { return 0 };
    lines.get(nth).or(lines.last()).copied().unwrap_or(0)
}

fn is_word_start(ch: char) -> bool {
    ch == '_' || ch.is_alphabetic()
}

fn word_end(c: &[char], mut i: usize) -> usize {
    while i < c.len() && (c[i] == '_' || c[i].is_alphanumeric()) {
        i += 1;
    }
    i
}

/// Past the closing `close` of a literal whose body starts at `i` (backslash escapes).
fn skip_quoted(c: &[char], mut i: usize, close: char) -> usize {
    while i < c.len() && c[i] != close {
        i += if c[i] == '\\' { 2 } else { 1 };
    }
    (i + 1).min(c.len())
}

/// A string literal (`"…"`, `r#"…"#`, `b"…"`, `br"…"`, `c"…"`, `cr"…"`, with any suffix) or a
/// byte character (`b'x'`) starting at `i`: its end, and whether it is a string.
fn quoted(c: &[char], i: usize) -> Option<(usize, bool)> {
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let mut j = i;
    if matches!(at(j), 'b' | 'c') {
        j += 1;
    }
    let end = if at(j) == 'r' && matches!(at(j + 1), '"' | '#') {
        let hashes = c[j + 1..].iter().take_while(|&&ch| ch == '#').count();
        let mut k = j + 1 + hashes;
        if at(k) != '"' {
            return None;
        }
        k += 1;
        loop {
            if k >= c.len() {
                break c.len();
            }
            if c[k] == '"'
                && c[k + 1..]
                    .iter()
                    .take(hashes)
                    .filter(|&&h| h == '#')
                    .count()
                    == hashes
            {
                break k + 1 + hashes;
            }
            k += 1;
        }
    } else if at(j) == '"' {
        skip_quoted(c, j + 1, '"')
    } else if at(i) == 'b' && at(j) == '\'' {
        return Some((skip_quoted(c, j + 1, '\''), false));
    } else {
        return None;
    };
    Some((word_end(c, end), true))
}
