//! `cargo xtask gpu-test`: lab 5 on a machine with an NVIDIA GPU. The tests marked
//! `#[ignore = "needs a CUDA GPU"]` (every kernel against the CPU reference), the GPU
//! benchmarks, then the CuPy peers on the same GPU.
//!
//! `--bundle DIR` is for a GPU machine without a Rust toolchain: it builds the test and
//! bench executables here (release, stripped of debug info) and writes them to DIR with a
//! `run.sh` that does the same three steps there. Without python3 or CuPy there, `run.sh`
//! says that it skips the peers and its exit status is the tests' and benchmarks'.
//!
//! How many tests need the GPU is counted from the sources each time (see
//! [`gpu_test_count`]), never written down.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

const PACKAGE: &str = "gpu-solution";
const PEERS: &str = "solutions/05-gpu/python/cupy_peers.py";
/// Lab 5's shared tests, which `gpu-solution` includes.
const TESTS: &str = "exercises/05-gpu/tests";
/// The attribute of the tests that need a GPU.
const GPU_IGNORE: &str = "#[ignore = \"needs a CUDA GPU\"]";

pub struct Options {
    pub quick: bool,
    pub bundle: Option<PathBuf>,
}

pub fn run(root: &Path, options: &Options) -> Result<bool> {
    if let Some(dir) = &options.bundle {
        bundle(root, dir)?;
        return Ok(true);
    }
    let gpu_tests = gpu_test_count(&root.join(TESTS))?;
    println!(
        "== lab 5: every test, the {gpu_tests} that need a GPU included \
         (cargo test -p {PACKAGE} -- --include-ignored)"
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
    let peers = run_peers(&python, root, options.quick)?;
    Ok(tests.success() && bench.success() && peers)
}

/// Runs the CuPy peers with `python`: whether they passed. No such `python` is a skip, said
/// so, not a failure, as in the bundle's run.sh (cupy_peers.py itself skips without CuPy).
fn run_peers(python: &Path, root: &Path, quick: bool) -> Result<bool> {
    let mut peers = Command::new(python);
    peers.current_dir(root).arg(PEERS);
    if quick {
        peers.arg("--quick");
    }
    match peers.status() {
        Ok(status) => Ok(status.success()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            println!("the CuPy peers: skipped: no {}", python.display());
            Ok(true)
        }
        Err(error) => Err(error).context("running the CuPy peers"),
    }
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
    let mut tests = Vec::new();
    let mut bench_seen = false;
    for artifact in executables(&String::from_utf8_lossy(&out.stdout)) {
        let name = format!("{}-{}", artifact.kind, artifact.name);
        fs::copy(&artifact.path, dir.join("bin").join(&name))
            .with_context(|| format!("copying {}", artifact.path.display()))?;
        if artifact.kind == "bench" {
            bench_seen = true;
        } else {
            tests.push(artifact.name);
        }
    }
    in_exercise_order(root, &mut tests)?;
    fs::copy(root.join(PEERS), dir.join("cupy_peers.py"))?;
    let script = run_script(&tests, bench_seen, gpu_test_count(&root.join(TESTS))?);
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

/// Sorts the test executables' names into the order of the lab's exercises (lab.toml), so
/// that run.sh reports them in the order students meet them; any other name goes last.
fn in_exercise_order(root: &Path, tests: &mut [String]) -> Result<()> {
    let labs = crate::workspace::discover(root)?;
    let exercises = labs
        .iter()
        .find(|lab| lab.solution.as_ref().is_some_and(|s| s.package == PACKAGE))
        .map(|lab| lab.meta.exercises.clone())
        .unwrap_or_default();
    tests.sort_by_key(|name| {
        exercises
            .iter()
            .position(|exercise| exercise == name)
            .unwrap_or(usize::MAX)
    });
    Ok(())
}

/// The bundle's run.sh: each test executable in `bin/` (`test-NAME`, the GPU tests
/// included), the benchmark `bin/bench-gpu` if `bench`, then the CuPy peers if the machine
/// has python3 and CuPy. The exit status is 1 when a test, the benchmark or the peers that
/// ran failed; peers skipped for want of python3 or CuPy say so and leave it alone.
fn run_script(tests: &[String], bench: bool, gpu_tests: usize) -> String {
    let mut script = String::from(
        "#!/usr/bin/env bash\n# Lab 5 on a GPU machine without Rust: written by `cargo xtask gpu-test --bundle`.\n\
         set -u\ncd \"$(dirname \"$0\")\"\n# CUDA's libraries: the toolkit's, if the loader's path lacks them.\n\
         export CUDA_HOME=\"${CUDA_HOME:-/usr/local/cuda}\"\nstatus=0\n",
    );
    script.push_str(&format!(
        "echo '== lab 5: the tests ({gpu_tests} of them need the GPU), the benchmarks, the CuPy peers'\n"
    ));
    for name in tests {
        script.push_str(&format!(
            "echo '== tests: {name}'\n./bin/test-{name} --include-ignored --test-threads=1 || status=1\n"
        ));
    }
    if bench {
        script
            .push_str("echo '== the GPU benchmarks'\n./bin/bench-gpu --bench \"$@\" || status=1\n");
    }
    // The peers are optional: a machine without python3, or without CuPy, skips them and
    // says so. `find_spec` looks for the package without importing it (an import that
    // fails for another reason is the peers failing, below).
    script.push_str(concat!(
        "echo '== the CuPy peers'\n",
        "if ! command -v python3 >/dev/null 2>&1; then\n",
        "    echo 'the CuPy peers: skipped: no python3'\n",
        "elif ! python3 -c 'import importlib.util, sys; ",
        "sys.exit(importlib.util.find_spec(\"cupy\") is None)' >/dev/null 2>&1; then\n",
        "    echo 'the CuPy peers: skipped: no cupy (pip install cupy-cuda12x or cupy-cuda13x)'\n",
        "else\n",
        "    python3 cupy_peers.py ${GPU_BENCH_QUICK:+--quick} || status=1\n",
        "fi\n",
        "exit $status\n",
    ));
    script
}

/// How many tests in the `.rs` files of `dir` carry [`GPU_IGNORE`] (commented-out lines
/// aside): the number the tests of a GPU run add, counted so that no text has to state it.
fn gpu_test_count(dir: &Path) -> Result<usize> {
    let mut count = 0;
    for file in crate::lint::rust_files_under(dir)? {
        let text =
            fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        count += text
            .lines()
            .map(str::trim_start)
            .filter(|line| !line.starts_with("//"))
            .map(|line| line.matches(GPU_IGNORE).count())
            .sum::<usize>();
    }
    Ok(count)
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

#[cfg(test)]
mod tests;
