//! One sharing rule: what a lab's stub and solution share is one file in
//! `exercises/NN/src/given/`, taken by the solution with `#[path]`; what labs
//! share is one module of the `support/` crate. So:
//!
//! - no file is in both trees of a lab, byte for byte (`exercises/NN/x` and
//!   `solutions/NN/x`), except the test and bench shims (`tests/*.rs`,
//!   `benches/*.rs`); a stub file differs from its solution, a copy does not;
//! - no `#[path]` or `include!` reaches outside its own crate's tree, except
//!   from `solutions/NN` into `exercises/NN`'s `given/` files or the shims'
//!   shared tests and benches;
//! - no `.rs` file is the same code in two labs (leading comments aside).
//!
//! Only violations are reported: a tree that follows the rule adds no count.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::{files_where, listed, read_or_fail, rel, rust_files_under};
use crate::report::Tally;
use crate::workspace::{self, normalize};

const SIDES: [&str; 2] = ["exercises", "solutions"];

/// Checks the labs named in `only` (all when empty) against the sharing rule.
pub fn check(root: &Path, only: &[String], tally: &mut Tally) {
    let wanted = |lab: &String| only.is_empty() || only.contains(lab);
    let mut labs: Vec<String> = SIDES
        .iter()
        // An unreadable side is already lint.rs's failure; here it only has no labs.
        .flat_map(|side| workspace::lab_dirs(root, side).unwrap_or_default())
        .collect();
    labs.sort();
    labs.dedup();
    for lab in labs.iter().filter(|lab| wanted(lab)) {
        check_twins(root, lab, tally);
        for side in SIDES {
            for file in listed(tally, rust_files_under(&root.join(side).join(lab))) {
                check_reaches(root, side, lab, &file, tally);
            }
        }
    }
    check_across_labs(root, &labs, &wanted, tally);
}

/// A file of `exercises/{lab}` that `solutions/{lab}` has again, byte for byte.
fn check_twins(root: &Path, lab: &str, tally: &mut Tally) {
    let stub_dir = root.join("exercises").join(lab);
    for stub in listed(tally, files_where(&stub_dir, |_| true)) {
        let relative = rel(&stub_dir, &stub);
        let twin = root.join("solutions").join(lab).join(&relative);
        let shim = ["tests/", "benches/"].iter().any(|dir| {
            relative
                .strip_prefix(dir)
                .is_some_and(|name| !name.contains('/') && name.ends_with(".rs"))
        });
        let text = match fs::read(&stub) {
            Ok(text) => text,
            Err(error) => {
                tally.fail(format!("cannot read {}: {error}", rel(root, &stub)));
                continue;
            }
        };
        if shim || code_of(&String::from_utf8_lossy(&text)).is_empty() {
            continue;
        }
        if fs::read(&twin).is_ok_and(|twin_text| twin_text == text) {
            tally.fail(format!(
                "exercises/{lab}/{relative} and solutions/{lab}/{relative} are the same file: \
                 keep one, move it to exercises/{lab}/src/given/ and take it with #[path] in \
                 the solution (`#[path = \"../../../exercises/{lab}/src/given/...\"]`; for a \
                 build script, Cargo.toml's `build = \"...\"`)"
            ));
        }
    }
}

/// Every `#[path]` and `include!` of `file`, in `side`/`lab`, reaches a file its crate may take.
fn check_reaches(root: &Path, side: &str, lab: &str, file: &Path, tally: &mut Tally) {
    let Some(text) = read_or_fail(tally, root, file) else {
        return;
    };
    let dir = file.parent().unwrap_or(root);
    for (number, target) in reaches(&text) {
        let resolved = normalize(&dir.join(target));
        let at = format!("{}:{number}", rel(root, file));
        if let Some(why) = refusal(root, side, lab, &resolved) {
            tally.fail(format!("{at}: `{target}` {why}"));
        }
    }
}

/// Why `side`/`lab` may not take `target` by path, or None when it may.
fn refusal(root: &Path, side: &str, lab: &str, target: &Path) -> Option<String> {
    let Ok(inside) = target.strip_prefix(root) else {
        return Some("reaches outside the repository: keep the file in the lab".into());
    };
    let parts: Vec<String> = inside
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    let (target_side, target_lab, rest) = match parts.as_slice() {
        [target_side, target_lab, rest @ ..] if SIDES.contains(&target_side.as_str()) => {
            (target_side.as_str(), target_lab.as_str(), rest)
        }
        _ => {
            return Some(format!(
                "reaches {}, outside the labs: depend on the crate (e.g. `support`) instead",
                inside.display()
            ));
        }
    };
    if target_lab != lab {
        return Some(format!(
            "reaches into lab {target_lab}: move what both labs use to support/ and depend on \
             it, or, if only this lab uses it, to exercises/{lab}/src/given/"
        ));
    }
    let shared_test = matches!(rest, [dir, name] if (dir == "tests" || dir == "benches") && name.ends_with(".rs"));
    let given = rest.iter().any(|part| part == "given");
    match (side, target_side) {
        (side, target) if side == target => None,
        ("solutions", "exercises") if given || shared_test => None,
        ("solutions", _) => Some(format!(
            "takes a file of exercises/{lab} that is not given: move it to \
             exercises/{lab}/src/given/ and take it with #[path]"
        )),
        _ => Some(format!(
            "reaches into solutions/{lab}, which students do not have: move the shared file to \
             exercises/{lab}/src/given/"
        )),
    }
}

/// `.rs` files of two labs that are the same code, leading comments aside: each pair once,
/// when at least one of its labs is wanted.
fn check_across_labs(
    root: &Path,
    labs: &[String],
    wanted: &dyn Fn(&String) -> bool,
    tally: &mut Tally,
) {
    let mut seen: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    for lab in labs {
        for side in SIDES {
            for file in listed(tally, rust_files_under(&root.join(side).join(lab))) {
                let Some(text) = read_or_fail(tally, root, &file) else {
                    continue;
                };
                let code = code_of(&text);
                if code.is_empty() {
                    continue;
                }
                match seen.get(&code) {
                    Some((first_lab, first)) if first_lab != lab => {
                        if wanted(first_lab) || wanted(lab) {
                            tally.fail(format!(
                                "{} and {} are the same code in two labs: move it to support/ \
                                 and use it from both",
                                rel(root, first),
                                rel(root, &file)
                            ));
                        }
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(code, (lab.clone(), file));
                    }
                }
            }
        }
    }
}

/// The text from its first line that is code: leading blank and `//` lines dropped.
fn code_of(text: &str) -> String {
    let mut lines = text.lines().skip_while(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with("//")
    });
    let first = lines.next().unwrap_or_default();
    lines.fold(first.to_string(), |code, line| code + "\n" + line)
}

/// Each `#[path = "..."]`, `include!("...")`, `include_str!("...")` and
/// `include_bytes!("...")` with a literal path, with its line number. Comment
/// lines are skipped; a path built by a macro (`concat!`) is not a literal.
fn reaches(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        for opener in ["#[path", "include!(", "include_str!(", "include_bytes!("] {
            for (at, _) in line.match_indices(opener) {
                let rest = line[at + opener.len()..].trim_start();
                let rest = match opener {
                    "#[path" => rest.strip_prefix('=').map(str::trim_start),
                    _ => Some(rest),
                };
                let literal = rest
                    .and_then(|rest| rest.strip_prefix('"'))
                    .and_then(|rest| rest.split_once('"'))
                    .map(|(path, _)| path);
                if let Some(path) = literal {
                    found.push((number + 1, path));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests;
