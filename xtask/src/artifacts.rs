//! The executables in cargo's `--message-format=json` lines, whatever their profile: the
//! benches and examples `bench` and `gpu-test` run (the students' test runs read theirs with
//! `course::cargo::parse_messages`).

use std::path::PathBuf;

use cargo_metadata::Message;

/// An executable cargo built: a test, bench, example or binary target.
#[derive(Debug, Clone, PartialEq)]
pub struct Executable {
    /// The target's name (a test file's stem, an example's name, ...).
    pub name: String,
    /// Its kinds: `test`, `bench`, `example`, `bin`.
    pub kind: Vec<String>,
    pub path: PathBuf,
}

/// Every executable in cargo's `--message-format=json` lines (other lines are skipped).
pub fn executables(stdout: &str) -> Vec<Executable> {
    Message::parse_stream(stdout.as_bytes())
        .flatten()
        .filter_map(|message| match message {
            Message::CompilerArtifact(artifact) => Some(Executable {
                path: artifact.executable?.into(),
                kind: artifact.target.kind.iter().map(|k| k.to_string()).collect(),
                name: artifact.target.name,
            }),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_executables_of_every_profile_and_skips_other_lines() {
        let stdout = concat!(
            r#"{"reason":"compiler-artifact","package_id":"path+file:///w/ex#0.1.0","manifest_path":"/w/ex/Cargo.toml","target":{"name":"transpose","kind":["bench"],"crate_types":["bin"],"required-features":[],"src_path":"/w/ex/benches/transpose.rs","edition":"2024","doctest":false,"test":false,"doc":false},"profile":{"opt_level":"3","debuginfo":1,"debug_assertions":false,"overflow_checks":false,"test":false},"features":[],"filenames":["/w/target/release/deps/transpose-1"],"executable":"/w/target/release/deps/transpose-1","fresh":false}"#,
            "\n",
            "a build script's line\n",
            r#"{"reason":"compiler-artifact","package_id":"path+file:///w/ex#0.1.0","manifest_path":"/w/ex/Cargo.toml","target":{"name":"ex","kind":["lib"],"crate_types":["lib"],"required-features":[],"src_path":"/w/ex/src/lib.rs","edition":"2024","doctest":true,"test":true,"doc":true},"profile":{"opt_level":"3","debuginfo":1,"debug_assertions":false,"overflow_checks":false,"test":false},"features":[],"filenames":["/w/target/release/deps/libex.rlib"],"executable":null,"fresh":false}"#,
            "\n",
        );
        assert_eq!(
            executables(stdout),
            [Executable {
                name: "transpose".into(),
                kind: vec!["bench".into()],
                path: "/w/target/release/deps/transpose-1".into(),
            }]
        );
    }
}
