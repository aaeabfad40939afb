//! `honesty.md`, for the instructor, beside the gradebook: the submissions graded without the
//! sandbox, then, per submission with findings, a table of where (`file:line`), which pattern
//! and why it has no place in an exercise. Submissions without findings are counted, not
//! listed. A finding is a place to look, not a verdict: it costs no points, and it is never in
//! the student's feedback.

use std::fmt::Write as _;

use super::super::model::{Finding, Gradebook, Sandboxing};
use super::{cell, code, md_text, one_line};

/// The instructor's honesty report.
pub fn honesty_markdown(gradebook: &Gradebook) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Honesty report\n");
    let _ = writeln!(
        md,
        "For the instructor only: none of this is in the students' feedback. A finding is a \
         pattern with no place in an exercise, a place to look, not a verdict: it costs no \
         points.\n"
    );
    let total = gradebook.submissions.len();
    let flagged: Vec<_> = gradebook
        .submissions
        .iter()
        .filter(|submission| !submission.honesty.is_empty())
        .collect();
    let unsandboxed: Vec<_> = gradebook
        .submissions
        .iter()
        .filter(|submission| submission.sandbox == Sandboxing::Unsandboxed)
        .collect();
    let _ = writeln!(
        md,
        "Submissions with findings: {} of {total} (the other {} have none, and are not \
         listed).\n\nGraded without the sandbox: {} of {total}.",
        flagged.len(),
        total - flagged.len(),
        unsandboxed.len(),
    );
    if !unsandboxed.is_empty() {
        let _ = writeln!(md, "\n## Graded without the sandbox\n");
        let _ = writeln!(
            md,
            "Their code ran as the instructor, unconfined (`grade --unsandboxed`).\n"
        );
        for submission in &unsandboxed {
            let _ = writeln!(
                md,
                "- {}: graded without the sandbox",
                heading(&submission.id, &submission.name)
            );
        }
    }
    for submission in &flagged {
        let _ = writeln!(md, "\n## {}\n", heading(&submission.id, &submission.name));
        let _ = writeln!(md, "| file:line | pattern | why |\n|---|---|---|");
        for finding in &submission.honesty {
            let _ = writeln!(
                md,
                "| {} | {} | {} |",
                cell(&code(&place(finding))),
                cell(&code(&finding.pattern)),
                cell(&md_text(&finding.why))
            );
        }
    }
    md
}

/// `file:line`, or the file alone for a finding about the whole file.
fn place(finding: &Finding) -> String {
    match finding.line {
        0 => finding.file.clone(),
        line => format!("{}:{line}", finding.file),
    }
}

/// `` `id` ``, and the name as given when it differs.
fn heading(id: &str, name: &str) -> String {
    let name = one_line(name);
    match name == id || name.is_empty() {
        true => code(id),
        false => format!("{} ({})", code(id), md_text(&name)),
    }
}
