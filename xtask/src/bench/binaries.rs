//! The Rust side, built twice: the default build (the x86-64 baseline: SSE2 only) in the
//! workspace's target dir, and a `-C target-cpu=native` build in a target dir of its own, so
//! that the workspace's builds keep their flags (changing RUSTFLAGS there rebuilds
//! everything, every time).

use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, Result, bail};

use super::peers::{LabPeers, Side};
use crate::cargo;

/// Where the native build goes, under the workspace root.
pub const NATIVE_TARGET_DIR: &str = "target/compare-native";

/// Builds the lab's example for a Rust side (cargo's progress shows); returns the executable.
pub fn build(root: &Path, peers: &LabPeers, side: Side) -> Result<PathBuf> {
    build_example(root, peers.package, peers.example, side)
}

/// Builds `example` of `package` in release mode for a Rust side; returns the executable.
pub fn build_example(root: &Path, package: &str, example: &str, side: Side) -> Result<PathBuf> {
    let mut command = cargo::command(root);
    command
        .args(["build", "--release", "--package", package])
        .args(["--example", example])
        .arg("--message-format=json-render-diagnostics")
        .stderr(Stdio::inherit());
    if side == Side::RustNative {
        command
            .env("CARGO_TARGET_DIR", root.join(NATIVE_TARGET_DIR))
            .env("RUSTFLAGS", "-C target-cpu=native")
            .env_remove("CARGO_ENCODED_RUSTFLAGS"); // it would win over RUSTFLAGS
    }
    println!("Building the {} side: {command:?}", side.label());
    let out = cargo::output(&mut command)?;
    if !out.status.success() {
        bail!(
            "could not build the example `{example}` of {package} ({})",
            side.label()
        );
    }
    example_executable(&String::from_utf8_lossy(&out.stdout), example).with_context(|| {
        format!("cargo built no executable for the example `{example}` of {package}")
    })
}

/// The executable of example `name`, from cargo's `--message-format=json` lines.
pub fn example_executable(stdout: &str, name: &str) -> Option<PathBuf> {
    crate::artifacts::executables(stdout)
        .into_iter()
        .find(|exe| exe.name == name && exe.kind.iter().any(|kind| kind == "example"))
        .map(|exe| exe.path)
}
