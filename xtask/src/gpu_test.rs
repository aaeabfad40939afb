//! `cargo xtask gpu-test`: lab 5 on a machine with an NVIDIA GPU. The tests marked
//! `#[ignore = "needs a CUDA GPU"]` (every kernel against the CPU reference), the GPU
//! benchmarks, then the CuPy peers on the same GPU.
//!
//! `--bundle DIR` is for a GPU machine without a Rust toolchain: it builds the test and
//! bench executables here (release, stripped of debug info) and writes them to DIR with a
//! `run.sh` that does the same three steps there.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

const PACKAGE: &str = "gpu-solution";
const PEERS: &str = "solutions/05-gpu/python/cupy_peers.py";

pub struct Options {
    pub quick: bool,
    pub bundle: Option<PathBuf>,
}

pub fn run(root: &Path, options: &Options) -> Result<bool> {
    if let Some(dir) = &options.bundle {
        bundle(root, dir)?;
        return Ok(true);
    }
    println!(
        "== lab 5: every test, the GPU ones included (cargo test -p {PACKAGE} -- --include-ignored)"
    );
    let tests = crate::cargo::command(root)
        .args([
            "test",
            "--release",
            "-p",
            PACKAGE,
            "--",
            "--include-ignored",
        ])
        .status()
        .context("running cargo test")?;

    println!("\n== lab 5: the GPU benchmarks (cargo bench -p {PACKAGE} --bench gpu)");
    let mut bench = crate::cargo::command(root);
    bench.args(["bench", "-p", PACKAGE, "--bench", "gpu"]);
    if options.quick {
        bench.env("GPU_BENCH_QUICK", "1");
    }
    let bench = bench.status().context("running cargo bench")?;

    println!("\n== the CuPy peers ({PEERS})");
    let venv = root.join(".venv/bin/python");
    let python = if venv.is_file() {
        venv
    } else {
        PathBuf::from("python3")
    };
    let mut peers = Command::new(python);
    peers.current_dir(root).arg(PEERS);
    if options.quick {
        peers.arg("--quick");
    }
    let peers = peers.status().context("running the CuPy peers")?;
    Ok(tests.success() && bench.success() && peers.success())
}

/// Builds the executables and writes DIR/run.sh.
fn bundle(root: &Path, dir: &Path) -> Result<()> {
    let out = crate::cargo::command(root)
        .args([
            "test",
            "--release",
            "-p",
            PACKAGE,
            "--tests",
            "--benches",
            "--no-run",
            "--message-format=json",
        ])
        // Small enough to carry: no debug info in the bundle.
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_STRIP", "true")
        .env("CARGO_PROFILE_BENCH_DEBUG", "false")
        .env("CARGO_PROFILE_BENCH_STRIP", "true")
        .output()
        .context("running cargo test --no-run")?;
    if !out.status.success() {
        bail!(
            "building the bundle failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    fs::create_dir_all(dir.join("bin"))?;
    let mut script = String::from(
        "#!/usr/bin/env bash\n# Lab 5 on a GPU machine without Rust: written by `cargo xtask gpu-test --bundle`.\n\
         set -u\ncd \"$(dirname \"$0\")\"\n# CUDA's libraries: the toolkit's, if the loader's path lacks them.\n\
         export CUDA_HOME=\"${CUDA_HOME:-/usr/local/cuda}\"\nstatus=0\n",
    );
    let mut bench_seen = false;
    for artifact in executables(&String::from_utf8_lossy(&out.stdout)) {
        let name = format!("{}-{}", artifact.kind, artifact.name);
        fs::copy(&artifact.path, dir.join("bin").join(&name))
            .with_context(|| format!("copying {}", artifact.path.display()))?;
        if artifact.kind == "bench" {
            bench_seen = true;
            continue;
        }
        script.push_str(&format!(
            "echo '== tests: {}'\n./bin/{name} --include-ignored --test-threads=1 || status=1\n",
            artifact.name
        ));
    }
    if bench_seen {
        script
            .push_str("echo '== the GPU benchmarks'\n./bin/bench-gpu --bench \"$@\" || status=1\n");
    }
    fs::copy(root.join(PEERS), dir.join("cupy_peers.py"))?;
    script.push_str("echo '== the CuPy peers'\npython3 cupy_peers.py || status=1\nexit $status\n");
    let run = dir.join("run.sh");
    fs::write(&run, script)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&run, fs::Permissions::from_mode(0o755))?;
    }
    let mut bytes = 0u64;
    for entry in fs::read_dir(dir.join("bin"))? {
        bytes += entry?.metadata()?.len();
    }
    println!(
        "wrote {} ({:.1} MB of executables); on the GPU machine: bash {}/run.sh",
        dir.display(),
        bytes as f64 / 1e6,
        dir.display()
    );
    Ok(())
}

/// A test or bench executable of the bundle, `kind` being "test" or "bench".
struct Artifact {
    name: String,
    kind: String,
    path: PathBuf,
}

fn executables(stdout: &str) -> Vec<Artifact> {
    crate::artifacts::executables(stdout)
        .into_iter()
        .filter_map(|exe| {
            let kind = exe
                .kind
                .into_iter()
                .find(|kind| kind == "test" || kind == "bench")?;
            Some(Artifact {
                name: exe.name,
                kind,
                path: exe.path,
            })
        })
        .collect()
}
