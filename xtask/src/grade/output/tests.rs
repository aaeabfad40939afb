//! The outputs of a hand-made gradebook (no grading: see `grade/tests.rs` for that).

use std::collections::BTreeMap;
use std::fs;

use super::super::model::{
    Finding, Gradebook, LabGrade, LabInfo, LabStatus, Sandboxing, SubmissionGrade,
    SubmissionStatus, TestGrade, TestOutcome,
};
use super::*;

fn test(id: &str, outcome: TestOutcome, max: f64, message: Option<&str>) -> TestGrade {
    let (target, name) = id.split_once("::").unwrap();
    TestGrade {
        id: id.into(),
        target: target.into(),
        name: name.into(),
        outcome,
        message: message.map(String::from),
        location: None,
        points: if outcome == TestOutcome::Passed {
            max
        } else {
            0.0
        },
        max,
        rerun: None,
    }
}

fn lab(name: &str, status: LabStatus, tests: Vec<TestGrade>) -> LabGrade {
    LabGrade {
        lab: name.into(),
        package: name[3..].into(),
        status,
        reason: None,
        points: tests.iter().map(|t| t.points).sum(),
        max: tests.iter().map(|t| t.max).sum(),
        seconds: 1.0,
        tests,
        speed: Vec::new(),
    }
}

fn submission(id: &str, name: &str, labs: Vec<LabGrade>) -> SubmissionGrade {
    SubmissionGrade {
        id: id.into(),
        name: name.into(),
        source: format!("submissions/{name}"),
        status: SubmissionStatus::Graded,
        reason: None,
        commit: None,
        points: labs.iter().map(|l| l.points).sum(),
        max: 6.0,
        labs,
        seconds: 2.0,
        sandbox: Sandboxing::Sandboxed,
        honesty: Vec::new(),
    }
}

/// Two labs (3 + 3 points); lab 2 has a GPU test voided on the grader's machine. Three
/// submissions: one that passes all, one that fails every way with honesty findings, one the
/// grader failed on.
pub(crate) fn gradebook() -> Gradebook {
    Gradebook {
        labs: lab_infos(),
        max: 6.0,
        submissions: vec![alice(), bob(), carol()],
    }
}

/// Full marks; the voided GPU test scores nothing either way.
fn alice() -> SubmissionGrade {
    use TestOutcome::*;
    submission(
        "alice",
        "alice",
        vec![
            lab(
                "01-alpha",
                LabStatus::Ok,
                vec![
                    test("sums::a", Passed, 1.0, None),
                    test("sums::b", Passed, 2.0, None),
                ],
            ),
            lab(
                "02-beta",
                LabStatus::Ok,
                vec![
                    test("words::c", Passed, 3.0, None),
                    test(
                        "gpu::d",
                        Voided,
                        0.0,
                        Some("the grader's machine lacks nvcc"),
                    ),
                ],
            ),
        ],
    )
}

/// A name that needs quoting everywhere, every kind of failure, no sandbox, and honesty
/// findings whose text needs escaping.
fn bob() -> SubmissionGrade {
    use TestOutcome::*;
    let mut bob = submission(
        "Bob_Muller",
        "Bob, \"Bobby\" Müller\n",
        vec![
            lab(
                "01-alpha",
                LabStatus::Crashed,
                vec![
                    test(
                        "sums::a",
                        TimedOut,
                        1.0,
                        Some("did not finish within 2 s (killed)"),
                    ),
                    test(
                        "sums::b",
                        OutOfMemory,
                        2.0,
                        Some("exceeded the memory limit of 4 GiB (killed)"),
                    ),
                ],
            ),
            lab(
                "02-beta",
                LabStatus::Ok,
                vec![
                    test(
                        "words::c",
                        Crashed,
                        3.0,
                        Some("the test process crashed (SIGABRT)"),
                    ),
                    test(
                        "gpu::d",
                        Voided,
                        0.0,
                        Some("the grader's machine lacks nvcc"),
                    ),
                ],
            ),
        ],
    );
    bob.sandbox = Sandboxing::Unsandboxed;
    bob.honesty = vec![
        Finding {
            file: "exercises/01-alpha/src/lib.rs".into(),
            line: 12,
            pattern: "process::exit".into(),
            why: "ends the test process | reports success".into(),
        },
        Finding {
            file: "exercises/01-alpha/src/evil`name.rs".into(),
            line: 0,
            pattern: "#[path]".into(),
            why: "takes another file <as> its source".into(),
        },
    ];
    bob
}

/// A submission the grader itself failed on.
fn carol() -> SubmissionGrade {
    let mut carol = submission("carol", "carol", Vec::new());
    carol.status = SubmissionStatus::Error;
    carol.reason = Some("the grader panicked: boom".into());
    carol
}

/// The two labs: 3 points each, lab 2's GPU test voided.
fn lab_infos() -> Vec<LabInfo> {
    vec![
        LabInfo {
            name: "01-alpha".into(),
            package: "alpha".into(),
            title: "Alpha".into(),
            max: 3.0,
            voided: BTreeMap::new(),
        },
        LabInfo {
            name: "02-beta".into(),
            package: "beta".into(),
            title: "Beta".into(),
            max: 3.0,
            voided: BTreeMap::from([(
                "gpu::d".to_string(),
                "the grader's machine lacks nvcc".to_string(),
            )]),
        },
    ]
}

/// A minimal RFC 4180 reader, to check that what is written reads back.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(field.is_empty() && row.is_empty(), "no final line end");
    rows
}

#[test]
fn the_gradebook_csv_has_three_columns_per_lab_and_reads_back() {
    let gradebook = gradebook();
    let text = gradebook_csv(&gradebook);
    let rows = parse_csv(&text);
    assert_eq!(
        rows[0].join(","),
        "id,name,01-alpha,01-alpha max,01-alpha status,02-beta,02-beta max,02-beta status,\
         total,max,status,sandbox,source"
    );
    assert_eq!(
        text.lines().nth(1),
        Some("alice,alice,3,3,ok,3,3,ok,6,6,ok,sandboxed,submissions/alice")
    );
    assert_eq!(rows.len(), 4);
    assert!(
        rows.iter().all(|row| row.len() == rows[0].len()),
        "{rows:?}"
    );
    // Commas, quotes and a line break in the name survive.
    assert_eq!(rows[2][0], "Bob_Muller");
    assert_eq!(rows[2][1], "Bob, \"Bobby\" Müller\n");
    assert_eq!(rows[2][2..5], ["0", "3", "crashed"]);
    assert_eq!(rows[2][10], "01-alpha: crashed");
    assert_eq!(rows[2][11], "unsandboxed");
    assert_eq!(rows[2][12], "submissions/Bob, \"Bobby\" Müller\n");
    // The grader failed before any lab: each is 0 of its max, `grader error`.
    assert_eq!(
        rows[3][2..8],
        ["0", "3", "grader error", "0", "3", "grader error"]
    );
    assert_eq!(rows[3][10], "grader error: the grader panicked: boom");
}

#[test]
fn csv_fields_are_quoted_only_when_needed() {
    assert_eq!(csv::quote("plain"), "plain");
    assert_eq!(csv::quote("Zoë Ångström 李"), "Zoë Ångström 李");
    assert_eq!(csv::quote("a,b"), "\"a,b\"");
    assert_eq!(csv::quote("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_eq!(csv::quote("two\nlines"), "\"two\nlines\"");
    assert_eq!(csv::quote("cr\r"), "\"cr\r\"");
    assert_eq!(csv::quote(" padded"), "\" padded\"");
    assert_eq!(csv::quote(""), "");
}

#[test]
fn the_long_csv_has_a_lab_row_then_a_row_per_test() {
    let gradebook = gradebook();
    let text = long_csv(&gradebook);
    let rows = parse_csv(&text);
    assert_eq!(rows[0].join(","), "id,name,lab,test,points,max,outcome");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[1..6],
        [
            "alice,alice,01-alpha,(lab),3,3,ok",
            "alice,alice,01-alpha,sums::a,1,1,passed",
            "alice,alice,01-alpha,sums::b,2,2,passed",
            "alice,alice,02-beta,(lab),3,3,ok",
            "alice,alice,02-beta,words::c,3,3,passed",
        ]
    );
    assert_eq!(lines[6], "alice,alice,02-beta,gpu::d,0,0,voided");
    let outcomes: Vec<&str> = rows
        .iter()
        .filter(|row| row[0] == "Bob_Muller" && row[3] != "(lab)")
        .map(|row| row[6].as_str())
        .collect();
    assert_eq!(
        outcomes,
        [
            "timed out",
            "exceeded the memory limit",
            "crashed",
            "voided"
        ]
    );
    // Every submission has a (lab) row per lab, even one the grader failed on.
    let lab_rows = rows.iter().filter(|row| row[3] == "(lab)").count();
    assert_eq!(lab_rows, gradebook.submissions.len() * gradebook.labs.len());
    assert!(
        lines.contains(&"carol,carol,02-beta,(lab),0,3,grader error"),
        "{text}"
    );
    assert!(rows.iter().all(|row| row.len() == 7));
}

#[test]
fn feedback_says_why_a_test_was_killed_and_what_counts_for_no_one() {
    let gradebook = gradebook();
    let bob = &gradebook.submissions[1];
    let md = feedback_markdown(&gradebook, bob);
    assert!(
        md.starts_with("# Feedback for Bob, \"Bobby\" Müller\n\n"),
        "{md}"
    );
    assert!(md.contains("### `sums::a`: timed out (0 / 1)"), "{md}");
    assert!(
        md.contains("killed for running past its time limit"),
        "{md}"
    );
    assert!(md.contains("did not finish within 2 s (killed)"), "{md}");
    assert!(
        md.contains("### `sums::b`: exceeded the memory limit (0 / 2)"),
        "{md}"
    );
    assert!(md.contains("memory limit of 4 GiB"), "{md}");
    assert!(md.contains("### `words::c`: crashed (0 / 3)"), "{md}");
    assert!(
        md.contains("- `gpu::d`: the grader's machine lacks nvcc: counts for no one."),
        "{md}"
    );
    assert!(
        !md.contains("### `gpu::d`"),
        "a voided test is no failure: {md}"
    );
    let alice = feedback_markdown(&gradebook, &gradebook.submissions[0]);
    assert!(alice.contains("Every test passes."), "{alice}");
    assert!(alice.contains("counts for no one"), "{alice}");
}

#[test]
fn feedback_never_shows_the_honesty_findings_or_the_sandbox() {
    let gradebook = gradebook();
    let md = feedback_markdown(&gradebook, &gradebook.submissions[1]);
    for secret in [
        "process::exit",
        "#[path]",
        "lib.rs:12",
        "evil",
        "honesty",
        "sandbox",
    ] {
        assert!(!md.contains(secret), "{secret} in the feedback: {md}");
    }
}

#[test]
fn the_honesty_report_lists_findings_and_counts_the_rest() {
    let md = honesty_markdown(&gradebook());
    assert!(
        md.contains("Submissions with findings: 1 of 3 (the other 2 have none"),
        "{md}"
    );
    assert!(
        md.contains("- `Bob_Muller` (Bob, \"Bobby\" Müller): graded without the sandbox"),
        "{md}"
    );
    assert!(
        md.contains("\n## `Bob_Muller` (Bob, \"Bobby\" Müller)\n\n| file:line | pattern | why |"),
        "{md}"
    );
    assert!(
        md.contains(
            "| `exercises/01-alpha/src/lib.rs:12` | `process::exit` | \
             ends the test process \\| reports success |"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "| ``exercises/01-alpha/src/evil`name.rs`` | `#[path]` | \
             takes another file \\<as\\> its source |"
        ),
        "{md}"
    );
    assert!(!md.contains("## `alice`"), "{md}");
    assert!(!md.contains("## `carol`"), "{md}");
}

#[test]
fn write_outputs_writes_everything_named_by_id() {
    let temp = tempfile::Builder::new()
        .prefix("xtask-output-")
        .tempdir()
        .unwrap();
    let dir = temp.path();
    fs::create_dir_all(dir.join("feedback")).unwrap();
    fs::write(dir.join("feedback/stale.md"), "from an earlier run").unwrap();
    let gradebook = gradebook();
    write_outputs(&gradebook, dir).unwrap();
    for file in [
        "gradebook.csv",
        "gradebook-long.csv",
        "gradebook.json",
        "honesty.md",
        "feedback/alice.md",
        "feedback/Bob_Muller.md",
        "feedback/carol.md",
    ] {
        assert!(dir.join(file).is_file(), "no {file}");
    }
    assert!(!dir.join("feedback/stale.md").exists());
    let json: Gradebook =
        serde_json::from_str(&fs::read_to_string(dir.join("gradebook.json")).unwrap()).unwrap();
    assert_eq!(
        json.submissions[1].honesty,
        gradebook.submissions[1].honesty
    );

    let mut unsafe_id = gradebook.clone();
    unsafe_id.submissions[0].id = "../alice".into();
    let error = write_outputs(&unsafe_id, dir).unwrap_err().to_string();
    assert!(error.contains("`../alice`"), "{error}");
    let mut twice = gradebook;
    twice.submissions[2].id = "ALICE".into();
    let error = write_outputs(&twice, dir).unwrap_err().to_string();
    assert!(
        error.contains("`ALICE`") && error.contains("`alice`"),
        "{error}"
    );
    temp.close().unwrap();
}

#[test]
fn the_table_shows_the_id_and_a_different_name() {
    let text = table(&gradebook()).to_string();
    assert!(text.contains("alice"), "{text}");
    assert!(!text.contains("alice (alice)"), "{text}");
    assert!(text.contains("Bob_Muller (Bob"), "{text}");
    assert!(text.contains("0/3"), "{text}");
    assert!(
        text.contains("-/3"),
        "the grader's error has no lab: {text}"
    );
}

#[test]
fn markdown_text_is_escaped() {
    assert_eq!(md_text("john_doe"), "john_doe");
    assert_eq!(md_text("_x_ *y* <b>"), "\\_x\\_ \\*y\\* \\<b\\>");
    assert_eq!(md_text("a\nb"), "a b");
    assert_eq!(code("a`b"), "``a`b``");
    assert_eq!(code("`a"), "`` `a ``");
    assert_eq!(cell("`a|b`"), "`a\\|b`");
}

/// The example gradebook with speed results in alice's lab 1: one timed, one noisy.
fn with_speed() -> Gradebook {
    use super::super::model::{SpeedGrade, SpeedStatus};
    let mut gradebook = gradebook();
    let timed = SpeedGrade {
        exercise: "sums".into(),
        against: super::super::model::reference_kernel(),
        size: "20x20x5".into(),
        reference_seconds: Some(0.010),
        student_seconds: Some(0.025),
        ratio: Some(0.4),
        spread: Some(0.021),
        load: Some(0.08),
        rounds: 5,
        points: 1.5,
        max: 2.0,
        status: SpeedStatus::Timed,
        reason: None,
    };
    let noisy = SpeedGrade {
        exercise: "triangles".into(),
        spread: Some(0.3),
        rounds: 10,
        points: 0.0,
        max: 0.0,
        status: SpeedStatus::Noisy,
        reason: Some("the runs spread by 30 % (over 10 %): unscored, not zero".into()),
        ..timed.clone()
    };
    let alice = &mut gradebook.submissions[0];
    alice.labs[0].speed = vec![timed, noisy];
    super::super::speed::settle(&mut alice.labs[0]);
    alice.points = alice.labs.iter().map(|lab| lab.points).sum();
    alice.max = alice.labs.iter().map(|lab| lab.max).sum();
    gradebook
}

#[test]
fn speed_results_reach_every_output_and_unscored_is_not_zero() {
    let gradebook = with_speed();
    let alice = &gradebook.submissions[0];
    assert_eq!((alice.labs[0].points, alice.labs[0].max), (4.5, 5.0));
    assert_eq!(
        alice.summary(),
        "01-alpha speed of triangles: noisy, unscored",
        "the status column names what to rerun"
    );
    let long = parse_csv(&long_csv(&gradebook));
    let speed_rows: Vec<&Vec<String>> = long
        .iter()
        .filter(|row| row[0] == "alice" && row[3].starts_with("speed:"))
        .collect();
    assert_eq!(speed_rows.len(), 2);
    assert_eq!(speed_rows[0][3..6], ["speed:sums", "1.5", "2"]);
    assert_eq!(
        speed_rows[0][6],
        "timed: ratio 0.400, spread 2.1 %, load 0.08"
    );
    assert_eq!(
        speed_rows[1][3..6],
        ["speed:triangles", "", ""],
        "unscored: empty, not 0"
    );
    assert!(speed_rows[1][6].starts_with("noisy, unscored: the runs spread by 30 %"));
    let lab_row = long
        .iter()
        .find(|row| row[0] == "alice" && row[2] == "01-alpha" && row[3] == "(lab)")
        .unwrap();
    assert_eq!(lab_row[4..6], ["4.5", "5"]);
    let md = feedback_markdown(&gradebook, alice);
    assert!(md.contains("### Speed"), "{md}");
    assert!(
        md.contains("| `sums` | 20x20x5 | 10.000 ms | 25.000 ms | 0.40 | 1.5 / 2 | 2.1 % | 0.08 |"),
        "{md}"
    );
    assert!(md.contains("| `triangles` |"), "{md}");
    assert!(md.contains("| unscored |"), "{md}");
    assert!(md.contains("turn about, 10 runs each"), "{md}");
    let json = serde_json::to_string(&gradebook).unwrap();
    let back: Gradebook = serde_json::from_str(&json).unwrap();
    assert_eq!(back.submissions[0].labs[0].speed, alice.labs[0].speed);
    assert!(
        !md.contains("is timed against"),
        "a Rust exercise needs no word: {md}"
    );
    // The Python exercise is timed against the given kernel alone: the feedback says so.
    let mut module = gradebook.clone();
    module.submissions[0].labs[0].speed[0].against = "the given kernel alone".into();
    let md = feedback_markdown(&module, &module.submissions[0]);
    assert!(
        md.contains("`sums` is timed against the given kernel alone: its reference column"),
        "{md}"
    );
    // A gradebook written before speed grading reads back with no speed results, and one
    // written before `against` with the reference solution's kernel.
    let before = json.replace(",\"against\":\"the reference solution's kernel\"", "");
    assert_ne!(before, json);
    let before: Gradebook = serde_json::from_str(&before).unwrap();
    assert_eq!(before.submissions[0].labs[0].speed, alice.labs[0].speed);
    let old = json.replace(",\"speed\":[]", "");
    let old: Gradebook = serde_json::from_str(&old).unwrap();
    assert!(old.submissions[1].labs[0].speed.is_empty());
}

#[test]
fn shards_carry_the_speed_results_through_a_merge() {
    let whole = with_speed();
    let parts: Vec<Gradebook> = [&["alice"][..], &["Bob_Muller", "carol"][..]]
        .iter()
        .map(|ids| {
            let mut part = whole.clone();
            part.submissions.retain(|s| ids.contains(&s.id.as_str()));
            part
        })
        .collect();
    let merged = super::super::merge::merge(parts).unwrap();
    let alice = merged.submissions.iter().find(|s| s.id == "alice").unwrap();
    assert_eq!(alice.labs[0].speed, whole.submissions[0].labs[0].speed);
    assert_eq!(long_csv(&merged).matches("speed:").count(), 2);
}
