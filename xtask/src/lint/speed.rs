//! lab.toml's `[speed.EXERCISE]`: each names an exercise of the lab, a speed probe that exists
//! (a bench of the lab, shared with the solution through its shim, which the sharing lint
//! checks; for the Python exercise, a script of its crate and the bench that times its kernel
//! alone), a size `NxMxD`, and a scale that makes sense (0 < none_below < full_at ≤ 1,
//! points > 0). `cargo xtask speed` and `grade` rely on all of it.

use std::path::Path;

use crate::report::Tally;
use crate::workspace::LabToml;

pub fn check(root: &Path, lab: &str, meta: &LabToml, tally: &mut Tally) {
    let toml = format!("exercises/{lab}/lab.toml");
    for (exercise, speed) in &meta.speed {
        let at = format!("{toml}: [speed.{exercise}]");
        let python = meta.python_exercise().filter(|dir| dir == exercise);
        tally.check(
            meta.exercises.contains(exercise) || python.is_some(),
            || format!("{at}: `{exercise}` is not in `exercises`: name an exercise of the lab"),
        );
        let lab_dir = Path::new("exercises").join(lab);
        let bench = match &python {
            Some(dir) => lab_dir
                .join(dir)
                .join("benches")
                .join(format!("{}.py", speed.bench)),
            None => lab_dir.join("benches").join(format!("{}.rs", speed.bench)),
        };
        tally.check(root.join(&bench).is_file(), || {
            format!(
                "{at}: bench = \"{}\", but {} does not exist: write the probe (see lab 3's \
                 benches/speed.rs, lab 6's python/benches/speed.py) or fix the name",
                speed.bench,
                bench.display()
            )
        });
        match (&python, &speed.kernel_alone) {
            (Some(dir), Some(alone)) => {
                let file = lab_dir
                    .join(dir)
                    .join("benches")
                    .join(format!("{alone}.rs"));
                tally.check(root.join(&file).is_file(), || {
                    format!(
                        "{at}: kernel_alone = \"{alone}\", but {} does not exist",
                        file.display()
                    )
                });
            }
            (Some(_), None) => tally.fail(format!(
                "{at}: a Python exercise is graded against its kernel timed alone: name that \
                 bench of its crate with kernel_alone = \"...\""
            )),
            (None, Some(_)) => tally.fail(format!(
                "{at}: kernel_alone is for the lab's Python exercise only; a Rust exercise is \
                 graded against the solution's build of the same probe"
            )),
            (None, None) => {}
        }
        tally.check(speed.dims().is_ok(), || {
            format!("{at}: size = \"{}\" is not NxMxD", speed.size)
        });
        let scale = 0.0 < speed.none_below
            && speed.none_below < speed.full_at
            && speed.full_at <= 1.0
            && speed.points > 0.0;
        tally.check(scale, || {
            format!(
                "{at}: the scale needs 0 < none_below ({}) < full_at ({}) ≤ 1 and points ({}) > 0",
                speed.none_below, speed.full_at, speed.points
            )
        });
    }
}
