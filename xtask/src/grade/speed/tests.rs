//! The pure parts of the speed grading, with fake timings.

use super::*;
use ::course::floor::Work;

fn speed() -> SpeedToml {
    SpeedToml {
        bench: "speed".into(),
        kernel_alone: None,
        size: "20x20x5".into(),
        work: Work::Cityblock,
        full_at: 0.5,
        none_below: 0.1,
        points: 2.0,
    }
}

#[test]
fn a_series_alternates_reference_and_student() {
    use Side::*;
    assert_eq!(
        plan(3),
        [Reference, Student, Reference, Student, Reference, Student]
    );
    assert_eq!(plan(0), [Reference, Student], "at least one round");
}

#[test]
fn best_median_and_spread() {
    let times = [1.2, 1.0, 1.1, 5.0];
    assert_eq!(best(&times), 1.0);
    assert!((median(&times) - 1.15).abs() < 1e-12);
    assert!((spread(&times) - 0.15).abs() < 1e-12);
    assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
    assert_eq!(spread(&[2.0, 2.0, 2.0]), 0.0);
    let series = Series {
        reference: vec![1.0, 1.02, 1.01],
        student: vec![2.0, 2.4, 2.3],
        load: Some(0.5),
    };
    assert!((series.spread() - 0.15).abs() < 1e-12, "the larger side's");
    assert_eq!(series.ratio(), 0.5);
}

/// The sides a fake probe was asked for, in order.
type Asked = std::rc::Rc<std::cell::RefCell<Vec<Side>>>;

/// A fake probe: each side's times in turn, recording the order it was asked in.
fn fake(
    reference: Vec<f64>,
    student: Vec<f64>,
) -> (impl FnMut(Side) -> Result<f64, String>, Asked) {
    let asked = Asked::default();
    let log = asked.clone();
    let (mut r, mut s) = (reference.into_iter(), student.into_iter());
    let run = move |side: Side| {
        log.borrow_mut().push(side);
        match side {
            Side::Reference => r.next().ok_or_else(|| "no more".to_string()),
            Side::Student => s.next().ok_or_else(|| "no more".to_string()),
        }
    };
    (run, asked)
}

#[test]
fn a_steady_series_is_scored_from_the_ratio_of_the_bests() {
    let (mut run, asked) = fake(vec![1.0, 1.01, 1.02], vec![3.0, 3.05, 3.01]);
    let grade = measure("blocked", &speed(), 3, &mut run, &mut || Some(0.25));
    assert_eq!(grade.status, SpeedStatus::Timed);
    assert_eq!(asked.borrow().len(), 6);
    assert_eq!(grade.reference_seconds, Some(1.0));
    assert_eq!(grade.student_seconds, Some(3.0));
    let ratio = grade.ratio.unwrap();
    assert!((ratio - 1.0 / 3.0).abs() < 1e-12);
    // 1/3 is 0.2333 of the way from 0.1 to 0.5 ... of 2 points: (1/3 - 0.1) / 0.4 * 2.
    assert!((grade.points - round((1.0 / 3.0 - 0.1) / 0.4 * 2.0)).abs() < 1e-9);
    assert_eq!((grade.max, grade.rounds, grade.load), (2.0, 3, Some(0.25)));
    assert!(grade.spread.unwrap() < MAX_SPREAD);
    assert_eq!(grade.reason, None);
}

#[test]
fn a_noisy_series_is_measured_again_with_twice_the_rounds() {
    // First series: the student's median is 30 % above its best; the second is steady.
    let reference = [vec![1.0; 2], vec![1.0; 4]].concat();
    let student = [vec![0.5, 0.65], vec![0.5, 0.51, 0.5, 0.52]].concat();
    let (mut run, asked) = fake(reference, student);
    let loads = std::cell::Cell::new(0.0);
    let mut load = || {
        loads.set(loads.get() + 1.0);
        Some(loads.get())
    };
    let grade = measure("blocked", &speed(), 2, &mut run, &mut load);
    assert_eq!(asked.borrow().len(), 4 + 8);
    assert_eq!(grade.status, SpeedStatus::Timed);
    assert_eq!(grade.rounds, 4);
    assert_eq!(grade.load, Some(2.0), "the load before the series scored");
    assert_eq!(
        grade.points, 2.0,
        "twice the reference's speed: full points"
    );
}

#[test]
fn still_noisy_after_the_second_series_is_unscored_not_zero() {
    let reference = vec![1.0; 6];
    let student = [vec![1.0, 1.5], vec![1.0, 1.5, 1.4, 1.6]].concat();
    let (mut run, _) = fake(reference, student);
    let grade = measure("blocked", &speed(), 2, &mut run, &mut || Some(3.5));
    assert_eq!(grade.status, SpeedStatus::Noisy);
    assert!(!grade.status.is_scored());
    assert_eq!((grade.points, grade.max), (0.0, 0.0));
    let reason = grade.reason.unwrap();
    assert!(reason.contains("spread by 45 %"), "{reason}");
    assert!(reason.contains("load 3.50"), "{reason}");
    assert!(reason.contains("idle machine"), "{reason}");
    assert!(grade.ratio.is_some(), "what was measured is kept");
}

#[test]
fn a_failing_probe_scores_nothing_and_a_failing_reference_is_unscored() {
    let (mut run, _) = fake(vec![1.0; 3], vec![1.0]);
    let grade = measure("blocked", &speed(), 3, &mut run, &mut || None);
    assert_eq!(grade.status, SpeedStatus::Failed);
    assert_eq!((grade.points, grade.max), (0.0, 2.0));
    assert!(
        grade
            .reason
            .unwrap()
            .contains("your speed probe failed: no more")
    );
    let (mut run, _) = fake(vec![], vec![1.0]);
    let grade = measure("blocked", &speed(), 3, &mut run, &mut || None);
    assert_eq!(grade.status, SpeedStatus::Error);
    assert_eq!((grade.points, grade.max), (0.0, 0.0));
}

fn captured(code: i32, stdout: &str, stderr: &str) -> process::Captured {
    use std::os::unix::process::ExitStatusExt;
    process::Captured {
        status: Some(std::process::ExitStatus::from_raw(code << 8)),
        stdout: stdout.into(),
        stderr: stderr.into(),
        timed_out: false,
    }
}

#[test]
fn a_run_counts_only_with_a_plausible_time_at_the_right_size() {
    let line = r#"{"exercise":"blocked","size":"20x20x5","seconds":1.5e-2,"threads":2}"#;
    assert_eq!(
        judge_run(&captured(0, line, ""), 0.3, "20x20x5", 20),
        Ok(0.015)
    );
    let wrong = judge_run(
        &captured(1, "", "speed probe: r[0, 0] is 1, expected 2\nmore"),
        0.3,
        "20x20x5",
        20,
    );
    assert_eq!(
        wrong.unwrap_err(),
        "it exited with exit status: 1: speed probe: r[0, 0] is 1, expected 2"
    );
    let none = judge_run(&captured(0, "hello", ""), 0.3, "20x20x5", 20).unwrap_err();
    assert!(none.contains("printed no time"), "{none}");
    let other = judge_run(
        &captured(0, &line.replace("20x20x5", "2x2x1"), ""),
        0.3,
        "20x20x5",
        20,
    );
    assert!(other.unwrap_err().contains("did not time the size"));
    // A fake line printed by a process too short-lived to have timed anything.
    let fake = line.replace("1.5e-2", "0.5");
    let early = judge_run(&captured(0, &fake, ""), 0.01, "20x20x5", 20).unwrap_err();
    assert!(early.contains("not a measurement"), "{early}");
    let mut killed = captured(0, line, "");
    killed.timed_out = true;
    assert!(
        judge_run(&killed, 20.0, "20x20x5", 20)
            .unwrap_err()
            .contains("time limit of 20 s")
    );
}

#[test]
fn settling_a_lab_adds_the_scored_speed_and_leaves_out_the_unscored() {
    use super::super::model::LabStatus;
    let mut lab = LabGrade {
        lab: "03-parallel".into(),
        package: "parallel".into(),
        status: LabStatus::Ok,
        reason: None,
        points: 0.0,
        max: 0.0,
        seconds: 0.0,
        tests: Vec::new(),
        speed: vec![
            SpeedGrade {
                points: 1.5,
                status: SpeedStatus::Timed,
                ..SpeedGrade::pending("blocked", &speed())
            },
            SpeedGrade {
                status: SpeedStatus::Noisy,
                max: 0.0,
                ..SpeedGrade::pending("other", &speed())
            },
            SpeedGrade::not_timed("third", &speed(), "its tests do not all pass"),
        ],
    };
    settle(&mut lab);
    assert_eq!((lab.points, lab.max), (1.5, 4.0));
    assert_eq!(lab.unscored_speed().count(), 1);
}
