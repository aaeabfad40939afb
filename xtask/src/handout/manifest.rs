//! The handout's workspace files: the root Cargo.toml without `solutions/*`, and Cargo.lock
//! without the solution packages (what cargo itself would write, so `--locked` holds).

use anyhow::{Result, bail};

/// What `members` and `default-members` say in the handout, with the comments above them.
pub(super) const MEMBERS: &str = "\
# The student handout: the labs to solve (exercises/) and the course's commands (xtask/).
members = [\"exercises/*\", \"xtask\"]";
pub(super) const DEFAULT_MEMBERS: &str = "\
# `cargo test` at the root runs the tests of every lab: they fail until the stubs are done.
default-members = [\"exercises/*\"]";

/// The root Cargo.toml with the workspace's `members` and `default-members` (and the comment
/// lines right above them) replaced; everything else (profiles, lints, shared dependency
/// versions) is kept byte for byte, so the handout builds its dependencies exactly as the
/// instructor's tree does.
pub fn student_manifest(text: &str) -> Result<String> {
    let mut out: Vec<&str> = Vec::new();
    let mut comments: Vec<&str> = Vec::new();
    let mut table = String::new();
    let mut skipping_array = false;
    let mut in_members = false;
    let mut wrote_default = false;
    // Members named one by one under exercises/ (a lab's nested crate, such as lab 6's Python
    // extension, which the `exercises/*` glob does not reach) stay members in the handout.
    let mut nested: Vec<String> = Vec::new();
    let mut collect = |line: &str, in_members: bool| {
        if in_members {
            nested.extend(
                line.split('"')
                    .skip(1)
                    .step_by(2)
                    .filter(|m| m.starts_with("exercises/") && !m.contains('*'))
                    .map(str::to_owned),
            );
        }
    };
    for line in text.lines() {
        if skipping_array {
            collect(line, in_members);
            skipping_array = !line.contains(']');
            continue;
        }
        let code = line.trim();
        if code.starts_with('[') {
            if table == "workspace" && !wrote_default {
                // At the end of [workspace], before the blank lines that separate it.
                let blank = out.iter().rev().take_while(|l| l.trim().is_empty()).count();
                let at = out.len() - blank;
                out.splice(at..at, DEFAULT_MEMBERS.lines());
                wrote_default = true;
            }
            table = code.trim_matches(['[', ']']).trim().to_string();
        }
        if table == "workspace" && code.starts_with('#') {
            comments.push(line);
            continue;
        }
        let key = code.split('=').next().unwrap_or_default().trim();
        if table == "workspace" && (key == "members" || key == "default-members") {
            comments.clear();
            let value = code.split_once('=').map_or("", |(_, value)| value);
            skipping_array = value.contains('[') && !value.contains(']');
            in_members = key == "members";
            collect(value, in_members);
            if key == "members" {
                out.extend(MEMBERS.lines());
            } else {
                out.extend(DEFAULT_MEMBERS.lines());
                wrote_default = true;
            }
            continue;
        }
        out.append(&mut comments);
        out.push(line);
    }
    out.append(&mut comments);
    if table == "workspace" && !wrote_default {
        out.extend(DEFAULT_MEMBERS.lines());
    }
    let mut manifest = out.join("\n") + "\n";
    let mut members = vec!["exercises/*".to_string()];
    members.extend(nested);
    members.push("xtask".into());
    if members.len() > 2 {
        let quoted: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
        manifest = manifest.replacen(
            "members = [\"exercises/*\", \"xtask\"]",
            &format!("members = [{}]", quoted.join(", ")),
            1,
        );
    }

    // The rewrite is textual, to keep the comments; make sure it said what it meant to.
    let parsed: toml::Table = toml::from_str(&manifest)
        .map_err(|error| anyhow::anyhow!("the handout's Cargo.toml does not parse: {error}"))?;
    let list = |key: &str| -> Vec<String> {
        parsed
            .get("workspace")
            .and_then(|w| w.get(key))
            .and_then(|v| v.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    if list("members") != members || list("default-members") != ["exercises/*"] {
        bail!(
            "could not rewrite the workspace members of Cargo.toml for the handout (got members \
             {:?}, default-members {:?}): keep them as one-line `members = [...]` and \
             `default-members = [...]` under [workspace]",
            list("members"),
            list("default-members")
        );
    }
    Ok(manifest)
}

/// Cargo.lock without the `[[package]]` entries of `packages` (local packages: no `source`),
/// and without dependency lines naming them.
pub fn prune_lock(text: &str, packages: &[String]) -> String {
    let is_dropped = |block: &str| {
        block.starts_with("[[package]]")
            && !block.lines().any(|line| line.starts_with("source = "))
            && block.lines().any(|line| {
                line.strip_prefix("name = ")
                    .is_some_and(|name| packages.iter().any(|p| name.trim_matches('"') == p))
            })
    };
    let names_dropped = |line: &str| {
        let item = line.trim().trim_end_matches(',').trim_matches('"');
        let name = item.split(' ').next().unwrap_or_default();
        line.starts_with(' ') && packages.iter().any(|p| p == name)
    };
    let blocks: Vec<String> = text
        .trim_end()
        .split("\n\n")
        .filter(|block| !is_dropped(block))
        .map(|block| {
            block
                .lines()
                .filter(|line| !names_dropped(line))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    blocks.join("\n\n") + "\n"
}
