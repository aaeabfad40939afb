//! The walk over a parsed file: what it has met and found so far, and what a path or a `use`
//! item stands for. The walk itself: syn's syntax tree (`visit.rs`), and the token streams syn
//! leaves unparsed (macro calls, `macro_rules!` bodies, attribute arguments: `tokens.rs`).
//!
//! Lines: every identifier and string literal the walk meets is counted by its text, in source
//! order, so that a finding anchored on "the 3rd `exit`" has the line `Lines` lists for it.

use std::collections::HashMap;

use syn::visit::Visit;
use syn::{Path, UseTree};

use super::imports::Imports;
use super::lines::Lines;
use super::rules::{self, Arg, Hit};

/// A pattern found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// 1-based; 0 when not known.
    pub line: usize,
    pub pattern: &'static str,
    pub why: String,
    /// The token it was found at: an identifier, or a string literal as written.
    pub anchor: String,
    /// The line's code, trimmed (filled in by `scan_file`).
    pub code: String,
}

pub struct Scanner<'a> {
    lines: &'a Lines,
    imports: &'a Imports,
    /// How many of each identifier, and of each string literal, the walk has met.
    idents: HashMap<String, usize>,
    strings: HashMap<String, usize>,
    /// Above 0 while walking paths that are not code: attribute and macro names.
    pub(super) quiet: usize,
    pub found: Vec<Found>,
}

impl<'a> Scanner<'a> {
    pub fn new(lines: &'a Lines, imports: &'a Imports) -> Self {
        Scanner {
            lines,
            imports,
            idents: HashMap::new(),
            strings: HashMap::new(),
            quiet: 0,
            found: Vec::new(),
        }
    }

    /// Counts an identifier met; returns which of its text's occurrences it is (0-based).
    pub(super) fn note(&mut self, text: &str) -> usize {
        let count = self.idents.entry(text.to_string()).or_default();
        *count += 1;
        *count - 1
    }

    /// Which occurrence of `text` the next one met will be.
    pub(super) fn peek(&self, text: &str) -> usize {
        self.idents.get(text).copied().unwrap_or(0)
    }

    pub(super) fn at_ident(&mut self, text: &str, nth: usize, hit: Hit) {
        let line = self.lines.ident(text, nth);
        self.push(line, text, hit);
    }

    fn push(&mut self, line: usize, anchor: &str, hit: Hit) {
        self.found.push(Found {
            line,
            pattern: hit.pattern,
            why: hit.why,
            anchor: anchor.to_string(),
            code: String::new(),
        });
    }

    /// A string literal met: `repr` as written, `value` decoded.
    pub(super) fn string(&mut self, repr: String, value: &str) {
        let count = self.strings.entry(repr.clone()).or_default();
        *count += 1;
        let nth = *count - 1;
        if let Some(hit) = rules::literal(value) {
            let line = self.lines.string(&repr, nth);
            self.push(line, &repr, hit);
        }
    }

    /// A path as written, through the file's imports.
    pub(super) fn path_hit(&self, written: &[String]) -> Option<Hit> {
        self.imports
            .candidates(written)
            .iter()
            // `fs` alone, where `use std::fs;` is in scope, is a variable named `fs`.
            .filter(|path| written.len() > 1 || !rules::is_module(path))
            .find_map(|path| rules::path(path))
    }

    pub(super) fn call_hit(&self, written: &[String], arg: &Arg) -> Option<Hit> {
        let candidates = self.imports.candidates(written);
        candidates.iter().find_map(|path| rules::env_var(path, arg))
    }

    pub(super) fn macro_hit(&self, written: &[String], arg: &Arg) -> Option<Hit> {
        let candidates = self.imports.candidates(written);
        candidates
            .iter()
            .find_map(|path| rules::macro_call(path, arg))
    }

    /// A path's segments, then which occurrence of the first one it is.
    pub(super) fn quiet_path(&mut self, path: &Path) -> (Vec<String>, usize) {
        let written = segments(path);
        let nth = self.peek(&written[0]);
        self.quiet += 1;
        self.visit_path(path);
        self.quiet -= 1;
        (written, nth)
    }

    /// `use a::b::{c, d as e}`: each name imported is classified where it is written.
    pub(super) fn use_tree(
        &mut self,
        tree: &UseTree,
        prefix: &mut Vec<String>,
        parent: Option<(&str, usize)>,
    ) {
        let full = |prefix: &Vec<String>, name: &str| -> Vec<String> {
            let mut full = prefix.clone();
            if name != "self" {
                full.push(name.to_string());
            }
            full
        };
        match tree {
            UseTree::Path(path) => {
                let name = path.ident.to_string();
                let nth = self.note(&name);
                prefix.push(name.clone());
                self.use_tree(&path.tree, prefix, Some((&name, nth)));
                prefix.pop();
            }
            UseTree::Name(name) => {
                let text = name.ident.to_string();
                let nth = self.note(&text);
                let anchor = if text == "self" {
                    parent
                } else {
                    Some((text.as_str(), nth))
                };
                self.use_leaf(full(prefix, &text), anchor);
            }
            UseTree::Rename(rename) => {
                let text = rename.ident.to_string();
                let nth = self.note(&text);
                self.note(&rename.rename.to_string());
                let anchor = if text == "self" {
                    parent
                } else {
                    Some((text.as_str(), nth))
                };
                self.use_leaf(full(prefix, &text), anchor);
            }
            UseTree::Glob(_) => self.use_leaf(prefix.clone(), parent),
            UseTree::Group(group) => {
                for item in &group.items {
                    self.use_tree(item, prefix, parent);
                }
            }
        }
    }

    fn use_leaf(&mut self, path: Vec<String>, anchor: Option<(&str, usize)>) {
        let (Some((text, nth)), false) = (anchor, path.is_empty()) else {
            return;
        };
        let hit = self
            .imports
            .candidates(&path)
            .iter()
            .find_map(|p| rules::path(p));
        if let Some(hit) = hit {
            self.at_ident(text, nth, hit);
        }
    }
}

pub(super) fn segments(path: &Path) -> Vec<String> {
    let mut written: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    if written.is_empty() {
        written.push(String::new());
    }
    written
}
