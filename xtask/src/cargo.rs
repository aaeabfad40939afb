//! Running cargo and reading its `--message-format=json` output: compiler diagnostics per
//! package, and the test executables it built (which `libtest` then runs one by one).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context, Result};
use serde::Deserialize;

/// A cargo command in the workspace root. `CARGO` is the cargo that runs xtask, so a
/// toolchain picked with `cargo +1.88 xtask` is used all the way down.
pub fn command(root: &Path) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root);
    command
}

/// Runs a command to completion, capturing its output.
pub fn output(command: &mut Command) -> Result<Output> {
    command
        .output()
        .with_context(|| format!("could not start {command:?}"))
}

/// A rustc diagnostic, tagged with the Cargo.toml of the package it belongs to.
#[derive(Debug)]
pub struct Diagnostic {
    pub manifest_path: PathBuf,
    pub level: String,
    pub rendered: String,
}

/// A test harness executable cargo built.
#[derive(Debug, Clone)]
pub struct TestExe {
    pub manifest_path: PathBuf,
    /// Target name: the test file's stem for an integration test.
    pub target: String,
    pub kind: Vec<String>,
    pub path: PathBuf,
}

impl TestExe {
    /// An integration test (`tests/*.rs`), as opposed to the lib's or a bin's unit tests.
    pub fn is_integration_test(&self) -> bool {
        self.kind.iter().any(|kind| kind == "test")
    }
}

/// What a `cargo ... --message-format=json` run produced.
#[derive(Debug, Default)]
pub struct Build {
    pub success: bool,
    pub diagnostics: Vec<Diagnostic>,
    pub executables: Vec<TestExe>,
    /// Cargo's own output (errors in Cargo.toml, dependency resolution, ...).
    pub stderr: String,
}

impl Build {
    /// Distinct compiler warnings in one package (a lib's warning is reported once per target).
    pub fn warnings_in(&self, manifest: &Path) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.diagnostics
            .iter()
            .filter(|d| d.level == "warning" && d.manifest_path == manifest)
            .filter(|d| seen.insert(d.rendered.clone()))
            .map(|d| d.rendered.trim_end().to_string())
            .collect()
    }

    /// The first compiler error, preferring one in `manifest`'s package; else cargo's message.
    pub fn first_error(&self, manifest: &Path) -> String {
        let errors = || self.diagnostics.iter().filter(|d| d.level == "error");
        errors()
            .find(|d| d.manifest_path == manifest)
            .or_else(|| errors().next())
            .map(|d| d.rendered.trim_end().to_string())
            .unwrap_or_else(|| cargo_error(&self.stderr))
    }

    pub fn tests_of(&self, manifest: &Path) -> Vec<TestExe> {
        let mut exes: Vec<TestExe> = self
            .executables
            .iter()
            .filter(|exe| exe.manifest_path == manifest)
            .cloned()
            .collect();
        exes.sort_by(|a, b| a.target.cmp(&b.target));
        exes.dedup_by(|a, b| a.path == b.path);
        exes
    }
}

/// Runs `cargo ARGS --message-format=json` in `root` and collects what it reports.
pub fn build_json(root: &Path, args: &[&str]) -> Result<Build> {
    let out = output(command(root).args(args).arg("--message-format=json"))?;
    let mut build = parse_messages(&String::from_utf8_lossy(&out.stdout));
    build.success = out.status.success();
    build.stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    Ok(build)
}

/// Parses cargo's JSON lines. Lines that are not JSON (a build script's output) are skipped.
pub fn parse_messages(stdout: &str) -> Build {
    #[derive(Deserialize)]
    struct Line {
        reason: String,
        manifest_path: Option<PathBuf>,
        message: Option<Message>,
        target: Option<Target>,
        profile: Option<Profile>,
        executable: Option<PathBuf>,
    }
    #[derive(Deserialize)]
    struct Message {
        level: String,
        message: String,
        rendered: Option<String>,
    }
    #[derive(Deserialize)]
    struct Target {
        name: String,
        kind: Vec<String>,
    }
    #[derive(Deserialize)]
    struct Profile {
        test: bool,
    }

    let mut build = Build::default();
    for line in stdout.lines() {
        let Ok(line) = serde_json::from_str::<Line>(line) else {
            continue;
        };
        let manifest_path = line.manifest_path.unwrap_or_default();
        match line.reason.as_str() {
            "compiler-message" => {
                let Some(message) = line.message else {
                    continue;
                };
                if is_summary(&message.message) {
                    continue;
                }
                build.diagnostics.push(Diagnostic {
                    manifest_path,
                    level: message.level,
                    rendered: message.rendered.unwrap_or(message.message),
                });
            }
            "compiler-artifact" => {
                let (Some(target), Some(profile), Some(path)) =
                    (line.target, line.profile, line.executable)
                else {
                    continue;
                };
                if profile.test {
                    build.executables.push(TestExe {
                        manifest_path,
                        target: target.name,
                        kind: target.kind,
                        path,
                    });
                }
            }
            _ => {}
        }
    }
    build
}

/// An executable cargo built: a test, bench, example or binary target.
#[derive(Debug, Clone, PartialEq)]
pub struct Executable {
    /// The target's name (a test file's stem, an example's name, ...).
    pub name: String,
    /// Its kinds: `test`, `bench`, `example`, `bin`.
    pub kind: Vec<String>,
    pub path: PathBuf,
}

/// Every executable in cargo's `--message-format=json` lines, whatever its profile.
pub fn executables(stdout: &str) -> Vec<Executable> {
    #[derive(Deserialize)]
    struct Artifact {
        reason: String,
        target: Option<Target>,
        executable: Option<PathBuf>,
    }
    #[derive(Deserialize)]
    struct Target {
        name: String,
        kind: Vec<String>,
    }
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<Artifact>(line).ok())
        .filter(|artifact| artifact.reason == "compiler-artifact")
        .filter_map(|artifact| {
            let (target, path) = (artifact.target?, artifact.executable?);
            Some(Executable {
                name: target.name,
                kind: target.kind,
                path,
            })
        })
        .collect()
}

/// rustc's closing lines ("2 warnings emitted", "aborting due to 1 previous error") are not
/// diagnostics of their own.
fn is_summary(message: &str) -> bool {
    message.starts_with("aborting due to")
        || (message.ends_with("emitted") && message.contains("warning"))
}

/// The interesting part of cargo's stderr: from its first `error` line on, else the tail.
pub fn cargo_error(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines
        .iter()
        .position(|line| line.starts_with("error"))
        .unwrap_or(lines.len().saturating_sub(12));
    excerpt(&lines[start..].join("\n"), 20)
}

/// At most `max_lines` lines of `text`, saying how many were left out.
pub fn excerpt(text: &str, max_lines: usize) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    if lines.len() <= max_lines {
        return lines.join("\n");
    }
    let more = lines.len() - max_lines;
    format!("{}\n... ({more} more lines)", lines[..max_lines].join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_warnings_errors_and_test_executables() {
        let stdout = r#"
{"reason":"compiler-message","manifest_path":"/w/ex/Cargo.toml","message":{"level":"warning","message":"unused variable: `x`","rendered":"warning: unused variable: `x`\n"}}
{"reason":"compiler-message","manifest_path":"/w/ex/Cargo.toml","message":{"level":"warning","message":"unused variable: `x`","rendered":"warning: unused variable: `x`\n"}}
{"reason":"compiler-message","manifest_path":"/w/ex/Cargo.toml","message":{"level":"warning","message":"1 warning emitted","rendered":"warning: 1 warning emitted\n"}}
{"reason":"compiler-message","manifest_path":"/w/other/Cargo.toml","message":{"level":"error","message":"mismatched types","rendered":"error[E0308]: mismatched types\n"}}
{"reason":"compiler-artifact","manifest_path":"/w/ex/Cargo.toml","target":{"name":"views","kind":["test"]},"profile":{"test":true},"executable":"/w/target/debug/deps/views-abc"}
{"reason":"compiler-artifact","manifest_path":"/w/ex/Cargo.toml","target":{"name":"ex","kind":["lib"]},"profile":{"test":false},"executable":null}
not json: a build script said hello
{"reason":"build-finished","success":false}
"#;
        let build = parse_messages(stdout);
        let ex = Path::new("/w/ex/Cargo.toml");
        assert_eq!(build.warnings_in(ex), vec!["warning: unused variable: `x`"]);
        assert_eq!(build.first_error(ex), "error[E0308]: mismatched types");
        let tests = build.tests_of(ex);
        assert_eq!(tests.len(), 1);
        assert_eq!(tests[0].target, "views");
        assert!(tests[0].is_integration_test());
    }

    #[test]
    fn excerpt_says_how_much_it_cut() {
        assert_eq!(excerpt("a\nb\nc", 2), "a\nb\n... (1 more lines)");
        assert_eq!(excerpt("a\nb\n", 2), "a\nb");
    }
}
