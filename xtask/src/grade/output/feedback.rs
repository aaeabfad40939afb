//! `feedback/<id>.md`, for the student: the total, points per lab, and per lab what failed
//! with the test's own message, where, and the command that runs that test again; why a test
//! was killed (its time or memory limit, a crash); why a lab could not be graded. Tests voided
//! because the grader's machine lacks something are listed as counting for no one, never as
//! the student's failure.
//!
//! Never in it: the honesty findings and how the code was run (sandboxed or not), which are
//! for the instructor (`honesty.md`).

use std::fmt::Write as _;

use super::super::model::{
    Gradebook, LabGrade, LabInfo, LabStatus, SubmissionGrade, SubmissionStatus, TestGrade,
    TestOutcome, reference_kernel, show,
};
use super::super::speed::{INNER, MAX_SPREAD};
use super::{code, md_text};

/// The student's report (the heading shows the submission's name as given).
pub fn feedback_markdown(gradebook: &Gradebook, submission: &SubmissionGrade) -> String {
    let mut md = String::new();
    let name = match md_text(&submission.name) {
        name if name.is_empty() => submission.id.clone(),
        name => name,
    };
    let _ = writeln!(md, "# Feedback for {name}\n");
    let _ = writeln!(
        md,
        "Total: **{} / {}** points.\n",
        show(submission.points),
        show(submission.max)
    );
    if let Some(commit) = &submission.commit {
        let _ = writeln!(md, "Graded commit: {}.\n", code(commit));
    }
    if submission.status == SubmissionStatus::Error {
        let _ = writeln!(
            md,
            "Not graded, through no fault of yours: the grader failed.\n"
        );
        let _ = writeln!(md, "{}", fenced(submission.reason.as_deref().unwrap_or("")));
        return md;
    }
    if submission.status == SubmissionStatus::Unreadable {
        let _ = writeln!(
            md,
            "Your submission could not be read, so nothing was graded:\n"
        );
        let _ = writeln!(md, "{}", fenced(submission.reason.as_deref().unwrap_or("")));
        let _ = writeln!(
            md,
            "Submit a directory, git repository, .tar.gz or .zip holding your `exercises/` folder."
        );
        return md;
    }
    let _ = writeln!(md, "| lab | points | status |\n|---|---|---|");
    for lab in &submission.labs {
        let _ = writeln!(
            md,
            "| {} | {} / {} | {} |",
            lab.lab,
            show(lab.points),
            show(lab.max),
            lab.status.words()
        );
    }
    for lab in &submission.labs {
        let info = gradebook.labs.iter().find(|info| info.name == lab.lab);
        let title = info
            .map(|info| format!(": {}", info.title))
            .unwrap_or_default();
        let _ = writeln!(
            md,
            "\n## {}{title} ({} / {})\n",
            lab.lab,
            show(lab.points),
            show(lab.max)
        );
        lab_section(&mut md, lab, info);
    }
    md
}

fn lab_section(md: &mut String, lab: &LabGrade, info: Option<&LabInfo>) {
    let ran = |test: &&TestGrade| {
        !matches!(
            test.outcome,
            TestOutcome::NotRun | TestOutcome::Ignored | TestOutcome::Voided
        )
    };
    // A lab with a Python crate (tests with their own `rerun`) can build in part.
    let cargo_ran = lab
        .tests
        .iter()
        .any(|test| test.rerun.is_none() && ran(&test));
    if let Some(reason) = &lab.reason {
        let what = match lab.status {
            LabStatus::DoesNotCompile if lab.tests.iter().any(|test| ran(&test)) => {
                "Part of the lab does not compile, so its tests did not run. The error:"
            }
            LabStatus::DoesNotCompile => {
                "The lab does not compile, so none of its tests ran. The first error:"
            }
            LabStatus::Missing | LabStatus::Refused => "Not graded:",
            LabStatus::TimedOut => "Out of time:",
            LabStatus::Crashed => "A test crashed or was killed:",
            LabStatus::Error | LabStatus::Ok => "Not graded (the grader's problem, not yours):",
        };
        let _ = writeln!(md, "{what}\n\n{}", fenced(reason));
        if lab.status == LabStatus::DoesNotCompile && !cargo_ran {
            let _ = writeln!(md, "Reproduce: `cargo test -p {} --no-run`\n", lab.package);
        }
    }
    let built = !matches!(
        lab.status,
        LabStatus::DoesNotCompile | LabStatus::Missing | LabStatus::Refused | LabStatus::Error
    ) || lab.tests.iter().any(|test| ran(&test));
    if built {
        tests_section(md, lab);
    }
    voided_section(md, lab, info);
    speed_section(md, lab);
}

/// The speed of the exercises whose speed counts: each one's times against the reference,
/// ratio, points, spread and load, or why it was not timed or scored; then how it was
/// measured.
fn speed_section(md: &mut String, lab: &LabGrade) {
    if lab.speed.is_empty() {
        return;
    }
    let _ = writeln!(
        md,
        "### Speed
"
    );
    let ms = |seconds: Option<f64>| seconds.map_or("-".into(), |s| format!("{:.3} ms", s * 1e3));
    let _ = writeln!(
        md,
        "| exercise | size | reference | yours | ratio | points | spread | load |\n\
         |---|---|---|---|---|---|---|---|"
    );
    for speed in &lab.speed {
        let points = match speed.status.is_scored() {
            true => format!("{} / {}", show(speed.points), show(speed.max)),
            false => "unscored".into(),
        };
        let _ = writeln!(
            md,
            "| `{}` | {} | {} | {} | {} | {points} | {} | {} |",
            speed.exercise,
            speed.size,
            ms(speed.reference_seconds),
            ms(speed.student_seconds),
            speed.ratio.map_or("-".into(), |r| format!("{r:.2}")),
            speed
                .spread
                .map_or("-".into(), |s| format!("{:.1} %", s * 100.0)),
            speed.load.map_or("-".into(), |l| format!("{l:.2}")),
        );
    }
    md.push('\n');
    for speed in &lab.speed {
        if speed.against != reference_kernel() {
            let _ = writeln!(
                md,
                "`{}` is timed against {}: its reference column is that time.\n",
                speed.exercise, speed.against
            );
        }
        if let Some(reason) = &speed.reason {
            let _ = writeln!(
                md,
                "`{}`, {}: {}\n",
                speed.exercise,
                speed.status.words(),
                md_text(reason)
            );
        }
    }
    let rounds = lab
        .speed
        .iter()
        .map(|speed| speed.rounds)
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        md,
        "How it was measured: on the grading machine, after every submission was built and \
         tested (nothing else running), your speed probe and the reference solution's ran \
         turn about, {rounds} runs each, each run a fresh process timing the kernel {} times \
         and keeping its best; each side's best run counts. Ratio = the reference's time ÷ \
         yours (1: as fast as the reference). Spread = how far the median run is above the \
         best (a series spread by over {:.0} % is measured again with twice the runs, and \
         is not scored if it still is). Load: the machine's 1-minute load average before the \
         runs. Only a kernel whose tests all pass is timed. Time yours with `cargo xtask speed \
         {}`.\n",
        INNER,
        MAX_SPREAD * 100.0,
        lab.package
    );
}

/// The lab's tests: the failing ones, each with what it said and how to rerun it (those not
/// run for one reason grouped), then the passed and the ignored ones.
fn tests_section(md: &mut String, lab: &LabGrade) {
    let failing: Vec<&TestGrade> = lab
        .tests
        .iter()
        .filter(|test| {
            !matches!(
                test.outcome,
                TestOutcome::Passed | TestOutcome::Ignored | TestOutcome::Voided
            )
        })
        .collect();
    if failing.is_empty() {
        let _ = writeln!(md, "Every test passes.\n");
    }
    let grouped = not_run_groups(md, lab, &failing);
    for test in failing {
        if test.outcome == TestOutcome::NotRun && grouped.contains(&test.message) {
            continue;
        }
        failing_test(md, lab, test);
    }
    passed_and_ignored(md, lab);
}

/// Tests not run for one reason (a part of the lab that did not build, the lab's time
/// running out) are listed together, under that reason, once; returns the reasons shown.
fn not_run_groups(md: &mut String, lab: &LabGrade, failing: &[&TestGrade]) -> Vec<Option<String>> {
    let mut shown = Vec::new();
    for test in failing {
        if test.outcome != TestOutcome::NotRun || shown.contains(&test.message) {
            continue;
        }
        let same: Vec<&&TestGrade> = failing
            .iter()
            .filter(|other| other.outcome == TestOutcome::NotRun && other.message == test.message)
            .collect();
        if same.len() < 2 {
            continue;
        }
        shown.push(test.message.clone());
        let ids: Vec<String> = same.iter().map(|test| format!("`{}`", test.id)).collect();
        let max: f64 = same.iter().map(|test| test.max).sum();
        let _ = writeln!(
            md,
            "### {} tests not run (0 / {})\n\n{}.\n",
            same.len(),
            show(max),
            ids.join(", ")
        );
        match (&test.message, &lab.reason) {
            // The lab's reason, already shown above.
            (Some(message), Some(reason)) if message.ends_with(reason.as_str()) => {
                let _ = writeln!(md, "Not run for the reason above.\n");
            }
            (Some(message), _) => {
                let _ = writeln!(md, "{}", fenced(message));
            }
            (None, _) => {}
        }
    }
    shown
}

/// One failing test: its outcome and points, why it was killed, what it said, where, and
/// the command that reruns it.
fn failing_test(md: &mut String, lab: &LabGrade, test: &TestGrade) {
    let _ = writeln!(
        md,
        "### `{}`: {} ({} / {})\n",
        test.id,
        test.outcome.words(),
        show(test.points),
        show(test.max)
    );
    let killed = match test.outcome {
        TestOutcome::TimedOut => Some("It was killed for running past its time limit"),
        TestOutcome::OutOfMemory => {
            Some("It was killed for using more memory than the limit allows")
        }
        TestOutcome::Crashed => {
            Some("Its process crashed (a stack overflow, an abort or a signal)")
        }
        _ => None,
    };
    if let Some(killed) = killed {
        let _ = writeln!(
            md,
            "{killed}: it scores 0, and the lab's other tests still count.\n"
        );
    }
    if let Some(message) = &test.message {
        let _ = writeln!(md, "{}", fenced(message));
    }
    if let Some(location) = &test.location {
        let _ = writeln!(md, "At {}.\n", code(location));
    }
    match &test.rerun {
        Some(rerun) => {
            let _ = writeln!(md, "Reproduce: {}\n", code(rerun));
        }
        None => {
            let _ = writeln!(
                md,
                "Reproduce: `cargo test -p {} --test {} -- --exact {}`\n",
                lab.package, test.target, test.name
            );
        }
    }
}

/// The passed tests on one line, then each ignored one with its reason.
fn passed_and_ignored(md: &mut String, lab: &LabGrade) {
    let passed: Vec<String> = lab
        .tests
        .iter()
        .filter(|test| test.outcome == TestOutcome::Passed)
        .map(|test| format!("`{}`", test.id))
        .collect();
    if !passed.is_empty() {
        let _ = writeln!(md, "Passed ({}): {}.\n", passed.len(), passed.join(", "));
    }
    for test in lab
        .tests
        .iter()
        .filter(|t| t.outcome == TestOutcome::Ignored)
    {
        let reason = test.message.as_deref().unwrap_or("no reason given");
        let _ = writeln!(
            md,
            "Ignored, counts neither way: `{}` ({}).\n",
            test.id,
            md_text(reason)
        );
    }
}

/// The tests that count for no one in this run, each with why.
fn voided_section(md: &mut String, lab: &LabGrade, info: Option<&LabInfo>) {
    let voided: Vec<&TestGrade> = lab
        .tests
        .iter()
        .filter(|test| test.outcome == TestOutcome::Voided)
        .collect();
    if voided.is_empty() {
        return;
    }
    let _ = writeln!(md, "Voided, through no fault of yours:\n");
    for test in voided {
        let why = info
            .and_then(|info| info.voided.get(&test.id))
            .or(test.message.as_ref())
            .map(|why| why.trim().trim_end_matches('.').to_string())
            .filter(|why| !why.is_empty())
            .unwrap_or_else(|| "the grader's machine lacks what this test needs".into());
        let _ = writeln!(md, "- `{}`: {}: counts for no one.", test.id, md_text(&why));
    }
    md.push('\n');
}

/// `text` in a code fence longer than any run of backticks inside it.
fn fenced(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{}\n{fence}\n", text.trim_end())
}
