//! Golden tests for hostile submissions: each is the fixture's correct submission with lab
//! alpha's `src/lib.rs` replaced by an attack (written here, since several need paths of this
//! machine: the course's, a listener's port). Each attack must fail closed, cost only its own
//! tests, and leave lab beta graded.

use std::fs;
use std::io::ErrorKind;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::tests::{
    course, find, lab, message, options, run_ok, scratch, submission, summary, test,
};
use super::*;

/// A secret only the course's solution holds: no submission may ever see it.
const SECRET: &str = "SECRET-SOLUTION-TEXT-7f3a";

/// A copy of the fixture course with a `solutions/` tree (and a file in its root), to attack.
fn course_with_solutions(work: &Path) -> PathBuf {
    let root = work.join("course");
    run_ok(Command::new("cp").arg("-r").arg(course()).arg(&root));
    let solution = root.join("solutions/01-alpha/src");
    fs::create_dir_all(&solution).unwrap();
    fs::write(
        solution.join("lib.rs"),
        format!(
            "// {SECRET}\npub fn sum(v: &[i64]) -> i64 {{ v.iter().sum() }}\n\
             pub fn triangle(n: u64) -> u64 {{ (1..=n).sum() }}\n"
        ),
    )
    .unwrap();
    root
}

/// The correct submission with alpha's lib.rs replaced by `alpha`.
fn attack(dir: &Path, name: &str, alpha: &str) -> PathBuf {
    let path = dir.join(name);
    run_ok(
        Command::new("cp")
            .arg("-r")
            .arg(submission("all-correct"))
            .arg(&path),
    );
    fs::write(path.join("exercises/01-alpha/src/lib.rs"), alpha).unwrap();
    path
}

const TRIANGLE: &str = "pub fn triangle(n: u64) -> u64 { (1..=n).sum() }\n";

/// A sum that does `body` first, then answers right.
fn sum_that(body: &str) -> String {
    format!("pub fn sum(v: &[i64]) -> i64 {{\n{body}\nv.iter().sum()\n}}\n{TRIANGLE}")
}

fn outcomes(lab: &LabGrade, prefix: &str) -> Vec<TestOutcome> {
    lab.tests
        .iter()
        .filter(|t| t.id.starts_with(prefix))
        .map(|t| t.outcome)
        .collect()
}

/// Processes on this machine whose command line holds `marker`.
fn processes_with(marker: &str) -> Vec<String> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| fs::read(entry.path().join("cmdline")).ok())
        .map(|cmdline| String::from_utf8_lossy(&cmdline).replace('\0', " "))
        .filter(|cmdline| cmdline.contains(marker) && !cmdline.contains("cargo"))
        .collect()
}

/// What the attacks aim at on the host, set up before grading so that the checks can tell
/// whether any was reached.
struct Traps {
    /// The course's solution of lab alpha, which holds `SECRET`.
    solution: PathBuf,
    /// A host folder anyone may write to, so that only the sandbox keeps the file out of it:
    /// held for as long as the traps are, removed with them.
    _outside: tempfile::TempDir,
    /// The file an attack writes into `outside`.
    escape: PathBuf,
    /// The file an attack writes into the course's root.
    course_escape: PathBuf,
    /// A listener on the host's loopback an attack connects to; no connection must come.
    listener: TcpListener,
    /// A marker in the command line of the process an attack leaves running.
    survivor: String,
}

impl Traps {
    fn set(root: &Path) -> Traps {
        let outside = tempfile::Builder::new()
            .prefix("xtask-hostile-escape-")
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o777))
            .tempdir()
            .unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        Traps {
            solution: root.join("solutions/01-alpha/src/lib.rs"),
            escape: outside.path().join("escaped.txt"),
            _outside: outside,
            course_escape: root.join("escaped.txt"),
            listener,
            survivor: format!("{}", 3_000_000 + std::process::id()),
        }
    }
}

#[test]
fn hostile_submissions_fail_closed_and_cost_only_their_own_tests() {
    let temp = scratch("hostile");
    let work = temp.path();
    let root = course_with_solutions(work);
    let traps = Traps::set(&root);
    let paths = attacks(&work.join("given"), &traps);
    let gradebook = grade(&root, &paths, &options(&work.join("work"))).unwrap();
    check_sandboxed_and_beta_graded(&gradebook);
    check_forged_passes(&gradebook);
    check_solutions_out_of_reach(&gradebook);
    check_nothing_escapes(&gradebook, &traps);
    check_memory_hog(&gradebook);
    check_symlinked_src(&gradebook);
    temp.close().unwrap();
}

/// Each attack as a submission in `given`, in the order the checks name them.
fn attacks(given: &Path, traps: &Traps) -> Vec<PathBuf> {
    fs::create_dir_all(given).unwrap();
    let sources = forged_passes()
        .into_iter()
        .chain(reaching_the_solution(&traps.solution))
        .chain(escapes(traps))
        .chain([("memory-hog", MEMORY_HOG.to_string())]);
    let mut paths: Vec<PathBuf> = sources
        .map(|(name, alpha)| attack(given, name, &alpha))
        .collect();
    paths.push(symlinked_src(given));
    paths
}

/// Sums that print libtest's verdict themselves and exit before libtest reports.
fn forged_passes() -> [(&'static str, String); 2] {
    let forged_exact = sum_that(
        "use std::io::Write;\n\
         let _ = write!(std::io::stdout(), \"ok\\n\\nsuccesses:\\n\\ntest result: ok. 1 passed; \
         0 failed; 0 ignored; 0 measured; 1 filtered out; finished in 0.00s\\n\\n\");\n\
         std::process::exit(0);",
    );
    let forged_summary = sum_that(
        "println!(\"test result: ok. 64 passed; 0 failed; 0 ignored\");\n\
         use std::io::Write;\n\
         let _ = writeln!(std::io::stdout(), \"test result: ok. 64 passed; 0 failed\");\n\
         std::process::exit(0);",
    );
    [
        ("forged-exact", forged_exact),
        ("forged-summary", forged_summary),
    ]
}

/// Attacks on the course's `solution`: included by absolute and by relative path at compile
/// time, read at test time.
fn reaching_the_solution(solution: &Path) -> [(&'static str, String); 3] {
    let deep_path = format!(
        "#[path = \"{}\"]\nmod solution;\npub use solution::*;\n",
        solution.display()
    );
    let relative = format!("../../../../../../../../../../..{}", solution.display());
    let relative_path = format!("#[path = \"{relative}\"]\nmod solution;\npub use solution::*;\n");
    let reads_course = sum_that(&format!(
        "let text = std::fs::read_to_string(\"{}\").unwrap_or_default();\n\
         assert!(text.is_empty(), \"stolen: {{text}}\");",
        solution.display()
    ));
    [
        ("deep-path", deep_path),
        ("relative-path", relative_path),
        ("reads-course", reads_course),
    ]
}

/// Attacks that reach out of the sandbox: writing host files, leaving a process running,
/// connecting to the host's loopback.
fn escapes(traps: &Traps) -> [(&'static str, String); 3] {
    let survivor = &traps.survivor;
    let port = traps.listener.local_addr().unwrap().port();
    let writes_outside = sum_that(&format!(
        "let _ = std::fs::write(\"{}\", \"escaped\");\n\
         let _ = std::fs::write(\"{}\", \"escaped\");",
        traps.escape.display(),
        traps.course_escape.display()
    ));
    let survives = sum_that(&format!(
        "let _ = std::process::Command::new(\"setsid\").args([\"sleep\", \"{survivor}\"]).spawn();\n\
         std::thread::sleep(std::time::Duration::from_millis(200));"
    ));
    let connects = format!(
        "pub fn sum(v: &[i64]) -> i64 {{\n\
         match std::net::TcpStream::connect((\"127.0.0.1\", {port})) {{\n\
         Ok(_) => v.iter().sum(),\n\
         Err(_) => -1,\n}}\n}}\n{TRIANGLE}"
    );
    [
        ("writes-outside", writes_outside),
        ("survives", survives),
        ("connects", connects),
    ]
}

/// A triangle that asks for 8 GiB, past the tests' memory limit.
const MEMORY_HOG: &str = "pub fn sum(v: &[i64]) -> i64 { v.iter().sum() }\n\
               pub fn triangle(n: u64) -> u64 {\n\
               let hog = vec![1u8; 8 << 30];\n\
               (1..=n).sum::<u64>() + u64::from(hog[hog.len() / 2]) - 1\n}\n";

/// Lab alpha of the submission `name`.
fn alpha<'a>(gradebook: &'a Gradebook, name: &str) -> &'a LabGrade {
    lab(find(gradebook, name), "01-alpha")
}

/// Every attack ran in the sandbox, and cost nothing in lab beta.
fn check_sandboxed_and_beta_graded(gradebook: &Gradebook) {
    for s in &gradebook.submissions {
        assert_eq!(s.sandbox, Sandboxing::Sandboxed, "{}", s.id);
        assert_eq!(
            lab(s, "02-beta").points,
            6.0,
            "{}: beta still graded: {:#?}",
            s.id,
            s.labs
        );
    }
}

/// Forged passes: the sums fail, with the reason; the honest triangles pass.
fn check_forged_passes(gradebook: &Gradebook) {
    let failed = [TestOutcome::Crashed, TestOutcome::Crashed];
    let passed3 = [TestOutcome::Passed; 3];
    for name in ["forged-exact", "forged-summary"] {
        assert_eq!(outcomes(alpha(gradebook, name), "sums::"), failed, "{name}");
        assert_eq!(
            outcomes(alpha(gradebook, name), "triangles::")[..3],
            passed3,
            "{name}"
        );
    }
    let exact = test(
        alpha(gradebook, "forged-exact"),
        "sums::sum_adds_everything",
    );
    assert!(message(exact).contains("from inside the test"), "{exact:?}");
    let summary = test(
        alpha(gradebook, "forged-summary"),
        "sums::sum_adds_everything",
    );
    assert!(
        message(summary).contains("before libtest reported"),
        "{summary:?}"
    );
}

/// The solutions are out of reach: at compile time and at test time.
fn check_solutions_out_of_reach(gradebook: &Gradebook) {
    for name in ["deep-path", "relative-path"] {
        assert_eq!(
            alpha(gradebook, name).status,
            LabStatus::DoesNotCompile,
            "{name}"
        );
        assert_eq!(alpha(gradebook, name).points, 0.0, "{name}");
    }
    assert_eq!(
        outcomes(alpha(gradebook, "reads-course"), "sums::"),
        [TestOutcome::Passed; 2],
        "the course tree reads as absent"
    );
    let json = serde_json::to_string(gradebook).unwrap();
    assert!(
        !json.contains(SECRET),
        "the solution leaked into the gradebook"
    );
}

/// Nothing escapes: no file outside the scratch, no process left, no host connection.
fn check_nothing_escapes(gradebook: &Gradebook, traps: &Traps) {
    assert!(
        !traps.escape.exists(),
        "{} was written",
        traps.escape.display()
    );
    assert!(!traps.course_escape.exists());
    assert_eq!(processes_with(&traps.survivor), Vec::<String>::new());
    assert_eq!(alpha(gradebook, "survives").points, 6.0);
    assert_eq!(
        outcomes(alpha(gradebook, "connects"), "sums::"),
        [TestOutcome::Failed; 2]
    );
    assert_eq!(
        traps.listener.accept().map(|_| ()).map_err(|e| e.kind()),
        Err(ErrorKind::WouldBlock),
        "a test reached the host's loopback"
    );
}

/// A memory hog is stopped at the limit, and the feedback says so.
fn check_memory_hog(gradebook: &Gradebook) {
    let hog = test(
        alpha(gradebook, "memory-hog"),
        "triangles::triangle_of_four_is_ten",
    );
    assert_eq!(hog.outcome, TestOutcome::OutOfMemory, "{hog:?}");
    assert!(
        message(hog).starts_with("exceeded the memory limit (1 GiB)"),
        "{hog:?}"
    );
    assert_eq!(
        outcomes(alpha(gradebook, "memory-hog"), "sums::"),
        [TestOutcome::Passed; 2]
    );
}

/// A symbolic link where the sources should be is refused, by name.
fn check_symlinked_src(gradebook: &Gradebook) {
    let linked = alpha(gradebook, "symlinked-src");
    assert_eq!(linked.status, LabStatus::Refused, "{linked:?}");
    assert!(
        linked
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("exercises/01-alpha/src is a symbolic link"),
        "{linked:?}"
    );
}

/// A submission whose alpha `src/` is an absolute link to someone else's sources.
fn symlinked_src(dir: &Path) -> PathBuf {
    let path = attack(dir, "symlinked-src", "");
    let src = path.join("exercises/01-alpha/src");
    fs::remove_dir_all(&src).unwrap();
    let elsewhere = submission("all-correct").join("exercises/01-alpha/src");
    std::os::unix::fs::symlink(elsewhere, &src).unwrap();
    path
}

/// A copy of the fixture course whose lab beta has a solution, a test that needs a program
/// this machine lacks (its solution fails it here), and a feature whose tool is missing.
fn course_with_a_missing_tool(work: &Path) -> PathBuf {
    let root = work.join("course");
    run_ok(Command::new("cp").arg("-r").arg(course()).arg(&root));
    let beta = root.join("exercises/02-beta");
    fs::write(
        beta.join("tests/tool.rs"),
        "#[test]\nfn needs_a_tool_the_machine_lacks() {\n    \
         let found = std::process::Command::new(\"xtask-fixture-missing-tool\").status();\n    \
         assert!(found.is_ok(), \"needs xtask-fixture-missing-tool on PATH\");\n}\n",
    )
    .unwrap();
    let lab_toml = fs::read_to_string(beta.join("lab.toml")).unwrap();
    fs::write(
        beta.join("lab.toml"),
        lab_toml.replace(
            "[grading]",
            "[exercise_files]\nwords = [\"src/lib.rs\"]\n\n\
             [features.imaginary]\ntool = \"open-mpi\"\n\
             needs = \"xtask-fixture-missing-tool\"\n\n[grading]",
        ),
    )
    .unwrap();
    let solution = root.join("solutions/02-beta/src");
    fs::create_dir_all(&solution).unwrap();
    fs::copy(
        submission("all-correct").join("exercises/02-beta/src/lib.rs"),
        solution.join("lib.rs"),
    )
    .unwrap();
    root
}

#[test]
fn a_test_the_machine_cannot_run_stops_grading_or_counts_for_no_one() {
    let temp = scratch("missing-tool");
    let work = temp.path();
    let root = course_with_a_missing_tool(work);
    let correct = [submission("all-correct")];
    let error = grade(&root, &correct, &options(&work.join("work")))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("02-beta `tool::needs_a_tool_the_machine_lacks`: needs xtask-fixture"),
        "{error}"
    );
    assert!(
        error.contains("02-beta `tool:imaginary`: its tests need `xtask-fixture-missing-tool`"),
        "{error}"
    );
    assert!(error.contains("--void-missing-tools"), "{error}");

    let voiding = Options {
        void_missing_tools: true,
        ..options(&work.join("work"))
    };
    let gradebook = grade(&root, &correct, &voiding).unwrap();
    let beta_info = &gradebook.labs[1];
    assert_eq!(
        beta_info.max, 6.0,
        "the lab's points spread over the tests that run"
    );
    assert_eq!(beta_info.voided.len(), 2, "{:?}", beta_info.voided);
    let beta = lab(&gradebook.submissions[0], "02-beta");
    assert_eq!(
        beta.points, 6.0,
        "a correct submission loses nothing to the machine"
    );
    let tool = test(beta, "tool::needs_a_tool_the_machine_lacks");
    assert_eq!((tool.outcome, tool.max), (TestOutcome::Voided, 0.0));
    assert!(message(tool).starts_with("counts for no one"), "{tool:?}");
    temp.close().unwrap();
}

#[test]
fn a_submission_cannot_poison_the_build_cache_of_the_next() {
    let temp = scratch("poison");
    let work = temp.path();
    let given = work.join("given");
    fs::create_dir_all(&given).unwrap();
    let poisoner = attack(
        &given,
        "poisoner",
        &sum_that(
            "if let Some(target) = std::env::current_exe().ok().as_deref()\n\
             .and_then(|exe| exe.parent()?.parent()?.parent()) {\n\
             let _ = std::fs::write(target.join(\".rustc_info.json\"), \"poisoned\");\n\
             let deps = target.join(\"debug/deps\");\n\
             let _ = std::fs::write(deps.join(\"libplanted-0123456789abcdef.rlib\"), \"x\");\n\
             for entry in std::fs::read_dir(&deps).into_iter().flatten().flatten() {\n\
             use std::io::Write;\n\
             if let Ok(mut file) = std::fs::OpenOptions::new().append(true).open(entry.path()) {\n\
             let _ = file.write_all(b\"poison\");\n}\n}\n}",
        ),
    );
    let options = Options {
        jobs: 1,
        ..options(&work.join("work"))
    };
    let paths = [poisoner, submission("all-correct")];
    let gradebook = grade(&course(), &paths, &options).unwrap();
    assert_eq!(
        gradebook.submissions[1].points, 12.0,
        "the next one is graded as usual"
    );
    let target = work.join("work/worker-0/target");
    let info = fs::read_to_string(target.join(".rustc_info.json")).unwrap();
    assert!(!info.contains("poisoned"));
    let planted = target.join("debug/deps/libplanted-0123456789abcdef.rlib");
    assert!(
        !planted.exists(),
        "what a submission leaves is gone before the next"
    );
    temp.close().unwrap();
}

#[test]
fn odd_names_bombs_and_archived_links_grade_or_are_refused_by_name() {
    let temp = scratch("odd-inputs");
    let work = temp.path();
    let given = work.join("given");
    fs::create_dir_all(&given).unwrap();
    let mut paths = odd_names(&given);
    paths.push(gzip_bomb(&given));
    paths.push(archived_link(&given));
    let options = Options {
        archive_caps: input::Caps {
            max_bytes: 16 << 20,
            max_entries: 1000,
        },
        ..options(&work.join("work"))
    };
    let gradebook = grade(&course(), &paths, &options).unwrap();
    check_odd_inputs_graded_or_refused(&gradebook);
    // Every output is written, whatever the names.
    let out = work.join("out");
    write_outputs(&gradebook, &out).unwrap();
    let csv = fs::read_to_string(out.join("gradebook.csv")).unwrap();
    assert!(csv.contains("Jérôme Lefèvre"), "{csv}");
    assert_eq!(fs::read_dir(out.join("feedback")).unwrap().count(), 5);
    temp.close().unwrap();
}

/// The correct submission under names with accents, spaces, quotes, and bytes that are not
/// UTF-8, in `given`.
fn odd_names(given: &Path) -> Vec<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let accented = given.join("Jérôme Lefèvre");
    let quoted = given.join("O'Brien \"Bob\"");
    let raw = given.join(std::ffi::OsStr::from_bytes(b"caf\xe9-latin1"));
    for dir in [&accented, &quoted, &raw] {
        run_ok(
            Command::new("cp")
                .arg("-r")
                .arg(submission("all-correct"))
                .arg(dir),
        );
    }
    vec![accented, quoted, raw]
}

/// A gzip bomb in `given`: 64 MiB of zeros in a few hundred KiB, against a 16 MiB cap.
fn gzip_bomb(given: &Path) -> PathBuf {
    let bomb = given.join("bomb.tar.gz");
    run_ok(Command::new("sh").arg("-c").arg(format!(
        "cd {} && head -c 67108864 /dev/zero > zeros && tar -czf {} zeros && rm zeros",
        given.display(),
        bomb.display()
    )));
    bomb
}

/// An archive in `given` whose alpha src/ is a relative link (to beta's, a real folder).
fn archived_link(given: &Path) -> PathBuf {
    let linked = given.join("linked");
    run_ok(
        Command::new("cp")
            .arg("-r")
            .arg(submission("all-correct"))
            .arg(&linked),
    );
    let src = linked.join("exercises/01-alpha/src");
    fs::remove_dir_all(&src).unwrap();
    std::os::unix::fs::symlink("../02-beta/src", &src).unwrap();
    let linked_tar = given.join("linked.tar.gz");
    run_ok(
        Command::new("tar")
            .arg("-czf")
            .arg(&linked_tar)
            .arg("-C")
            .arg(given)
            .arg("linked"),
    );
    linked_tar
}

/// The odd names are graded under safe ids; the bomb and the link are refused, each saying
/// why.
fn check_odd_inputs_graded_or_refused(gradebook: &Gradebook) {
    use SubmissionStatus::{Graded, Unreadable};
    assert_eq!(
        summary(gradebook),
        [
            ("Jérôme Lefèvre", 12.0, Graded),
            ("O'Brien \"Bob\"", 12.0, Graded),
            ("caf\u{fffd}-latin1", 12.0, Graded),
            ("bomb", 0.0, Unreadable),
            ("linked", 6.0, Graded),
        ]
    );
    for s in &gradebook.submissions {
        let safe = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
        assert!(s.id.chars().all(safe), "{}", s.id);
    }
    assert!(gradebook.submissions[0].id.starts_with("Jerome_Lefevre-"));
    let bomb = &gradebook.submissions[3];
    let why = bomb.reason.as_deref().unwrap_or_default();
    assert!(why.contains("16 MiB"), "the refusal names the cap: {why}");
    let linked = lab(&gradebook.submissions[4], "01-alpha");
    assert_eq!(linked.status, LabStatus::Refused, "{linked:?}");
    assert!(
        linked
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("symbolic link"),
        "{linked:?}"
    );
}
