//! The two CSV files: UTF-8 without a byte-order mark, `\n` line ends, one header line, fields
//! quoted as RFC 4180 says (in double quotes, a quote doubled) when they hold a comma, a quote,
//! a line break, or space at either end. Points are written as people read them: `6`, `1.5`,
//! `3.33` (to the hundredth; `gradebook.json` has them to the millionth).
//!
//! `gradebook.csv`, a row per submission, for a spreadsheet:
//!
//! ```text
//! id,name,01-alpha,01-alpha max,01-alpha status,02-beta,...,total,max,status,sandbox,source
//! panic,panic,5,6,ok,6,6,ok,11,12,ok,sandboxed,submissions/panic
//! ```
//!
//! For each lab, its points, what it was worth and its status in words (`ok`, `does not
//! compile`, `timed out`, `crashed`, `missing`, `refused`, `grader error`); then the submission's total,
//! maximum and summary (`ok`, or what went wrong, lab by lab), whether its code ran in the
//! sandbox (`sandboxed`, `unsandboxed`) and the path as given.
//!
//! `gradebook-long.csv`, for an LMS import or a pivot table: one row per submission and lab
//! whose `test` is `(lab)`, holding the lab's points, maximum and status (the grade item an LMS
//! wants), followed by one row per test of that lab with the test's points, maximum and
//! outcome (`passed`, `failed`, `ignored`, `timed out`, `crashed`, `exceeded the memory limit`,
//! `not run`, `voided`):
//!
//! ```text
//! id,name,lab,test,points,max,outcome
//! panic,panic,01-alpha,(lab),5,6,ok
//! panic,panic,01-alpha,sums::sum_adds_everything,1,1,passed
//! ```
//!
//! After a lab's tests, one row per exercise whose speed counts (lab.toml `[speed]`), whose
//! `test` is `speed:<exercise>`: its speed points and maximum, and as outcome `timed: ratio
//! R, spread S %, load L` (R: the reference's best time ÷ the student's) or `not timed`,
//! `failed`, `noisy, unscored`, `grader error, unscored` with why. An unscored result has
//! empty points and maximum (not 0 of N: the lab's row leaves it out, and the submission's
//! status in `gradebook.csv` names it, to rerun):
//!
//! ```text
//! panic,panic,03-parallel,speed:blocked,1.25,2,"timed: ratio 0.412, spread 1.3 %, load 0.08"
//! ```
//!
//! Every submission has a `(lab)` row for every lab, in the gradebook's order, even one that
//! could not be read (no test rows then). So filtering `test = (lab)` gives exactly
//! submissions × labs rows; the test and speed rows' points add up to their `(lab)` row's,
//! so sum one
//! kind or the other, never both. Ignored and voided tests are worth 0 (`max` 0) and count
//! for no one.

use super::super::model::{
    Gradebook, LabGrade, LabStatus, Sandboxing, SpeedGrade, SpeedStatus, SubmissionGrade,
    first_line, show,
};

/// `gradebook.csv`: `id,name`, then `<lab>,<lab> max,<lab> status` per lab, then
/// `total,max,status,sandbox,source`; one row per submission, in the gradebook's order.
pub fn gradebook_csv(gradebook: &Gradebook) -> String {
    let mut header = vec!["id".to_string(), "name".to_string()];
    for lab in &gradebook.labs {
        header.push(lab.name.clone());
        header.push(format!("{} max", lab.name));
        header.push(format!("{} status", lab.name));
    }
    header.extend(["total", "max", "status", "sandbox", "source"].map(String::from));
    let mut text = row(&header);
    for submission in &gradebook.submissions {
        let mut fields = vec![submission.id.clone(), submission.name.clone()];
        for lab in &gradebook.labs {
            let (points, max, status) =
                lab_cells(submission.labs.iter().find(|g| g.lab == lab.name), lab.max);
            fields.extend([points, max, status]);
        }
        fields.push(show(submission.points));
        fields.push(show(submission.max));
        fields.push(submission.summary());
        fields.push(sandbox_words(submission).to_string());
        fields.push(submission.source.clone());
        text += &row(&fields);
    }
    text
}

/// `gradebook-long.csv`: `id,name,lab,test,points,max,outcome`; per submission and lab, the
/// `(lab)` row, then a row per test.
pub fn long_csv(gradebook: &Gradebook) -> String {
    let header = ["id", "name", "lab", "test", "points", "max", "outcome"].map(String::from);
    let mut text = row(&header);
    for submission in &gradebook.submissions {
        for lab in &gradebook.labs {
            let graded = submission.labs.iter().find(|g| g.lab == lab.name);
            let (points, max, status) = lab_cells(graded, lab.max);
            let mut line = |test: &str, points: String, max: String, outcome: String| {
                text += &row(&[
                    submission.id.clone(),
                    submission.name.clone(),
                    lab.name.clone(),
                    test.to_string(),
                    points,
                    max,
                    outcome,
                ]);
            };
            line("(lab)", points, max, status);
            for test in graded.map_or(&[][..], |graded| &graded.tests) {
                line(
                    &test.id,
                    show(test.points),
                    show(test.max),
                    test.outcome.words().to_string(),
                );
            }
            for speed in graded.map_or(&[][..], |graded| &graded.speed) {
                let (points, max) = speed_cells(speed);
                line(
                    &format!("speed:{}", speed.exercise),
                    points,
                    max,
                    speed_outcome(speed),
                );
            }
        }
    }
    text
}

/// A speed result's points and maximum: empty when it is unscored (`noisy`, `error`), which
/// is not zero.
fn speed_cells(speed: &SpeedGrade) -> (String, String) {
    match speed.status.is_scored() {
        true => (show(speed.points), show(speed.max)),
        false => (String::new(), String::new()),
    }
}

/// `timed: ratio 0.83, spread 2 %, load 0.10`, or the status and why.
pub(in super::super) fn speed_outcome(speed: &SpeedGrade) -> String {
    match (speed.status, speed.ratio, speed.spread) {
        (SpeedStatus::Timed, Some(ratio), Some(spread)) => format!(
            "timed: ratio {ratio:.3}, spread {:.1} %, load {}",
            spread * 100.0,
            speed
                .load
                .map_or("unknown".into(), |load| format!("{load:.2}"))
        ),
        (status, ..) => match &speed.reason {
            Some(reason) => format!("{}: {}", status.words(), first_line(reason)),
            None => status.words().to_string(),
        },
    }
}

/// A lab's points, maximum and status words; a lab missing from a submission's grades (the
/// grader failed on it before it got there) is 0 of `max`, `grader error`.
fn lab_cells(graded: Option<&LabGrade>, max: f64) -> (String, String, String) {
    match graded {
        Some(graded) => (
            show(graded.points),
            show(graded.max),
            graded.status.words().to_string(),
        ),
        None => (show(0.0), show(max), LabStatus::Error.words().to_string()),
    }
}

fn sandbox_words(submission: &SubmissionGrade) -> &'static str {
    match submission.sandbox {
        Sandboxing::Sandboxed => "sandboxed",
        Sandboxing::Unsandboxed => "unsandboxed",
    }
}

/// One CSV line, `\n`-terminated.
pub(super) fn row(fields: &[String]) -> String {
    let quoted: Vec<String> = fields.iter().map(|field| quote(field)).collect();
    quoted.join(",") + "\n"
}

/// A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break (or
/// starts or ends with white space, which some importers would trim), quotes doubled.
pub(super) fn quote(field: &str) -> String {
    let needs = field.contains([',', '"', '\n', '\r'])
        || field.starts_with(char::is_whitespace)
        || field.ends_with(char::is_whitespace);
    match needs {
        true => format!("\"{}\"", field.replace('"', "\"\"")),
        false => field.to_string(),
    }
}
