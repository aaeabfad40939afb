use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::{GPU_IGNORE, gpu_test_count, run_peers, run_script};

#[test]
fn the_script_runs_every_test_executable_then_the_bench_then_the_peers() {
    let script = run_script(&["host".into(), "trick".into()], true, 7);
    let at = |needle: &str| {
        script
            .find(needle)
            .unwrap_or_else(|| panic!("run.sh lacks {needle:?}:\n{script}"))
    };
    assert!(at("./bin/test-host --include-ignored") < at("./bin/test-trick --include-ignored"));
    assert!(at("./bin/test-trick") < at("./bin/bench-gpu --bench"));
    assert!(at("./bin/bench-gpu") < at("python3 cupy_peers.py"));
    assert!(script.contains("(7 of them need the GPU)"), "{script}");
    assert!(script.ends_with("exit $status\n"), "{script}");
    assert!(!run_script(&[], false, 0).contains("bench-gpu"));
}

#[test]
fn the_script_skips_the_peers_without_python3_or_cupy_and_says_so() {
    let script = run_script(&[], false, 0);
    for needle in [
        "command -v python3",
        "skipped: no python3",
        "find_spec(\"cupy\")",
        "skipped: no cupy",
        "python3 cupy_peers.py ${GPU_BENCH_QUICK:+--quick} || status=1",
    ] {
        assert!(
            script.contains(needle),
            "run.sh lacks {needle:?}:\n{script}"
        );
    }
}

/// The first `name` on this process's PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// A folder with run.sh (no test executables, no bench) and a stand-in cupy_peers.py, run by
/// bash with PATH = a folder holding `dirname` (run.sh's `cd`) and, when `python3` is given,
/// a script by that name.
#[cfg(unix)]
fn run_bundle(python3: Option<&str>) -> Output {
    use std::os::unix::fs::{PermissionsExt, symlink};

    let bash = on_path("bash").expect("bash on PATH");
    let dirname = on_path("dirname").expect("dirname on PATH");
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle");
    let bin = dir.path().join("path");
    fs::create_dir_all(&bundle).unwrap();
    fs::create_dir_all(&bin).unwrap();
    fs::write(bundle.join("run.sh"), run_script(&[], false, 0)).unwrap();
    fs::write(
        bundle.join("cupy_peers.py"),
        "# never read by the stand-in python3\n",
    )
    .unwrap();
    symlink(&dirname, bin.join("dirname")).unwrap();
    if let Some(body) = python3 {
        let python = bin.join("python3");
        fs::write(&python, format!("#!/bin/sh\n{body}\n")).unwrap();
        fs::set_permissions(&python, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = Command::new(bash)
        .arg(bundle.join("run.sh"))
        .env_clear()
        .env("PATH", &bin)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some(),
        "run.sh was killed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[cfg(unix)]
fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[cfg(unix)]
#[test]
fn without_python3_run_sh_skips_the_peers_and_succeeds() {
    let out = run_bundle(None);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("the CuPy peers: skipped: no python3"),
        "{}",
        stdout(&out)
    );
}

#[cfg(unix)]
#[test]
fn without_cupy_run_sh_skips_the_peers_and_succeeds() {
    // The probe (`python3 -c ...`) finds no cupy; running the peers would fail.
    let out = run_bundle(Some(r#"if [ "$1" = "-c" ]; then exit 1; fi; exit 3"#));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("the CuPy peers: skipped: no cupy"),
        "{}",
        stdout(&out)
    );
}

#[cfg(unix)]
#[test]
fn peers_that_run_and_fail_fail_run_sh() {
    let out = run_bundle(Some(
        r#"if [ "$1" = "-c" ]; then exit 0; fi; echo "peers ran: $*"; exit 3"#,
    ));
    assert!(
        stdout(&out).contains("peers ran: cupy_peers.py"),
        "{}",
        stdout(&out)
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

#[cfg(unix)]
#[test]
fn peers_that_run_and_pass_leave_run_sh_successful() {
    let out = run_bundle(Some(
        r#"if [ "$1" = "-c" ]; then exit 0; fi; echo "peers ran: $*"; exit 0"#,
    ));
    assert!(
        stdout(&out).contains("peers ran: cupy_peers.py"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains("skipped"), "{}", stdout(&out));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn gpu_tests_are_counted_from_their_attribute_outside_comments() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.rs"),
        format!(
            "#[test]\n{GPU_IGNORE}\nfn one() {{}}\n// {GPU_IGNORE} in a comment\n\
             #[test]\n    {GPU_IGNORE}\nfn two() {{}}\n#[test]\nfn cpu() {{}}\n"
        ),
    )
    .unwrap();
    fs::write(
        dir.path().join("b.rs"),
        format!("#[test]\n{GPU_IGNORE}\nfn three() {{}}\n"),
    )
    .unwrap();
    fs::write(dir.path().join("notes.md"), GPU_IGNORE).unwrap();
    assert_eq!(gpu_test_count(dir.path()).unwrap(), 3);
}

#[test]
fn lab_5_has_gpu_tests_to_count() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    assert!(gpu_test_count(&root.join(super::TESTS)).unwrap() > 0);
}

#[test]
fn gpu_test_without_python_skips_the_peers_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-python3");
    assert!(run_peers(&missing, dir.path(), false).unwrap());
}
