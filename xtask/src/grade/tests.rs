//! Golden tests: the fixture submissions in `xtask/fixtures/grade/submissions`, graded against
//! the tiny fixture course beside them, each with the grade it must get.
//!
//! The course: lab `01-alpha` (5 tests worth 1 + 1 + 1 + 2 + 1 = 6 points, and one test
//! ignored for want of a GPU) and lab `02-beta` (3 tests, the lab worth 6 points split by
//! weight: 1.5 + 1.5 + 3).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use std::{env, fs};

use super::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/grade")
}

pub(super) fn course() -> PathBuf {
    fixtures().join("course")
}

pub(super) fn submission(name: &str) -> PathBuf {
    fixtures().join("submissions").join(name)
}

/// A fresh scratch directory for one test, removed when dropped (or by `close`, which says
/// whether it could be). Readable by all, as a folder the tests made used to be: the grader's
/// work folder goes in it, and the sandboxed tests run as another user must reach theirs.
pub(super) fn scratch(test: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("xtask-grade-{test}-"))
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .tempdir()
        .unwrap()
}

pub(super) fn options(work: &Path) -> Options {
    Options {
        work: work.to_path_buf(),
        jobs: 2,
        lab_timeout: Duration::from_secs(60),
        test_timeout: Duration::from_secs(2),
        test_resources: ResourceLimits {
            memory: 1 << 30,
            file_size: 64 << 20,
            processes: 512,
            cpu: None,
        },
        unsandboxed: false,
        archive_caps: input::Caps::DEFAULT,
        shard: None,
        void_missing_tools: false,
        labs: Vec::new(),
        progress: false,
        speed_rounds: 2,
    }
}

pub(super) fn find<'a>(gradebook: &'a Gradebook, name: &str) -> &'a SubmissionGrade {
    gradebook
        .submissions
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no submission {name} in the gradebook"))
}

pub(super) fn lab<'a>(submission: &'a SubmissionGrade, lab: &str) -> &'a LabGrade {
    submission
        .labs
        .iter()
        .find(|l| l.lab == lab)
        .unwrap_or_else(|| panic!("{}: no lab {lab}", submission.name))
}

pub(super) fn test<'a>(lab: &'a LabGrade, id: &str) -> &'a TestGrade {
    lab.tests
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("{}: no test {id}", lab.lab))
}

fn reason(lab: &LabGrade) -> &str {
    lab.reason.as_deref().unwrap_or_default()
}

/// Each submission's name as given, points and status, in order.
pub(super) fn summary(gradebook: &Gradebook) -> Vec<(&str, f64, SubmissionStatus)> {
    gradebook
        .submissions
        .iter()
        .map(|s| (s.name.as_str(), s.points, s.status))
        .collect()
}

pub(super) fn message(test: &TestGrade) -> &str {
    test.message.as_deref().unwrap_or_default()
}

/// The processes whose working directory is under `dir`: what a test left running.
fn processes_under(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| {
            fs::read_link(entry.path().join("cwd")).is_ok_and(|cwd| cwd.starts_with(dir))
        })
        .map(|entry| {
            let cmdline = fs::read(entry.path().join("cmdline")).unwrap_or_default();
            String::from_utf8_lossy(&cmdline).replace('\0', " ")
        })
        .collect()
}

/// Each fixture submission and what it must get: (name, lab 1 points and status, lab 2
/// points and status).
const GOLDEN: &[(&str, f64, LabStatus, f64, LabStatus)] = &[
    ("all-correct", 6.0, LabStatus::Ok, 6.0, LabStatus::Ok),
    ("all-stubs", 0.0, LabStatus::Ok, 0.0, LabStatus::Ok),
    (
        "no-compile",
        0.0,
        LabStatus::DoesNotCompile,
        6.0,
        LabStatus::Ok,
    ),
    ("panic", 5.0, LabStatus::Ok, 6.0, LabStatus::Ok),
    (
        "infinite-loop",
        6.0,
        LabStatus::Ok,
        3.0,
        LabStatus::TimedOut,
    ),
    ("assert-true", 0.0, LabStatus::Ok, 6.0, LabStatus::Ok),
    ("deleted-test", 2.0, LabStatus::Ok, 6.0, LabStatus::Ok),
    ("print-flood", 6.0, LabStatus::Ok, 6.0, LabStatus::Ok),
    (
        "added-dependency",
        0.0,
        LabStatus::DoesNotCompile,
        6.0,
        LabStatus::Ok,
    ),
    (
        "stack-overflow",
        4.0,
        LabStatus::Crashed,
        6.0,
        LabStatus::Ok,
    ),
    (
        "exercises-only",
        6.0,
        LabStatus::Ok,
        0.0,
        LabStatus::Missing,
    ),
];

#[test]
fn fixture_submissions_get_their_expected_grades() {
    let temp = scratch("golden");
    let work = temp.path();
    let gradebook = grade(&course(), &golden_paths(), &options(work)).unwrap();
    check_golden_points(&gradebook);
    check_stubs(&gradebook);
    check_does_not_compile(&gradebook);
    check_panic(&gradebook);
    check_infinite_loop(&gradebook, work);
    check_instructor_tests_restored(&gradebook);
    check_added_dependency(&gradebook);
    check_stack_overflow(&gradebook);
    check_exercises_only(&gradebook);
    check_golden_outputs(&gradebook, &work.join("out"));
    temp.close().unwrap();
}

/// Where each of `GOLDEN`'s submissions is, in order.
fn golden_paths() -> Vec<PathBuf> {
    GOLDEN
        .iter()
        .map(|(name, ..)| match *name {
            // Just the exercises/ tree, as some students hand in.
            "exercises-only" => submission(name).join("exercises"),
            _ => submission(name),
        })
        .collect()
}

/// Each submission gets `GOLDEN`'s points and statuses, out of the course's 12 points.
fn check_golden_points(gradebook: &Gradebook) {
    assert_eq!(gradebook.max, 12.0);
    let maxes: Vec<f64> = gradebook.labs.iter().map(|lab| lab.max).collect();
    assert_eq!(maxes, [6.0, 6.0]);
    assert_eq!(gradebook.submissions.len(), GOLDEN.len());
    for (s, (name, alpha, alpha_status, beta, beta_status)) in
        gradebook.submissions.iter().zip(GOLDEN)
    {
        assert_eq!(s.name, *name);
        let got = |l: &str| (lab(s, l).points, lab(s, l).status);
        assert_eq!(
            (got("01-alpha"), got("02-beta")),
            ((*alpha, *alpha_status), (*beta, *beta_status)),
            "{name}: {:#?}",
            s.labs
        );
        assert_eq!(s.points, alpha + beta, "{name}");
        assert_eq!(s.max, 12.0);
    }
}

/// Stubs: zero, every test failed with its todo!() message; the GPU test is ignored.
fn check_stubs(gradebook: &Gradebook) {
    let stubs = lab(find(gradebook, "all-stubs"), "01-alpha");
    let sum = test(stubs, "sums::sum_adds_everything");
    assert_eq!(sum.outcome, TestOutcome::Failed);
    assert!(
        message(sum).contains("not yet implemented: add up [1, 2, 3, -4]"),
        "{sum:?}"
    );
    let gpu = test(stubs, "triangles::triangles_on_the_gpu");
    assert_eq!(
        (gpu.outcome, message(gpu), gpu.max),
        (TestOutcome::Ignored, "needs a CUDA GPU", 0.0)
    );
    let beta = lab(find(gradebook, "all-stubs"), "02-beta");
    let maxes: Vec<f64> = beta.tests.iter().map(|t| t.max).collect();
    assert_eq!(maxes, [3.0, 1.5, 1.5], "{beta:?}");
}

/// Does not compile: the first error, with the path the student knows; nothing ran.
fn check_does_not_compile(gradebook: &Gradebook) {
    let broken = lab(find(gradebook, "no-compile"), "01-alpha");
    assert!(reason(broken).contains("mismatched types"), "{broken:?}");
    assert!(
        reason(broken).contains("exercises/01-alpha/src/lib.rs:5:5"),
        "{broken:?}"
    );
    assert!(!reason(broken).contains("worker-"), "{broken:?}");
    assert!(
        broken
            .tests
            .iter()
            .all(|t| matches!(t.outcome, TestOutcome::NotRun | TestOutcome::Ignored))
    );
}

/// A panic fails only its own test, with the panic's message and where it happened.
fn check_panic(gradebook: &Gradebook) {
    let panic = lab(find(gradebook, "panic"), "01-alpha");
    let zero = test(panic, "triangles::triangle_of_zero_is_zero");
    assert_eq!(zero.outcome, TestOutcome::Failed);
    assert!(
        message(zero).contains("index out of bounds: the len is 0 but the index is 0"),
        "{zero:?}"
    );
    assert_eq!(
        zero.location.as_deref(),
        Some("exercises/01-alpha/src/lib.rs:11:9")
    );
}

/// An infinite loop: that test is killed, with the process it started (nothing is left
/// running under `work`); the others count.
fn check_infinite_loop(gradebook: &Gradebook, work: &Path) {
    let looping = lab(find(gradebook, "infinite-loop"), "02-beta");
    let palindromes = test(looping, "words::palindromes_are_detected");
    assert_eq!(palindromes.outcome, TestOutcome::TimedOut);
    assert!(
        message(palindromes).starts_with("did not finish within 2 s (killed)"),
        "{palindromes:?}"
    );
    assert!(
        reason(looping).contains("`words::palindromes_are_detected` did not finish within 2 s"),
        "{looping:?}"
    );
    assert_eq!(processes_under(work), Vec::<String>::new());
}

/// Edited and deleted tests: the instructor's are back.
fn check_instructor_tests_restored(gradebook: &Gradebook) {
    let edited = lab(find(gradebook, "assert-true"), "01-alpha");
    assert!(message(test(edited, "sums::sum_of_nothing_is_zero")).contains("not yet implemented"));
    let deleted = lab(find(gradebook, "deleted-test"), "01-alpha");
    let outcome = |id| test(deleted, id).outcome;
    assert_eq!(outcome("sums::sum_adds_everything"), TestOutcome::Passed);
    assert_eq!(
        outcome("triangles::triangle_of_four_is_ten"),
        TestOutcome::Failed
    );
    assert_eq!(
        test(
            lab(find(gradebook, "deleted-test"), "02-beta"),
            "words::reverse_of_empty_is_empty"
        )
        .outcome,
        TestOutcome::Passed
    );
}

/// An added dependency: the manifest is the instructor's, so the crate is unknown.
fn check_added_dependency(gradebook: &Gradebook) {
    let added = lab(find(gradebook, "added-dependency"), "01-alpha");
    assert!(reason(added).contains("itoa"), "{added:?}");
}

/// A stack overflow crashes its tests (each rerun alone), not the grader or the lab.
fn check_stack_overflow(gradebook: &Gradebook) {
    let overflow = lab(find(gradebook, "stack-overflow"), "01-alpha");
    let crashed = test(overflow, "sums::sum_adds_everything");
    assert_eq!(crashed.outcome, TestOutcome::Crashed);
    assert!(
        message(crashed).contains("has overflowed its stack"),
        "{crashed:?}"
    );
    assert!(
        message(crashed).contains("thread 'sum_adds_everything' has"),
        "thread ids are gone: {crashed:?}"
    );
    assert!(
        reason(overflow).contains("crashed: stack overflow"),
        "{overflow:?}"
    );
    assert_eq!(
        test(overflow, "triangles::triangle_of_a_hundred").outcome,
        TestOutcome::Passed
    );
}

/// Just the exercises/ tree of one lab: the other lab is missing, and says so.
fn check_exercises_only(gradebook: &Gradebook) {
    let missing = lab(find(gradebook, "exercises-only"), "02-beta");
    assert!(
        reason(missing).contains("no exercises/02-beta/src"),
        "{missing:?}"
    );
}

/// The outputs written to `out`: both CSVs, the JSON, the honesty report and the feedback.
fn check_golden_outputs(gradebook: &Gradebook, out: &Path) {
    write_outputs(gradebook, out).unwrap();
    check_golden_csv(&fs::read_to_string(out.join("gradebook.csv")).unwrap());
    let long = fs::read_to_string(out.join("gradebook-long.csv")).unwrap();
    assert_eq!(
        long.lines().next(),
        Some("id,name,lab,test,points,max,outcome")
    );
    assert!(
        long.contains("\npanic,panic,01-alpha,(lab),5,6,ok\n"),
        "{long}"
    );
    assert!(
        long.contains("\npanic,panic,01-alpha,triangles::triangle_of_zero_is_zero,0,1,failed\n"),
        "{long}"
    );
    assert!(out.join("honesty.md").is_file());
    let json: Gradebook =
        serde_json::from_str(&fs::read_to_string(out.join("gradebook.json")).unwrap()).unwrap();
    assert_eq!(json.submissions.len(), GOLDEN.len());
    let feedback = fs::read_to_string(out.join("feedback/panic.md")).unwrap();
    assert!(
        feedback.contains("Total: **11 / 12** points."),
        "{feedback}"
    );
    assert!(
        feedback
            .contains("cargo test -p alpha --test triangles -- --exact triangle_of_zero_is_zero"),
        "{feedback}"
    );
    let feedback = fs::read_to_string(out.join("feedback/no-compile.md")).unwrap();
    assert!(feedback.contains("mismatched types"), "{feedback}");
}

/// gradebook.csv: its header, one row per submission, and a few rows in full.
fn check_golden_csv(csv: &str) {
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "id,name,01-alpha,01-alpha max,01-alpha status,02-beta,02-beta max,02-beta status,\
         total,max,status,sandbox,source"
    );
    let row = |start: &str| lines.iter().any(|line| line.starts_with(start));
    assert_eq!(lines.len(), GOLDEN.len() + 1);
    assert!(
        row("panic,panic,5,6,ok,6,6,ok,11,12,ok,sandboxed,"),
        "{csv}"
    );
    assert!(
        row("infinite-loop,infinite-loop,6,6,ok,3,6,timed out,9,12,02-beta: timed out,"),
        "{csv}"
    );
    assert!(
        row("no-compile,no-compile,0,6,does not compile,6,6,ok,6,12,01-alpha: does not compile,"),
        "{csv}"
    );
}

pub(super) fn run_ok(command: &mut Command) {
    let out = command.output().unwrap();
    assert!(out.status.success(), "{command:?}: {out:?}");
}

#[test]
fn archives_repositories_and_unreadable_submissions() {
    let temp = scratch("inputs");
    let work = temp.path();
    let paths = given_inputs(&work.join("given"));
    let gradebook = grade(&course(), &paths, &options(&work.join("work"))).unwrap();
    check_input_grades(&gradebook);
    check_input_outputs(&gradebook, &work.join("out"), paths.len());
    temp.close().unwrap();
}

/// Submissions in every form a grader is handed, made in `given`: archives good and broken, a
/// file, a path that does not exist, an empty folder, and a repository twice (its last commit
/// and its working tree). In the order `check_input_grades` expects.
fn given_inputs(given: &Path) -> Vec<PathBuf> {
    fs::create_dir_all(given).unwrap();
    let submissions = fixtures().join("submissions");

    // A .tar.gz with everything inside one folder, and a .zip of just exercises/.
    run_ok(
        Command::new("tar")
            .arg("-czf")
            .arg(given.join("alice.tar.gz"))
            .arg("-C")
            .arg(&submissions)
            .arg("all-correct"),
    );
    run_ok(
        Command::new("python3")
            .args(["-m", "zipfile", "-c"])
            .arg(given.join("bob.zip"))
            .arg(submissions.join("panic/exercises")),
    );
    fs::write(given.join("broken.tar.gz"), b"not a gzip stream").unwrap();
    fs::write(given.join("notes.txt"), b"my homework").unwrap();
    fs::create_dir_all(given.join("empty")).unwrap();
    let carol = carol_repository(given, &submissions);
    vec![
        given.join("alice.tar.gz"),
        given.join("bob.zip"),
        given.join("broken.tar.gz"),
        given.join("notes.txt"),
        given.join("nowhere"),
        given.join("empty"),
        carol.join(".git"),
        carol,
    ]
}

/// A repository: its last commit is graded through `.git`; its working tree, broken after
/// the commit, is graded as a directory.
fn carol_repository(given: &Path, submissions: &Path) -> PathBuf {
    let carol = given.join("carol");
    run_ok(
        Command::new("cp")
            .arg("-r")
            .arg(submissions.join("all-correct"))
            .arg(&carol),
    );
    let git = |args: &[&str]| {
        let mut command = Command::new("git");
        command
            .arg("-C")
            .arg(&carol)
            .args([
                "-c",
                "user.name=Carol",
                "-c",
                "user.email=carol@example.org",
            ])
            .args(args);
        run_ok(&mut command);
    };
    git(&["init", "--quiet"]);
    git(&["add", "."]);
    git(&["commit", "--quiet", "-m", "lab 1 and 2"]);
    fs::write(
        carol.join("exercises/01-alpha/src/lib.rs"),
        "pub fn sum(values: &[i64]) -> i64 { values }\npub fn triangle(n: u64) -> u64 { n }\n",
    )
    .unwrap();
    carol
}

/// Each input is graded or refused with its reason; the two carols are told apart.
fn check_input_grades(gradebook: &Gradebook) {
    use SubmissionStatus::{Graded, Unreadable};
    assert_eq!(
        summary(gradebook),
        [
            ("alice", 12.0, Graded),
            ("bob", 11.0, Graded),
            ("broken", 0.0, Unreadable),
            ("notes.txt", 0.0, Unreadable),
            ("nowhere", 0.0, Unreadable),
            ("empty", 0.0, Unreadable),
            ("carol", 12.0, Graded),
            ("carol", 6.0, Graded),
        ]
    );
    let why = |name| find(gradebook, name).reason.clone().unwrap_or_default();
    assert!(
        why("broken").contains("cannot read the archive"),
        "{}",
        why("broken")
    );
    assert!(
        why("notes.txt").contains("not a directory"),
        "{}",
        why("notes.txt")
    );
    assert!(
        why("nowhere").contains("does not exist"),
        "{}",
        why("nowhere")
    );
    assert!(why("empty").contains("no exercises/"), "{}", why("empty"));
    let bob = lab(find(gradebook, "bob"), "01-alpha");
    assert_eq!(bob.status, LabStatus::Ok);
    // The two carols: the same name, told apart by their ids (name + hash of the path).
    let carols = &gradebook.submissions[6..];
    assert!(carols[0].id.starts_with("carol-") && carols[1].id.starts_with("carol-"));
    assert_ne!(carols[0].id, carols[1].id);
    let commit = carols[0].commit.clone().unwrap_or_default();
    assert_eq!(commit.len(), 40, "{commit}");
    assert_eq!(
        lab(&carols[1], "01-alpha").status,
        LabStatus::DoesNotCompile
    );
}

/// The outputs in `out`: a CSV row for each of the `inputs`, unreadable ones included, and
/// feedback that says why.
fn check_input_outputs(gradebook: &Gradebook, out: &Path, inputs: usize) {
    write_outputs(gradebook, out).unwrap();
    let csv = fs::read_to_string(out.join("gradebook.csv")).unwrap();
    assert_eq!(csv.lines().count(), inputs + 1, "{csv}");
    assert!(
        csv.lines().any(|line| line
            .starts_with("notes.txt,notes.txt,0,6,missing,0,6,missing,0,12,\"unreadable: ")),
        "{csv}"
    );
    let feedback = fs::read_to_string(out.join("feedback/broken.md")).unwrap();
    assert!(feedback.contains("could not be read"), "{feedback}");
}

#[test]
fn the_lab_time_limit_covers_build_and_tests() {
    let temp = scratch("deadline");
    let work = temp.path();
    let options = Options {
        lab_timeout: Duration::from_secs(8),
        test_timeout: Duration::from_secs(60),
        jobs: 1,
        ..options(work)
    };
    let gradebook = grade(&course(), &[submission("infinite-loop")], &options).unwrap();
    let s = &gradebook.submissions[0];
    assert_eq!(lab(s, "01-alpha").points, 6.0);
    let beta = lab(s, "02-beta");
    assert_eq!(
        (beta.status, beta.points),
        (LabStatus::TimedOut, 3.0),
        "{beta:?}"
    );
    assert!(beta.seconds < 20.0, "{beta:?}");
    assert_eq!(processes_under(work), Vec::<String>::new());
    temp.close().unwrap();
}

#[test]
fn weights_split_the_points_and_ignored_tests_count_neither_way() {
    let tests: Vec<TestInfo> = ["a::x", "a::y", "b::z", "b::gpu"]
        .iter()
        .map(|id| TestInfo {
            id: id.to_string(),
            target: id.split("::").next().unwrap().into(),
            name: id.split("::").nth(1).unwrap().into(),
            ignored: id.ends_with("gpu").then(|| "needs a CUDA GPU".into()),
            rerun: None,
        })
        .collect();
    let mut grading = crate::workspace::Grading::default();
    let plain = model::worth(&grading, &tests, &std::collections::BTreeMap::new());
    assert_eq!(
        plain.values().copied().collect::<Vec<_>>(),
        [1.0, 1.0, 0.0, 1.0]
    );
    grading.weights.insert("b::z".into(), 2.0);
    grading.points = Some(10.0);
    let weighted = model::worth(&grading, &tests, &std::collections::BTreeMap::new());
    assert_eq!(weighted["a::x"], 2.5);
    assert_eq!(weighted["b::z"], 5.0);
    assert_eq!(weighted["b::gpu"], 0.0);
    assert_eq!(model::show(10.0 / 3.0), "3.33");
    assert_eq!(model::show(1.5), "1.5");
    assert_eq!(model::show(6.0), "6");
}

#[test]
fn lab_toml_grading_is_optional_and_strict() {
    let parse = |text: &str| toml::from_str::<crate::workspace::LabToml>(text);
    let plain = parse("title = \"T\"\nchapter = \"c.md\"\n").unwrap();
    assert_eq!(plain.grading.points, None);
    assert!(plain.grading.weights.is_empty());
    let graded = parse(
        "title = \"T\"\nchapter = \"c.md\"\n[grading]\npoints = 10\n\
         [grading.weights]\n\"views::a\" = 2\n",
    )
    .unwrap();
    assert_eq!(graded.grading.points, Some(10.0));
    assert_eq!(graded.grading.weights["views::a"], 2.0);
    let typo = parse("title = \"T\"\nchapter = \"c.md\"\n[grading]\npoint = 10\n");
    assert!(
        typo.unwrap_err()
            .to_string()
            .contains("unknown field `point`")
    );
}

#[test]
fn unknown_weights_are_refused() {
    let temp = scratch("weights");
    let work = temp.path();
    let course = work.join("course");
    run_ok(
        Command::new("cp")
            .arg("-r")
            .arg(super::tests::course())
            .arg(&course),
    );
    let lab_toml = course.join("exercises/02-beta/lab.toml");
    let text = fs::read_to_string(&lab_toml).unwrap();
    fs::write(
        &lab_toml,
        text.replace("words::palindromes_are_detected", "words::palindrome"),
    )
    .unwrap();
    let error = grade(&course, &[], &options(&work.join("work")))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("`words::palindrome`, which is not a test"),
        "{error}"
    );
    assert!(error.contains("words::palindromes_are_detected"), "{error}");
    temp.close().unwrap();
}
