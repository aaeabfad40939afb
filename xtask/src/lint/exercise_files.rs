//! lab.toml's `[exercise_files]`: which student files each exercise covers, the input of the
//! staging proof (`check`'s "exercises are staged" step). Every exercise has an entry; every
//! file exists on both sides; no file belongs to two exercises; and every stub file with work
//! left in it (`todo!(` in Rust, `TODO` in CUDA C, C or Fortran) belongs to one, or the proof
//! would leave it a stub in every tree it builds.

use std::collections::BTreeMap;
use std::path::Path;

use crate::lint::{files_with_extensions, listed, read_or_fail, rel};
use crate::report::Tally;
use crate::workspace::LabToml;

pub fn check(root: &Path, lab: &str, meta: &LabToml, tally: &mut Tally) {
    let toml = format!("exercises/{lab}/lab.toml");
    let stub_dir = root.join("exercises").join(lab);
    let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
    for exercise in &meta.exercises {
        let files = meta.exercise_files.get(exercise);
        tally.check(files.is_some_and(|f| !f.is_empty()), || {
            format!(
                "{toml}: [exercise_files] has no entry for `{exercise}`: add \
                 `{exercise} = [\"src/<file>.rs\"]`, the student files that exercise covers"
            )
        });
        for file in files.into_iter().flatten() {
            let both = ["exercises", "solutions"]
                .iter()
                .all(|side| root.join(side).join(lab).join(file).is_file());
            tally.check(both, || {
                format!(
                    "{toml}: [exercise_files] `{exercise}` names `{file}`, which is not a file of \
                     both exercises/{lab} and solutions/{lab}"
                )
            });
            if let Some(first) = owner.insert(file, exercise) {
                tally.fail(format!(
                    "{toml}: [exercise_files] lists `{file}` under both `{first}` and \
                     `{exercise}`: a file belongs to one exercise"
                ));
            }
        }
    }
    for name in meta.exercise_files.keys() {
        tally.check(meta.exercises.contains(name), || {
            format!("{toml}: [exercise_files] names `{name}`, which is not in `exercises`")
        });
    }
    // A Python extension nested in the lab is checked by its own step.
    let nested = meta
        .python
        .as_ref()
        .map(|python| stub_dir.join(&python.dir));
    for file in listed(
        tally,
        files_with_extensions(&stub_dir, &["rs", "cu", "c", "f90"]),
    ) {
        let relative = rel(&stub_dir, &file);
        let skipped = nested.as_ref().is_some_and(|dir| file.starts_with(dir))
            || ["tests/", "benches/", "examples/"]
                .iter()
                .any(|dir| relative.starts_with(dir));
        if skipped || owner.contains_key(relative.as_str()) {
            continue;
        }
        let Some(text) = read_or_fail(tally, root, &file) else {
            continue;
        };
        let rust = relative.ends_with(".rs");
        let marker = if rust { "todo!(" } else { "TODO" };
        // In Rust, a doc comment may mention `todo!()`; only code is work left.
        let work_left = text
            .lines()
            .any(|line| line.contains(marker) && !(rust && line.trim_start().starts_with("//")));
        tally.check(!work_left, || {
            format!(
                "{toml}: `{relative}` holds a `{marker}` but no exercise lists it: add it to its \
                 exercise in [exercise_files]"
            )
        });
    }
}
