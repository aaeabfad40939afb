//! Running cargo and reading its `--message-format=json` output: compiler diagnostics per
//! package, and the test executables it built (which `libtest` then runs one by one).

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context, Result};
use cargo_metadata::diagnostic::DiagnosticLevel;
use cargo_metadata::{Message, PackageId};

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
    pub level: DiagnosticLevel,
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
    /// Environment variables set on each run of it, besides what `cargo test` would set: the
    /// check of missing tools hides a tool this way (`GPU_NO_NVRTC=1`). Empty from cargo.
    pub run_env: Vec<(OsString, OsString)>,
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
            .filter(|d| d.level == DiagnosticLevel::Warning && d.manifest_path == manifest)
            .filter(|d| seen.insert(d.rendered.clone()))
            .map(|d| d.rendered.trim_end().to_string())
            .collect()
    }

    /// The first compiler error, preferring one in `manifest`'s package; else cargo's message.
    pub fn first_error(&self, manifest: &Path) -> String {
        let errors = || {
            self.diagnostics
                .iter()
                .filter(|d| d.level == DiagnosticLevel::Error)
        };
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
    let mut build = parse_messages(&out.stdout);
    build.success = out.status.success();
    build.stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    Ok(build)
}

/// Reads cargo's JSON lines (cargo_metadata's types, the format cargo documents). Lines that
/// are not cargo messages (a build script's output) are skipped.
pub fn parse_messages(stdout: impl AsRef<[u8]>) -> Build {
    let mut build = Build::default();
    // Lossy first: a build script's output need not be UTF-8, and cargo's lines after it count.
    let text = String::from_utf8_lossy(stdout.as_ref());
    for message in Message::parse_stream(text.as_bytes()).flatten() {
        match message {
            Message::CompilerMessage(message) => {
                let diagnostic = message.message;
                if is_summary(&diagnostic.message) {
                    continue;
                }
                build.diagnostics.push(Diagnostic {
                    manifest_path: manifest_of(&message.package_id),
                    level: diagnostic.level,
                    rendered: diagnostic.rendered.unwrap_or(diagnostic.message),
                });
            }
            Message::CompilerArtifact(artifact) if artifact.profile.test => {
                let Some(path) = artifact.executable else {
                    continue;
                };
                build.executables.push(TestExe {
                    manifest_path: artifact.manifest_path.into(),
                    target: artifact.target.name,
                    kind: artifact.target.kind.iter().map(|k| k.to_string()).collect(),
                    path: path.into(),
                    run_env: Vec::new(),
                });
            }
            _ => {}
        }
    }
    build
}

/// The Cargo.toml of a local package, from its id (`path+file:///w/ex#0.1.0`, the form cargo
/// writes since 1.77); empty for a package from a registry or git, which has none here.
fn manifest_of(id: &PackageId) -> PathBuf {
    let Some(url) = id.repr.strip_prefix("path+file://") else {
        return PathBuf::new();
    };
    let dir = url.split('#').next().unwrap_or(url);
    PathBuf::from(percent_decode(dir)).join("Cargo.toml")
}

/// `%20` and the like back to bytes, as file URLs escape them.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match hex {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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
        let target = |name: &str, kind: &str, src: &str| {
            format!(
                r#""target":{{"name":"{name}","kind":["{kind}"],"crate_types":["bin"],"src_path":"{src}","edition":"2024"}}"#
            )
        };
        let lib = target("ex", "lib", "/w/ex/src/lib.rs");
        let message = |package: &str, level: &str, text: &str, rendered: &str| {
            format!(
                r#"{{"reason":"compiler-message","package_id":"path+file://{package}#0.1.0","manifest_path":"{package}/Cargo.toml",{lib},"message":{{"message":"{text}","code":null,"level":"{level}","spans":[],"children":[],"rendered":"{rendered}"}}}}"#
            )
        };
        let artifact = |target: &str, test: bool, executable: &str| {
            format!(
                r#"{{"reason":"compiler-artifact","package_id":"path+file:///w/ex#0.1.0","manifest_path":"/w/ex/Cargo.toml",{target},"profile":{{"opt_level":"0","debuginfo":2,"debug_assertions":true,"overflow_checks":true,"test":{test}}},"features":[],"filenames":[],"executable":{executable},"fresh":false}}"#
            )
        };
        let unused = "unused variable: `x`";
        let stdout = [
            message("/w/ex", "warning", unused, &format!("warning: {unused}\\n")),
            message("/w/ex", "warning", unused, &format!("warning: {unused}\\n")),
            message(
                "/w/ex",
                "warning",
                "1 warning emitted",
                "warning: 1 warning emitted\\n",
            ),
            message(
                "/w/other",
                "error",
                "mismatched types",
                "error[E0308]: mismatched types\\n",
            ),
            artifact(
                &target("views", "test", "/w/ex/tests/views.rs"),
                true,
                r#""/w/target/debug/deps/views-abc""#,
            ),
            artifact(&lib, false, "null"),
            "not json: a build script said hello".to_string(),
            r#"{"reason":"build-finished","success":false}"#.to_string(),
        ]
        .join("\n");
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
    fn a_local_package_id_names_its_manifest() {
        let id = |repr: &str| PackageId { repr: repr.into() };
        assert_eq!(
            manifest_of(&id("path+file:///home/a%20b/ex#strides@0.1.0")),
            Path::new("/home/a b/ex/Cargo.toml")
        );
        assert_eq!(
            manifest_of(&id(
                "registry+https://github.com/rust-lang/crates.io-index#libc@0.2.1"
            )),
            PathBuf::new()
        );
    }

    #[test]
    fn excerpt_says_how_much_it_cut() {
        assert_eq!(excerpt("a\nb\nc", 2), "a\nb\n... (1 more lines)");
        assert_eq!(excerpt("a\nb\n", 2), "a\nb");
    }
}
