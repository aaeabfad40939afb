//! The handout's workspace files, edited as TOML documents (toml_edit keeps every comment and
//! every byte it is not asked to change): the root Cargo.toml with only the shipped members,
//! Cargo.lock without the packages the handout has no use for (what cargo itself would write,
//! so `--locked` holds), and `.cargo/config.toml` with `cargo xtask` running `course`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use anyhow::{Context, Result, anyhow, bail};
use toml_edit::{Array, DocumentMut, Item, Table, Value};

/// The comments above `members` and `default-members` in the handout.
const MEMBERS_COMMENT: &str = "\
# The student handout: the labs to solve (exercises/) and the course's commands (course/).
";
const DEFAULT_MEMBERS_COMMENT: &str = "\
# `cargo test` at the root runs the tests of every lab: they fail until the stubs are done.
";
/// What `cargo xtask` runs in the handout: the students' commands, not xtask (not shipped).
pub const STUDENT_ALIAS: &str = "run --quiet --package course --";

/// The root Cargo.toml for the handout: `members` keeps the instructor's members inside the
/// shipped top-level directories (`shipped`: `exercises`, `course`, `support`, ...), in their
/// order, plus any shipped directory that is a crate and is not listed yet; `default-members`
/// is the labs. Everything else (profiles, lints, shared dependency versions) is kept as it
/// is, so the handout builds its dependencies exactly as the instructor's tree does.
/// `is_crate` says whether a shipped top-level directory holds a Cargo.toml.
pub fn student_manifest(
    text: &str,
    shipped: &[&str],
    is_crate: impl Fn(&str) -> bool,
) -> Result<String> {
    let mut doc: DocumentMut = text.parse().context("parsing Cargo.toml")?;
    let workspace = doc
        .get_mut("workspace")
        .and_then(Item::as_table_mut)
        .ok_or_else(|| anyhow!("Cargo.toml has no [workspace] table"))?;
    let members = workspace
        .get_mut("members")
        .and_then(Item::as_array_mut)
        .ok_or_else(|| anyhow!("Cargo.toml's [workspace] has no `members` array"))?;
    let top = |member: &str| member.split('/').next().unwrap_or(member).to_string();
    members.retain(|member| {
        member
            .as_str()
            .is_some_and(|member| shipped.contains(&top(member).as_str()))
    });
    for dir in shipped {
        let listed = members
            .iter()
            .any(|m| m.as_str().is_some_and(|m| top(m) == *dir));
        if !listed && is_crate(dir) {
            members.push(*dir);
        }
    }
    members.fmt();
    set_comment(workspace, "members", MEMBERS_COMMENT);
    let mut labs = Array::new();
    labs.push("exercises/*");
    workspace.insert("default-members", Item::Value(Value::Array(labs)));
    set_comment(workspace, "default-members", DEFAULT_MEMBERS_COMMENT);
    Ok(doc.to_string())
}

/// Replaces the comment lines above `key` in `table` with `comment`.
fn set_comment(table: &mut Table, key: &str, comment: &str) {
    if let Some(mut key) = table.key_mut(key) {
        key.leaf_decor_mut().set_prefix(comment);
    }
}

/// `.cargo/config.toml` for the handout: the instructor's (`text`, when there is one) with its
/// `xtask` alias running `course`, the crate of the students' commands.
pub fn student_cargo_config(text: Option<&str>) -> Result<String> {
    let mut doc: DocumentMut = text
        .unwrap_or_default()
        .parse()
        .context("parsing .cargo/config.toml")?;
    let alias = doc
        .entry("alias")
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| anyhow!(".cargo/config.toml: `alias` is not a table"))?;
    alias.insert("xtask", toml_edit::value(STUDENT_ALIAS));
    set_comment(
        alias,
        "xtask",
        "# The students' commands: `cargo xtask progress`, `cargo xtask hint <lab>`, \
         `cargo xtask watch`.\n",
    );
    Ok(doc.to_string())
}

/// Every package of a Cargo.lock as `name version source` (source empty for a local one).
pub fn locked_packages(text: &str) -> Result<BTreeSet<String>> {
    let doc: DocumentMut = text.parse().context("parsing Cargo.lock")?;
    let Some(packages) = doc.get("package").and_then(Item::as_array_of_tables) else {
        return Ok(BTreeSet::new());
    };
    packages
        .iter()
        .map(|table| {
            let p = read_locked(table)?;
            Ok(format!(
                "{} {} {}",
                p.name,
                p.version,
                p.source.unwrap_or_default()
            ))
        })
        .collect()
}

/// One `[[package]]` of Cargo.lock.
struct Locked {
    name: String,
    version: String,
    source: Option<String>,
    dependencies: Vec<String>,
}

/// Cargo.lock for a workspace whose local packages are `kept`: the other local packages go, and
/// with them every registry package that nothing kept depends on any more; a dependency line
/// names its package as briefly as cargo would (`name`, or `name version` while two versions
/// are locked). The rest is left byte for byte. A package's dependency list also depends on
/// the features the dropped packages turned on (xtask's clap derive), which only cargo knows:
/// `settle_lock` lets it finish the file in the written handout.
pub fn prune_lock(text: &str, kept: &BTreeSet<String>) -> Result<String> {
    let mut doc: DocumentMut = text.parse().context("parsing Cargo.lock")?;
    let packages = doc
        .get_mut("package")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| anyhow!("Cargo.lock has no [[package]]"))?;
    let locked: Vec<Locked> = packages.iter().map(read_locked).collect::<Result<_>>()?;
    for name in kept {
        if !locked.iter().any(|p| p.source.is_none() && &p.name == name) {
            bail!("Cargo.lock has no local package `{name}`: update it (cargo metadata)");
        }
    }
    let reachable = reachable(&locked, kept)?;
    let mut index = 0;
    packages.retain(|_| {
        index += 1;
        reachable.contains(&(index - 1))
    });
    // How many versions (and sources) of each name are left decides how deps are written.
    let mut left: BTreeMap<&str, Vec<&Locked>> = BTreeMap::new();
    for (i, package) in locked.iter().enumerate() {
        if reachable.contains(&i) {
            left.entry(&package.name).or_default().push(package);
        }
    }
    for table in packages.iter_mut() {
        let Some(dependencies) = table.get_mut("dependencies").and_then(Item::as_array_mut) else {
            continue;
        };
        for dependency in dependencies.iter_mut() {
            let Some(line) = dependency.as_str() else {
                continue;
            };
            let target = resolve(&locked, line)?;
            let brief = brief_name(target, &left[target.name.as_str()]);
            if brief != line {
                let decor = dependency.decor().clone();
                *dependency = Value::from(brief);
                *dependency.decor_mut() = decor;
            }
        }
    }
    Ok(doc.to_string())
}

fn read_locked(table: &Table) -> Result<Locked> {
    let text = |key: &str| table.get(key).and_then(Item::as_str).map(str::to_owned);
    Ok(Locked {
        name: text("name").ok_or_else(|| anyhow!("Cargo.lock: a package has no name"))?,
        version: text("version").unwrap_or_default(),
        source: text("source"),
        dependencies: table
            .get("dependencies")
            .and_then(Item::as_array)
            .map(|deps| {
                deps.iter()
                    .filter_map(|d| d.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// The package a dependency line names: `name`, `name version` or `name version (source)`.
fn resolve<'a>(locked: &'a [Locked], line: &str) -> Result<&'a Locked> {
    let mut parts = line.splitn(3, ' ');
    let name = parts.next().unwrap_or_default();
    let version = parts.next();
    let source = parts.next().map(|s| s.trim_matches(['(', ')']));
    let mut matching = locked.iter().filter(|p| {
        p.name == name
            && version.is_none_or(|v| p.version == v)
            && source.is_none_or(|s| p.source.as_deref() == Some(s))
    });
    match (matching.next(), matching.next()) {
        (Some(package), None) => Ok(package),
        _ => bail!("Cargo.lock: the dependency `{line}` names no single package"),
    }
}

/// The indices of the packages that `roots` (local packages) need, directly or not.
fn reachable(locked: &[Locked], roots: &BTreeSet<String>) -> Result<BTreeSet<usize>> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<usize> = (0..locked.len())
        .filter(|&i| locked[i].source.is_none() && roots.contains(&locked[i].name))
        .collect();
    while let Some(i) = queue.pop_front() {
        if !seen.insert(i) {
            continue;
        }
        for line in &locked[i].dependencies {
            let target = resolve(locked, line)?;
            let at = locked
                .iter()
                .position(|p| std::ptr::eq(p, target))
                .expect("resolved within the list");
            queue.push_back(at);
        }
    }
    Ok(seen)
}

/// `name` when it is the only package of that name left, else `name version`, else the source
/// too: the shortest form that names one package, as cargo writes it.
fn brief_name(package: &Locked, same_name: &[&Locked]) -> String {
    if same_name.len() == 1 {
        return package.name.clone();
    }
    let same_version = same_name
        .iter()
        .filter(|p| p.version == package.version)
        .count();
    match (same_version, &package.source) {
        (1, _) | (_, None) => format!("{} {}", package.name, package.version),
        (_, Some(source)) => format!("{} {} ({source})", package.name, package.version),
    }
}
