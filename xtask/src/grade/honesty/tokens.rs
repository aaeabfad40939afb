//! Token streams that syn leaves unparsed: macro calls, `macro_rules!` bodies, attribute
//! arguments. The same patterns are looked for token by token: paths (`a::b::c`, resolved
//! through the file's imports), macro calls (`name!(…)`), `.method(…)`, `extern` blocks and
//! crates, `#[…]` attributes, string literals.
//!
//! The walk goes through syn's `Cursor`: proc-macro2's own types cannot be named here.

use syn::Lit;
use syn::buffer::Cursor;

use super::rules::{self, Arg};
use super::scanner::Scanner;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Expressions, items, anything.
    Code,
    /// An attribute's arguments; `names`: they are attributes themselves (`#[…]` as a whole,
    /// `unsafe(…)`, `cfg_attr(…)`), so `path`, `no_mangle`, … count as attributes there.
    Attr { names: bool },
}

/// A group at the cursor: its opening delimiter (`(`, `[`, `{`, or ` ` for an invisible one),
/// its inside, and what follows it.
fn group(cursor: Cursor<'_>) -> Option<(char, Cursor<'_>, Cursor<'_>)> {
    let (inside, delimiter, _, after) = cursor.any_group()?;
    // proc-macro2's `Delimiter` cannot be named here; its derived `Debug` names the variant.
    let open = match format!("{delimiter:?}").as_str() {
        "Parenthesis" => '(',
        "Bracket" => '[',
        "Brace" => '{',
        _ => ' ',
    };
    Some((open, inside, after))
}

fn punct(cursor: Cursor<'_>, ch: char) -> Option<Cursor<'_>> {
    cursor
        .punct()
        .filter(|(punct, _)| punct.as_char() == ch)
        .map(|(_, after)| after)
}

/// The first argument of a call or macro, from the cursor at the start of its arguments.
pub fn first_arg(cursor: Cursor<'_>) -> Arg {
    if cursor.eof() {
        return Arg::Missing;
    }
    let Some((literal, after)) = cursor.literal() else {
        return Arg::Other;
    };
    match Lit::new(literal) {
        Lit::Str(text) if after.eof() || punct(after, ',').is_some() => Arg::Str(text.value()),
        _ => Arg::Other,
    }
}

/// `r#"…"#`, `b"…"`, `c"…"` and the like, as written (not characters, numbers, booleans).
fn is_string(repr: &str) -> bool {
    ["\"", "r\"", "r#", "b\"", "br", "c\"", "cr"]
        .iter()
        .any(|prefix| repr.starts_with(prefix))
}

impl Scanner<'_> {
    pub(super) fn walk(&mut self, mut cursor: Cursor<'_>, mode: Mode) {
        let mut after_dot = false;
        let mut item_start = true;
        while !cursor.eof() {
            let (dot, start) = (after_dot, item_start);
            (after_dot, item_start) = (false, false);
            if let Some((_, after)) = cursor.lifetime() {
                cursor = after;
            } else if let Some((first, mut after)) = cursor.ident() {
                let mut written = vec![first.to_string()];
                while let Some(next) = punct(after, ':').and_then(|c| punct(c, ':'))
                    && let Some((segment, next)) = next.ident()
                {
                    written.push(segment.to_string());
                    after = next;
                }
                let nth = self.peek(&written[0]);
                written.iter().for_each(|segment| {
                    self.note(segment);
                });
                cursor = match mode {
                    Mode::Code => self.code_path(&written, nth, dot, after),
                    Mode::Attr { names } => self.attr_path(&written, nth, names && start, after),
                };
            } else if let Some((literal, after)) = cursor.literal() {
                let repr = literal.to_string();
                if is_string(&repr) {
                    match Lit::new(literal) {
                        Lit::Str(text) => self.string(repr, &text.value()),
                        Lit::ByteStr(bytes) => {
                            self.string(repr, &String::from_utf8_lossy(&bytes.value()))
                        }
                        Lit::CStr(text) => self.string(repr, &text.value().to_string_lossy()),
                        _ => {}
                    }
                }
                cursor = after;
            } else if let Some((punct, after)) = cursor.punct() {
                cursor = after;
                match punct.as_char() {
                    '.' => after_dot = true,
                    ',' => item_start = true,
                    '#' => cursor = self.attribute(after).unwrap_or(after),
                    _ => {}
                }
            } else if let Some((_, inside, after)) = group(cursor) {
                let inner = match mode {
                    Mode::Code => Mode::Code,
                    Mode::Attr { .. } => Mode::Attr { names: false },
                };
                self.walk(inside, inner);
                cursor = after;
            } else if let Some((_, after)) = cursor.token_tree() {
                cursor = after;
            } else {
                break;
            }
        }
    }

    /// A path in code, its identifiers counted; returns where the walk goes on.
    fn code_path<'c>(
        &mut self,
        written: &[String],
        nth: usize,
        dot: bool,
        after: Cursor<'c>,
    ) -> Cursor<'c> {
        let first = written[0].as_str();
        // `name!(…)`
        if let Some(bang) = punct(after, '!')
            && let Some((_, inside, rest)) = group(bang)
        {
            if let Some(hit) = self.macro_hit(written, &first_arg(inside)) {
                self.at_ident(first, nth, hit);
            }
            self.walk(inside, Mode::Code);
            return rest;
        }
        let call = group(after).filter(|(open, _, _)| *open == '(');
        let hit = if dot {
            call.and_then(|_| rules::method(first))
        } else if written == ["extern"] {
            let abi = after.literal().map(|(abi, rest)| (abi.to_string(), rest));
            let block = abi.as_ref().map_or(after, |(_, rest)| *rest);
            if after.ident().is_some_and(|(word, _)| word == "crate") {
                let name = after
                    .ident()
                    .and_then(|(_, c)| c.ident())
                    .map(|(name, _)| name.to_string());
                Some(rules::extern_crate(&name.unwrap_or_default()))
            } else if group(block).is_some_and(|(open, _, _)| open == '{') {
                let abi = abi.map(|(abi, _)| abi.trim_matches('"').to_string());
                Some(rules::extern_block(abi.as_deref(), &[]))
            } else {
                None
            }
        } else {
            call.and_then(|(_, inside, _)| self.call_hit(written, &first_arg(inside)))
                .or_else(|| self.path_hit(written))
        };
        if let Some(hit) = hit {
            self.at_ident(first, nth, hit);
        }
        after
    }

    /// A path in an attribute's arguments; `named`: where an attribute's name goes.
    fn attr_path<'c>(
        &mut self,
        written: &[String],
        nth: usize,
        named: bool,
        after: Cursor<'c>,
    ) -> Cursor<'c> {
        let name = match written.len() {
            1 => written[0].as_str(),
            _ => "",
        };
        // `doc = include_str!(…)`
        if let Some(bang) = punct(after, '!')
            && let Some((_, inside, rest)) = group(bang)
        {
            if let Some(hit) = self.macro_hit(written, &first_arg(inside)) {
                self.at_ident(&written[0], nth, hit);
            }
            self.walk(inside, Mode::Code);
            return rest;
        }
        if !named {
            return after;
        }
        if let Some(hit) = rules::attribute(name) {
            self.at_ident(name, nth, hit);
        }
        match group(after) {
            Some((_, inside, rest)) if rules::nests_attributes(name) => {
                self.walk(inside, Mode::Attr { names: true });
                rest
            }
            _ => after,
        }
    }

    /// `#[…]` or `#![…]`, from the cursor after `#`: where the walk goes on, if it is one.
    fn attribute<'c>(&mut self, after_hash: Cursor<'c>) -> Option<Cursor<'c>> {
        let at = punct(after_hash, '!').unwrap_or(after_hash);
        let (open, inside, rest) = group(at)?;
        if open != '[' {
            return None;
        }
        // Doc comments, which macros see as `#[doc = "…"]` and the lexer as comments.
        if inside.ident().is_none_or(|(name, _)| name != "doc") {
            self.walk(inside, Mode::Attr { names: true });
        }
        Some(rest)
    }
}
