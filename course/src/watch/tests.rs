use std::cell::RefCell;

use notify::event::{AccessKind, CreateKind, EventKind, ModifyKind};

use super::*;
use crate::libtest::{Outcome, TestResult};
use crate::workspace::{Crate, LabToml};

/// A lab whose exercises go `intro`, `views`, `broadcast` (not alphabetical).
fn lab() -> Lab {
    Lab {
        name: "01-strides".into(),
        stub: Crate {
            dir: PathBuf::from("/nowhere/exercises/01-strides"),
            package: "strides".into(),
            lib: "strides".into(),
            features: Vec::new(),
        },
        solution: None,
        meta: LabToml {
            title: "Strides".into(),
            exercises: vec!["intro".into(), "views".into(), "broadcast".into()],
            ..LabToml::default()
        },
    }
}

fn exe(target: &str) -> TestExe {
    TestExe {
        manifest_path: "/nowhere/exercises/01-strides/Cargo.toml".into(),
        target: target.into(),
        kind: vec!["test".into()],
        path: format!("/nowhere/target/debug/deps/{target}-0").into(),
        run_env: Vec::new(),
    }
}

/// Results of an exercise whose tests pass or fail as `passing` says.
fn results(target: &str, passing: &[bool]) -> TargetResults {
    let results = passing
        .iter()
        .enumerate()
        .map(|(i, &passes)| TestResult {
            id: format!("{target}::t{i}"),
            name: format!("t{i}"),
            outcome: match passes {
                true => Outcome::Passed,
                false => Outcome::Failed {
                    message: "not yet".into(),
                    location: None,
                },
            },
        })
        .collect();
    TargetResults {
        target: target.into(),
        results,
    }
}

/// Runs `standing` over the lab's three exercises (given in alphabetical order, as cargo lists
/// them), with `passing` saying which tests pass; returns it and the exercises that ran.
fn run(passing: &[(&str, &[bool])]) -> (Standing, Vec<String>) {
    let ran = RefCell::new(Vec::new());
    let exes = vec![exe("broadcast"), exe("intro"), exe("views")];
    let standing = standing(&lab(), exes, |exe| {
        ran.borrow_mut().push(exe.target.clone());
        let (_, passing) = passing
            .iter()
            .find(|(target, _)| *target == exe.target)
            .expect("every exercise has results");
        Ok(results(&exe.target, passing))
    })
    .unwrap();
    (standing, ran.into_inner())
}

#[test]
fn the_current_exercise_is_the_first_unfinished_one_in_the_labs_order() {
    let (standing, ran) = run(&[
        ("intro", &[true, true]),
        ("views", &[true, false]),
        ("broadcast", &[false]),
    ]);
    let Standing::Unfinished { current, done } = standing else {
        panic!("views is unfinished: {standing:?}");
    };
    assert_eq!((current.target.as_str(), done), ("views", 1));
    // The exercises after the current one are not run: a save reruns only what matters.
    assert_eq!(ran, ["intro", "views"]);
}

#[test]
fn an_exercise_with_no_counted_test_is_not_the_current_one() {
    let (standing, _) = run(&[
        ("intro", &[]),
        ("views", &[true]),
        ("broadcast", &[false, false]),
    ]);
    assert!(
        matches!(&standing, Standing::Unfinished { current, done: 2 } if current.target == "broadcast"),
        "{standing:?}"
    );
}

#[test]
fn a_lab_whose_exercises_all_pass_is_finished_and_says_so() {
    let (standing, ran) = run(&[
        ("intro", &[true]),
        ("views", &[true]),
        ("broadcast", &[true]),
    ]);
    assert!(matches!(standing, Standing::Finished { done: 3 }));
    assert_eq!(ran.len(), 3);
    assert!(report(&lab(), &standing).contains("Every exercise of lab 01-strides passes"));
}

#[test]
fn the_report_names_the_exercise_and_the_hint_to_ask_for() {
    let standing = Standing::Unfinished {
        current: results("views", &[true, false]),
        done: 1,
    };
    let text = report(&lab(), &standing);
    assert!(text.contains("Exercise `views`: 1/2 tests pass"), "{text}");
    assert!(text.contains("cargo xtask hint strides views"), "{text}");
    let broken = report(&lab(), &Standing::DoesNotCompile("error[E0308]".into()));
    assert!(broken.contains("does not compile") && broken.contains("E0308"));
}

#[test]
fn each_run_has_a_header_with_its_number_and_what_started_it() {
    let first = header(&lab(), 1, None);
    assert!(
        first.contains("run 1 of lab 01-strides (Strides)"),
        "{first}"
    );
    let second = header(&lab(), 2, Some("exercises/01-strides/src/views.rs"));
    assert!(second.contains("after exercises/01-strides/src/views.rs was saved"));
}

#[test]
fn only_a_saved_source_file_starts_a_run() {
    let event = |kind: EventKind, path: &str| Event::new(kind).add_path(PathBuf::from(path));
    let write = EventKind::Modify(ModifyKind::Any);
    assert_eq!(
        saved_source(&event(write, "/lab/src/views.rs")),
        Some(PathBuf::from("/lab/src/views.rs"))
    );
    let created = EventKind::Create(CreateKind::File);
    assert!(saved_source(&event(created, "/lab/src/kernel.cu")).is_some());
    // Reading a file, an editor's swap file, a test's output: no run.
    let read = EventKind::Access(AccessKind::Any);
    assert_eq!(saved_source(&event(read, "/lab/src/views.rs")), None);
    assert_eq!(saved_source(&event(write, "/lab/src/.views.rs.swp")), None);
    assert_eq!(saved_source(&event(write, "/lab/tests/field.npy")), None);
}
