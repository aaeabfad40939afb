//! What `grade` writes: `gradebook.csv` (a row per submission, a column per lab),
//! `gradebook.json` (everything, per test), `feedback/<submission>.md` (for the student), and
//! the table on the terminal.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use comfy_table::{Cell, Color, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::model::{
    Gradebook, LabGrade, LabStatus, SubmissionGrade, SubmissionStatus, TestOutcome, show,
};

/// Writes the three outputs into `out` (feedback files from an earlier run are replaced).
pub fn write_outputs(gradebook: &Gradebook, out: &Path) -> Result<()> {
    let feedback = out.join("feedback");
    if feedback.exists() {
        fs::remove_dir_all(&feedback)
            .with_context(|| format!("removing {}", feedback.display()))?;
    }
    fs::create_dir_all(&feedback).with_context(|| format!("creating {}", feedback.display()))?;
    fs::write(out.join("gradebook.csv"), csv(gradebook))?;
    fs::write(
        out.join("gradebook.json"),
        serde_json::to_string_pretty(gradebook)? + "\n",
    )?;
    for submission in &gradebook.submissions {
        let path = feedback.join(format!("{}.md", submission.name));
        fs::write(&path, feedback_markdown(gradebook, submission))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// `submission,<lab>...,total,max,status`, one row per submission.
pub fn csv(gradebook: &Gradebook) -> String {
    let mut header = vec!["submission".to_string()];
    header.extend(gradebook.labs.iter().map(|lab| lab.name.clone()));
    header.extend(["total", "max", "status"].map(String::from));
    let mut text = csv_row(&header);
    for submission in &gradebook.submissions {
        let mut row = vec![submission.name.clone()];
        for lab in &gradebook.labs {
            let points = submission
                .labs
                .iter()
                .find(|graded| graded.lab == lab.name)
                .map_or(0.0, |graded| graded.points);
            row.push(show(points));
        }
        row.push(show(submission.points));
        row.push(show(submission.max));
        row.push(submission.summary());
        text += &csv_row(&row);
    }
    text
}

fn csv_row(fields: &[String]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|field| {
            if field.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", field.replace('"', "\"\""))
            } else {
                field.clone()
            }
        })
        .collect();
    quoted.join(",") + "\n"
}

/// The student's report: points per lab, each failing test with its message and the command
/// that reproduces it, and why a lab could not be graded.
pub fn feedback_markdown(gradebook: &Gradebook, submission: &SubmissionGrade) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Feedback for {}\n", submission.name);
    let _ = writeln!(
        md,
        "Total: **{} / {}** points.\n",
        show(submission.points),
        show(submission.max)
    );
    if let Some(commit) = &submission.commit {
        let _ = writeln!(md, "Graded commit: `{commit}`.\n");
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
        let title = gradebook
            .labs
            .iter()
            .find(|info| info.name == lab.lab)
            .map(|info| format!(": {}", info.title))
            .unwrap_or_default();
        let _ = writeln!(
            md,
            "\n## {}{title} ({} / {})\n",
            lab.lab,
            show(lab.points),
            show(lab.max)
        );
        lab_section(&mut md, lab);
    }
    md
}

fn lab_section(md: &mut String, lab: &LabGrade) {
    let built = !matches!(
        lab.status,
        LabStatus::DoesNotCompile | LabStatus::Missing | LabStatus::Refused | LabStatus::Error
    ) || lab
        .tests
        .iter()
        .any(|test| test.outcome != TestOutcome::NotRun && test.outcome != TestOutcome::Ignored);
    if let Some(reason) = &lab.reason {
        let what = match lab.status {
            LabStatus::DoesNotCompile => {
                "The lab does not compile, so none of its tests ran. The first error:"
            }
            LabStatus::Missing | LabStatus::Refused => "Not graded:",
            LabStatus::TimedOut => "Out of time:",
            LabStatus::Crashed => "A test crashed:",
            LabStatus::Error | LabStatus::Ok => "Not graded (the grader's problem, not yours):",
        };
        let _ = writeln!(md, "{what}\n\n{}", fenced(reason));
        if lab.status == LabStatus::DoesNotCompile {
            let _ = writeln!(md, "Reproduce: `cargo test -p {} --no-run`\n", lab.package);
        }
    }
    if !built {
        return;
    }
    let passed: Vec<&str> = lab
        .tests
        .iter()
        .filter(|test| test.outcome == TestOutcome::Passed)
        .map(|test| test.id.as_str())
        .collect();
    let failing: Vec<_> = lab
        .tests
        .iter()
        .filter(|test| !matches!(test.outcome, TestOutcome::Passed | TestOutcome::Ignored))
        .collect();
    if failing.is_empty() {
        let _ = writeln!(md, "Every test passes.\n");
    }
    for test in failing {
        let _ = writeln!(
            md,
            "### `{}`: {} (0 / {})\n",
            test.id,
            test.outcome.words(),
            show(test.max)
        );
        if let Some(message) = &test.message {
            let _ = writeln!(md, "{}", fenced(message));
        }
        if let Some(location) = &test.location {
            let _ = writeln!(md, "At `{location}`.\n");
        }
        let _ = writeln!(
            md,
            "Reproduce: `cargo test -p {} --test {} -- --exact {}`\n",
            lab.package, test.target, test.name
        );
    }
    if !passed.is_empty() {
        let list: Vec<String> = passed.iter().map(|id| format!("`{id}`")).collect();
        let _ = writeln!(md, "Passed ({}): {}.\n", passed.len(), list.join(", "));
    }
    for test in lab
        .tests
        .iter()
        .filter(|t| t.outcome == TestOutcome::Ignored)
    {
        let reason = test.message.as_deref().unwrap_or("no reason given");
        let _ = writeln!(
            md,
            "Ignored, counts neither way: `{}` ({reason}).\n",
            test.id
        );
    }
}

/// `text` in a code fence longer than any run of backticks inside it.
fn fenced(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{}\n{fence}\n", text.trim_end())
}

/// The gradebook as a table: a row per submission, `points/max` per lab.
pub fn print_table(gradebook: &Gradebook) {
    let mut table = Table::new();
    let mut header = vec!["submission".to_string()];
    header.extend(gradebook.labs.iter().map(|lab| lab.name.clone()));
    header.extend(["total".into(), "status".into()]);
    table.load_style(UTF8_FULL_CONDENSED).set_header(header);
    if table.width().is_some_and(|width| width >= 60) {
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
    for submission in &gradebook.submissions {
        let mut row = vec![Cell::new(&submission.name)];
        for lab in &gradebook.labs {
            let graded = submission.labs.iter().find(|graded| graded.lab == lab.name);
            let cell = match graded {
                Some(graded) => {
                    let cell = Cell::new(format!("{}/{}", show(graded.points), show(graded.max)));
                    match graded.status {
                        LabStatus::Ok => cell,
                        _ => cell.fg(Color::Red),
                    }
                }
                None => Cell::new("-"),
            };
            row.push(cell);
        }
        row.push(Cell::new(format!(
            "{}/{}",
            show(submission.points),
            show(submission.max)
        )));
        row.push(Cell::new(submission.summary()));
        table.add_row(row);
    }
    println!("{table}");
}
