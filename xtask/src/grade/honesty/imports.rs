//! What a file's short names stand for: its `use` items (and `extern crate … as …`), taken
//! simply, for the whole file whatever the module or block they are in.

use std::collections::HashMap;

use syn::visit::{self, Visit};
use syn::{ItemExternCrate, ItemUse, UseTree};

use super::rules;

#[derive(Debug, Default)]
pub struct Imports {
    /// `exit` → `std::process::exit` (`use std::process::exit;`), `process` → `std::process`.
    aliases: HashMap<String, Vec<Vec<String>>>,
    /// `use std::fs::*;` → `std::fs`.
    globs: Vec<Vec<String>>,
}

impl Imports {
    pub fn of(file: &syn::File) -> Imports {
        let mut imports = Imports::default();
        imports.visit_file(file);
        imports.settle();
        imports
    }

    /// What a path as written may stand for, most likely first: through an alias of its first
    /// segment, else itself, and under each glob import for a name worth trying there.
    pub fn candidates(&self, written: &[String]) -> Vec<Vec<String>> {
        let Some(first) = written.first() else {
            return Vec::new();
        };
        if let Some(targets) = self.aliases.get(first) {
            return targets.iter().map(|t| join(t, &written[1..])).collect();
        }
        let mut candidates = vec![written.to_vec()];
        if rules::glob_name(first) {
            candidates.extend(self.globs.iter().map(|glob| join(glob, written)));
        }
        candidates
    }

    fn alias(&mut self, name: String, target: Vec<String>) {
        if target.is_empty() {
            return;
        }
        let targets = self.aliases.entry(name).or_default();
        if !targets.contains(&target) {
            targets.push(target);
        }
    }

    fn tree(&mut self, tree: &UseTree, prefix: &mut Vec<String>) {
        match tree {
            UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.tree(&path.tree, prefix);
                prefix.pop();
            }
            UseTree::Name(name) if name.ident == "self" => {
                if let Some(last) = prefix.last() {
                    self.alias(last.clone(), prefix.clone());
                }
            }
            UseTree::Name(name) => self.alias(
                name.ident.to_string(),
                join(prefix, &[name.ident.to_string()]),
            ),
            UseTree::Rename(rename) if rename.rename == "_" => {}
            UseTree::Rename(rename) => {
                let target = match rename.ident == "self" {
                    true => prefix.clone(),
                    false => join(prefix, &[rename.ident.to_string()]),
                };
                self.alias(rename.rename.to_string(), target);
            }
            UseTree::Glob(_) => self.globs.push(prefix.clone()),
            UseTree::Group(group) => {
                for item in &group.items {
                    self.tree(item, prefix);
                }
            }
        }
    }

    /// `use std::process; use process::exit;`: targets through other aliases, a few steps deep.
    fn settle(&mut self) {
        for _ in 0..4 {
            let before = self.aliases.clone();
            for (name, targets) in self.aliases.iter_mut() {
                let mut settled = Vec::new();
                for target in targets.iter() {
                    match before.get(&target[0]) {
                        Some(via) if target[0] != *name && target.len() > 1 => {
                            settled.extend(via.iter().map(|v| join(v, &target[1..])));
                        }
                        _ => settled.push(target.clone()),
                    }
                }
                *targets = settled;
            }
            let globs: Vec<Vec<String>> = self
                .globs
                .iter()
                .flat_map(|glob| self.candidates(glob))
                .collect();
            self.globs = globs;
        }
    }
}

impl<'ast> Visit<'ast> for Imports {
    fn visit_item_use(&mut self, node: &'ast ItemUse) {
        self.tree(&node.tree, &mut Vec::new());
    }

    fn visit_item_extern_crate(&mut self, node: &'ast ItemExternCrate) {
        if let Some((_, rename)) = &node.rename
            && node.ident != "self"
        {
            self.alias(rename.to_string(), vec![node.ident.to_string()]);
        }
        visit::visit_item_extern_crate(self, node);
    }
}

fn join(prefix: &[String], rest: &[String]) -> Vec<String> {
    prefix.iter().chain(rest).cloned().collect()
}
