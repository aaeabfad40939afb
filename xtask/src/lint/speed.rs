//! lab.toml's `[speed.EXERCISE]`: each names an exercise of the lab, a speed probe that exists
//! (a bench of the lab, shared with the solution through its shim, which the sharing lint
//! checks), a size `NxMxD`, and a scale that makes sense (0 < none_below < full_at ≤ 1,
//! points > 0). `cargo xtask speed` and `grade` rely on all of it.

use std::path::Path;

use crate::report::Tally;
use crate::workspace::LabToml;

pub fn check(root: &Path, lab: &str, meta: &LabToml, tally: &mut Tally) {
    let toml = format!("exercises/{lab}/lab.toml");
    for (exercise, speed) in &meta.speed {
        let at = format!("{toml}: [speed.{exercise}]");
        tally.check(meta.exercises.contains(exercise), || {
            format!("{at}: `{exercise}` is not in `exercises`: name an exercise of the lab")
        });
        let bench = Path::new("exercises")
            .join(lab)
            .join("benches")
            .join(format!("{}.rs", speed.bench));
        tally.check(root.join(&bench).is_file(), || {
            format!(
                "{at}: bench = \"{}\", but {} does not exist: write the probe (see lab 3's \
                 benches/speed.rs) or fix the name",
                speed.bench,
                bench.display()
            )
        });
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
