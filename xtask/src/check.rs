//! `cargo xtask check`: everything book/src/instructors.md promises, for every lab. Each step
//! counts checks (a test, a lint rule, a tool run); every failure says how to fix it.

use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use crate::libtest::Outcome;
use crate::report::{self, Row, Tally};
use crate::testrun::{self, Tests};
use crate::ui::Ui;
use crate::workspace::{self, Lab, PythonToml};
use crate::{book, lint};

mod examples;
mod handout;
mod missing_tools;
mod mutants;
pub(crate) mod python;
mod staging;
mod system;
mod tools;

pub struct Options {
    pub labs: Vec<String>,
    pub skip_book: bool,
    pub timeout: Duration,
}

enum Step<'a> {
    Lint,
    Requirements(&'a Lab, &'a str),
    Tools(&'a Lab),
    Solution(&'a Lab),
    Examples(&'a Lab),
    Stub(&'a Lab),
    Python(&'a Lab, &'a PythonToml),
    Doctests,
    ToolTests,
    MissingTools,
    Build,
    Clippy,
    Handout,
    Staging,
    Fmt,
    Doc,
    Book,
    Browser,
}

impl Step<'_> {
    fn name(&self) -> String {
        match self {
            Step::Lint => "structure lint".into(),
            Step::Requirements(lab, file) => {
                format!(
                    "{}: its Python requirements ({file}) are in .venv",
                    lab.name
                )
            }
            Step::Tools(lab) => format!(
                "{}: the system tools its tests need are installed",
                lab.name
            ),
            Step::Solution(lab) => format!("{}: solution passes the tests", lab.name),
            Step::Examples(lab) => format!(
                "{}: solution examples and speed probes run ({})",
                lab.name,
                lab.meta
                    .check_examples
                    .iter()
                    .chain(lab.meta.speed.values().map(|speed| &speed.bench))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Step::Stub(lab) => format!("{}: stub compiles, its tests fail", lab.name),
            Step::Python(lab, _) => format!(
                "{} python: solution passes pytest, stub fails every pytest test, wheel installs",
                lab.name
            ),
            Step::Doctests => "doctests (solutions)".into(),
            Step::ToolTests => {
                "the course's own crates pass their tests (support, platform, course, xtask)".into()
            }
            Step::MissingTools => {
                "without gfortran, OpenMP, NVRTC, Open MPI or NumPy (simulated), \
                 the tests that need one are skipped with its install command, never failed"
                    .into()
            }
            Step::Build => "the whole workspace builds without a warning".into(),
            Step::Clippy => "clippy -D warnings".into(),
            Step::Handout => "handout builds, its stubs fail".into(),
            Step::Staging => {
                "exercises are staged: exercise k passes with exercises 1..k solved; the \
                 tests catch the bugs of solutions/*/mutants.toml"
                    .into()
            }
            Step::Fmt => "rustfmt".into(),
            Step::Doc => "cargo doc -D warnings".into(),
            Step::Book => {
                "book: both editions build offline, links resolve, no answers for students".into()
            }
            Step::Browser => format!(
                "book in a browser at {} px, light and dark: no page scrolls sideways, SVGs \
                 are opaque, figure text is legible",
                book::browser::WIDTHS.map(|w| w.to_string()).join(" and ")
            ),
        }
    }
}

/// Runs every check; returns whether all passed. The last line printed is the tally.
pub fn run(root: &Path, options: &Options) -> Result<bool> {
    let labs = workspace::select(workspace::discover(root)?, &options.labs)?;
    // First what the machine needs, or the one command that installs it: a fresh Debian
    // machine then passes with nothing but the README's commands.
    system::ensure(&labs)?;
    let plan = plan(&labs, options.skip_book);
    let mut ui = Ui::new(plan.len());
    let mut rows = Vec::new();
    for step in &plan {
        let name = step.name();
        ui.start(&name);
        // A step that could not even run (cargo missing, ...) is one failed check.
        let tally = run_step(root, step, &labs, options, &mut ui).unwrap_or_else(|error| {
            let mut tally = Tally::default();
            tally.fail(format!("{error:#}"));
            tally
        });
        ui.finish(&name, &tally);
        rows.push(Row { step: name, tally });
    }
    ui.done();

    report::print_summary(&rows);
    let (passed, failed) = report::totals(&rows);
    println!("check: {passed} passed, {failed} failed");
    Ok(failed == 0)
}

/// The steps, in order: the lint, every lab's Python requirements (a lab's tests may use
/// another lab's: lab 3's NumPy is in every file), each lab's own steps, then the
/// workspace-wide ones.
fn plan(labs: &[Lab], skip_book: bool) -> Vec<Step<'_>> {
    let mut plan = vec![Step::Lint];
    for lab in labs {
        if let Some(requirements) = &lab.meta.requirements {
            plan.push(Step::Requirements(lab, requirements));
        }
    }
    for lab in labs {
        if lab.meta.system_tools().next().is_some() {
            plan.push(Step::Tools(lab));
        }
        // A lab without its solution is the structure lint's failure.
        if lab.solution.is_some() {
            plan.push(Step::Solution(lab));
            if !lab.meta.check_examples.is_empty() || !lab.meta.speed.is_empty() {
                plan.push(Step::Examples(lab));
            }
        }
        plan.push(Step::Stub(lab));
        if let Some(python) = &lab.meta.python {
            plan.push(Step::Python(lab, python));
        }
    }
    plan.extend([
        Step::Doctests,
        Step::ToolTests,
        // Before the build step: lab 6, rebuilt without its tools here, is rebuilt back there.
        Step::MissingTools,
        Step::Build,
        Step::Clippy,
        // After clippy: `cargo check` of the handout's xtask reuses its dependencies' metadata.
        Step::Handout,
        Step::Staging,
        Step::Fmt,
        Step::Doc,
    ]);
    if !skip_book {
        // The browser reads what the book step built.
        plan.extend([Step::Book, Step::Browser]);
    }
    plan
}

/// Runs one step; an `Err` when it could not run at all.
fn run_step(
    root: &Path,
    step: &Step,
    labs: &[Lab],
    options: &Options,
    ui: &mut Ui,
) -> Result<Tally> {
    // With `--lab`, the workspace-wide steps narrow to those labs' packages.
    let filtered = !options.labs.is_empty();
    match step {
        Step::Lint => {
            let lab_names: Vec<String> = labs.iter().map(|lab| lab.name.clone()).collect();
            Ok(lint::lint(root, if filtered { &lab_names } else { &[] }))
        }
        // pip prints its own progress: no spinner over it.
        Step::Requirements(lab, file) => ui.suspend(|| requirements(root, lab, file)),
        Step::Tools(lab) => Ok(tools_installed(lab)),
        Step::Solution(lab) => solution(root, lab, options.timeout),
        Step::Examples(lab) => examples::check(root, lab, ui),
        Step::Stub(lab) => stub(root, lab, options.timeout),
        // Creating or filling .venv prints pip's progress: no spinner over it.
        Step::Python(lab, python) => ui
            .suspend(|| python::ensure_venv(root, lab, python))
            .and_then(|()| python::check(root, lab, python, options.timeout)),
        Step::Doctests => tools::doctests(root, labs),
        Step::ToolTests => tools::tool_tests(root, options.timeout),
        Step::MissingTools => missing_tools::check(root, labs, options.timeout),
        // With --lab, only those labs' features: the build is the workspace's either way.
        Step::Build => tools::build_warnings(root, labs),
        Step::Clippy => tools::clippy(root, labs),
        Step::Handout => handout::check(root, labs, options.timeout),
        Step::Staging => staging::check(root, labs, options.timeout),
        Step::Fmt => tools::fmt(root),
        Step::Doc => tools::doc(root, labs, filtered),
        // Installing mdbook prints cargo's own progress for minutes: no spinner over it.
        Step::Book => ui
            .suspend(|| book::ensure_tools(root))
            .and_then(|()| book_step(root)),
        Step::Browser => book_layout(root),
    }
}

/// The lab's pinned Python requirements are installed in `<root>/.venv` (created if needed).
fn requirements(root: &Path, lab: &Lab, file: &str) -> Result<Tally> {
    let path = root.join("exercises").join(&lab.name).join(file);
    let mut tally = Tally::default();
    match crate::bench::venv::ensure(root, &path) {
        Ok(_) => tally.pass(),
        Err(error) => tally.fail(format!(
            "could not install {} into .venv: {error:#}\n  fix: `python3 -m venv .venv && \
             .venv/bin/python -m pip install -r {}`",
            path.display(),
            path.strip_prefix(root).unwrap_or(&path).display()
        )),
    }
    Ok(tally)
}

/// Each lab feature's tool is installed, so that the lab is tested whole (CI installs them).
fn tools_installed(lab: &Lab) -> Tally {
    let mut tally = Tally::default();
    for (name, tool) in lab.meta.system_tools() {
        tally.check(tool.installed(), || {
            format!(
                "{}'s `{name}` needs `{}`, not found on PATH: install it ({}); until then the \
                 tests that need it are skipped",
                lab.name,
                tool.needs(),
                tool.install()
            )
        });
    }
    tally
}

/// Every test of the solution passes.
fn solution(root: &Path, lab: &Lab, timeout: Duration) -> Result<Tally> {
    let mut tally = Tally::default();
    let Some(solution) = &lab.solution else {
        return Ok(tally);
    };
    let package = &solution.package;
    let targets = match testrun::build_and_run(root, solution, false, timeout)? {
        Tests::DoesNotCompile(error) => {
            tally.fail(format!(
                "the solution's tests do not compile (`cargo test -p {package} --no-run`):\n{error}"
            ));
            return Ok(tally);
        }
        Tests::Ran(targets) => targets,
    };
    for target in &targets {
        for test in &target.results {
            match &test.outcome {
                Outcome::Passed => tally.pass(),
                Outcome::Ignored(reason) => ignored(&mut tally, &test.id, reason),
                Outcome::Failed { message, location } => tally.fail(format!(
                    "solution fails `{}`: {message}{}\n  rerun: cargo test -p {package} --test {} -- --exact {}",
                    test.id,
                    location.as_ref().map(|at| format!("\n  at {at}")).unwrap_or_default(),
                    target.target,
                    test.name,
                )),
            }
        }
    }
    if tally.passed == 0 && tally.failures.is_empty() {
        tally.note("no tests yet");
    }
    Ok(tally)
}

/// A test ignored by its attribute (lab 5's GPU tests on a machine without one) is a note; one
/// that skipped itself at run time for want of a tool (NumPy, gfortran) fails: `check`
/// requires every tool, and installs them first.
fn ignored(tally: &mut Tally, id: &str, reason: &str) {
    match reason.strip_prefix(crate::libtest::SKIP_PREFIX) {
        Some(why) => tally.fail(format!(
            "`{id}` skipped itself: {why}\n  `cargo xtask check` requires every tool the tests \
             use: install it and check again"
        )),
        None => tally.note(format!("ignored {id}: {reason}")),
    }
}

/// The stub compiles warning-free, and each shared test fails on it unless allow-listed.
pub(crate) fn stub(root: &Path, lab: &Lab, timeout: Duration) -> Result<Tally> {
    let mut tally = Tally::default();
    let package = &lab.stub.package;
    let manifest = lab.stub.manifest();
    let mut args = vec!["build".to_string(), "--all-targets".to_string()];
    args.extend(lab.stub.cargo_args());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let build = crate::cargo::build_json(root, &args)?;
    if !build.success {
        tally.fail(format!(
            "the stub does not compile (`cargo build -p {package} --all-targets`): keep its API \
             identical to the solution's, bodies `todo!(...)`:\n{}",
            build.first_error(&manifest)
        ));
        return Ok(tally);
    }
    let warnings = build.warnings_in(&manifest);
    tally.check(warnings.is_empty(), || {
        format!(
            "the stub has {} compiler warning(s); students must start from a clean build \
             (use every parameter in the todo!() message, no `_param`):\n{}",
            warnings.len(),
            crate::cargo::excerpt(&warnings.join("\n"), 30)
        )
    });

    let Tests::Ran(targets) = testrun::build_and_run(root, &lab.stub, true, timeout)? else {
        tally.fail(format!(
            "the stub's tests do not compile: `cargo test -p {package} --no-run`"
        ));
        return Ok(tally);
    };
    let allowed = &lab.meta.stub_passes;
    let mut seen = Vec::new();
    for test in targets.iter().flat_map(|target| &target.results) {
        seen.push(test.id.as_str());
        match (&test.outcome, allowed.get(&test.id)) {
            (Outcome::Failed { .. }, _) => tally.pass(),
            (Outcome::Passed, Some(reason)) => {
                tally.pass();
                tally.note(format!("{} passes on the stub: {reason}", test.id));
            }
            (Outcome::Passed, None) => tally.fail(format!(
                "stub test `{}` passes: make the stub `todo!()` or allow-list it in \
                 exercises/{}/lab.toml [stub_passes] with a reason",
                test.id, lab.name
            )),
            (Outcome::Ignored(reason), _) => ignored(&mut tally, &test.id, reason),
        }
    }
    for id in allowed.keys().filter(|id| !seen.contains(&id.as_str())) {
        tally.fail(format!(
            "exercises/{}/lab.toml [stub_passes] names `{id}`, which is not a test: \
             remove the entry or fix the id (`<test file stem>::<test name>`)",
            lab.name
        ));
    }
    Ok(tally)
}

/// Both editions build, offline, with every link resolving; the student edition gives no
/// answer away.
fn book_step(root: &Path) -> Result<Tally> {
    let built = book::build(root)?;
    let mut tally = Tally::default();
    for edition in book::Edition::ALL {
        tally.pass(); // it built
        let dir = built.index(edition).parent().unwrap_or(root);
        tally.absorb(book::scan(root, dir));
    }
    let student = built.student.parent().unwrap_or(root);
    tally.absorb(book::leaks::scan_student(root, student));
    Ok(tally)
}

/// The editions the book step built, rendered in headless Chromium (`book::browser` has the
/// rules).
pub fn book_layout(root: &Path) -> Result<Tally> {
    let built = book::browser::built_editions(root);
    let editions: Vec<book::browser::Edition> = built
        .iter()
        .map(|(name, dir)| book::browser::Edition { name, dir })
        .collect();
    if let Some(missing) = editions
        .iter()
        .find(|e| !e.dir.join("index.html").is_file())
    {
        anyhow::bail!(
            "{} is not built (the book step failed?): nothing to render",
            missing.dir.display()
        );
    }
    book::browser::check(&editions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{Crate, LabToml};

    fn lab(with_solution: bool, check_examples: &[&str]) -> Lab {
        let krate = |package: &str| Crate {
            dir: format!("/nowhere/{package}").into(),
            package: package.into(),
            lib: package.replace('-', "_"),
            features: Vec::new(),
        };
        Lab {
            name: "05-gpu".into(),
            stub: krate("gpu"),
            solution: with_solution.then(|| krate("gpu-solution")),
            meta: LabToml {
                check_examples: check_examples.iter().map(|e| e.to_string()).collect(),
                ..LabToml::default()
            },
        }
    }

    fn names(labs: &[Lab]) -> Vec<String> {
        plan(labs, true).iter().map(Step::name).collect()
    }

    #[test]
    fn check_examples_run_right_after_the_solution_s_tests() {
        let names = names(&[lab(true, &["kernel_resources"])]);
        let at = |name: &str| names.iter().position(|n| n == name);
        let examples = at("05-gpu: solution examples and speed probes run (kernel_resources)");
        assert!(examples.is_some(), "{names:?}");
        assert_eq!(
            at("05-gpu: solution passes the tests").map(|i| i + 1),
            examples
        );
    }

    #[test]
    fn no_examples_step_without_a_solution_or_without_examples() {
        for lab in [lab(false, &["kernel_resources"]), lab(true, &[])] {
            let names = names(&[lab]);
            assert!(
                !names.iter().any(|name| name.contains("examples")),
                "{names:?}"
            );
        }
    }
}
