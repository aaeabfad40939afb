//! `grade merge DIR... --out OUT`: joins the gradebooks of `grade --shard K/N` runs (each
//! DIR the `--out` of one shard, holding its `gradebook.json`) into one, and writes every
//! output from it as `grade` would.
//!
//! The parts must have graded the same course: the same labs in the same order, each with the
//! same package, maximum and voided tests (their ids; the reasons' wording may differ), and the
//! same maximum in all. Their submissions are concatenated and sorted by id; an id in two parts
//! (two shards graded the same submission: were they given different lists, or different N?)
//! is an error, as is one that differs only by case (their feedback files would collide on a
//! case-insensitive file system). A shard that is missing altogether cannot be seen here: the
//! summary line says how many submissions were merged, to compare with the class list.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::model::{Gradebook, LabInfo, SubmissionStatus, show};
use super::output::{WRITTEN, print_table, write_outputs};

/// The gradebook that `grade --out DIR` wrote: `DIR/gradebook.json`.
pub fn read(dir: &Path) -> Result<Gradebook> {
    let path = dir.join("gradebook.json");
    let text = fs::read_to_string(&path).with_context(|| {
        format!(
            "reading {}: is {} the --out directory of a `grade --shard` run that finished?",
            path.display(),
            dir.display()
        )
    })?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a gradebook (cut short, or written by another version of xtask?)",
            path.display()
        )
    })
}

/// The parts joined into one gradebook (parts are named `part 1`, `part 2`, ... in errors;
/// `grade merge` uses [`merge_dirs`], whose errors name the directories).
#[allow(
    dead_code,
    reason = "the API for gradebooks in memory; `grade merge` reads them"
)]
pub fn merge(parts: Vec<Gradebook>) -> Result<Gradebook> {
    let named = parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| (format!("part {}", i + 1), part))
        .collect();
    merge_named(named)
}

/// The gradebooks in `dirs` joined into one (each named by its directory in errors).
pub fn merge_dirs(dirs: &[PathBuf]) -> Result<Gradebook> {
    let parts = dirs
        .iter()
        .map(|dir| Ok((dir.display().to_string(), read(dir)?)))
        .collect::<Result<Vec<_>>>()?;
    merge_named(parts)
}

/// `cargo xtask grade merge DIR... --out OUT`: merges, writes every output into `out`, prints
/// the table and a summary.
pub fn run(dirs: &[PathBuf], out: &Path) -> Result<()> {
    let gradebook = merge_dirs(dirs)?;
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    write_outputs(&gradebook, out)?;
    print_table(&gradebook);
    let count = |status| gradebook.count(status);
    println!(
        "\nMerged {} gradebooks into {}: {WRITTEN} ({} feedback files).",
        dirs.len(),
        out.display(),
        gradebook.submissions.len()
    );
    println!(
        "grade merge: {} submissions ({} graded, {} unreadable, {} grader errors)",
        gradebook.submissions.len(),
        count(SubmissionStatus::Graded),
        count(SubmissionStatus::Unreadable),
        count(SubmissionStatus::Error),
    );
    Ok(())
}

/// Points are rounded to the millionth, and JSON may give them back a bit off.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn merge_named(parts: Vec<(String, Gradebook)>) -> Result<Gradebook> {
    let Some((first_name, first)) = parts.first() else {
        bail!("no gradebook to merge: name the --out directories of the `grade --shard` runs");
    };
    for (name, part) in &parts[1..] {
        same_labs(first_name, &first.labs, name, &part.labs)?;
        if !same(first.max, part.max) {
            bail!(
                "{first_name} and {name} disagree on the maximum: {} and {} points",
                show(first.max),
                show(part.max)
            );
        }
    }
    let (labs, max) = (first.labs.clone(), first.max);
    let mut submissions = Vec::new();
    // Lower-cased id → (id, the part it is in).
    let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (name, part) in parts {
        for submission in part.submissions {
            let key = submission.id.to_ascii_lowercase();
            if let Some((id, other)) = seen.get(&key) {
                let which = match *id == submission.id {
                    true => format!("the submission `{id}`"),
                    false => format!("`{id}` and `{}` (the same id but for case)", submission.id),
                };
                bail!(
                    "{which} is in both {other} and {name}: two shards graded the same \
                     submission (give every shard the same list of submissions and the same N)"
                );
            }
            seen.insert(key, (submission.id.clone(), name.clone()));
            submissions.push(submission);
        }
    }
    submissions.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Gradebook {
        labs,
        max,
        submissions,
    })
}

/// An error naming the first difference between two parts' labs.
fn same_labs(a: &str, labs_a: &[LabInfo], b: &str, labs_b: &[LabInfo]) -> Result<()> {
    let advice = "grade every shard with the same course, --lab options and tools";
    for (i, (x, y)) in labs_a.iter().zip(labs_b).enumerate() {
        if x.name != y.name {
            bail!(
                "{a} and {b} graded different labs: lab {} is {} in {a} but {} in {b} ({advice})",
                i + 1,
                x.name,
                y.name
            );
        }
        if x.package != y.package {
            bail!(
                "{a} and {b} disagree on lab {}: its package is `{}` in {a} but `{}` in {b} \
                 ({advice})",
                x.name,
                x.package,
                y.package
            );
        }
        if !same(x.max, y.max) {
            bail!(
                "{a} and {b} disagree on lab {}: it is worth {} points in {a} but {} in {b} \
                 ({advice})",
                x.name,
                show(x.max),
                show(y.max)
            );
        }
        let voided = |lab: &LabInfo| -> BTreeSet<String> { lab.voided.keys().cloned().collect() };
        let (voided_a, voided_b) = (voided(x), voided(y));
        if voided_a != voided_b {
            let list = |tests: &BTreeSet<String>| match tests.is_empty() {
                true => "none".to_string(),
                false => tests.iter().cloned().collect::<Vec<_>>().join(", "),
            };
            bail!(
                "{a} and {b} disagree on lab {}: the tests voided are {} in {a} but {} in {b} \
                 ({advice})",
                x.name,
                list(&voided_a),
                list(&voided_b)
            );
        }
    }
    if labs_a.len() != labs_b.len() {
        let names = |labs: &[LabInfo]| -> String {
            let names: Vec<&str> = labs.iter().map(|lab| lab.name.as_str()).collect();
            names.join(", ")
        };
        bail!(
            "{a} and {b} graded different labs: {} in {a}, {} in {b} ({advice})",
            names(labs_a),
            names(labs_b)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::super::output::tests::gradebook;
    use super::*;

    /// The example gradebook cut into parts by id.
    fn parts(cut: &[&[&str]]) -> Vec<Gradebook> {
        let whole = gradebook();
        cut.iter()
            .map(|ids| {
                let mut part = whole.clone();
                part.submissions.retain(|s| ids.contains(&s.id.as_str()));
                part
            })
            .collect()
    }

    fn error(parts: Vec<Gradebook>) -> String {
        format!("{:#}", merge(parts).unwrap_err())
    }

    #[test]
    fn parts_merge_sorted_by_id() {
        let merged = merge(parts(&[&["carol"], &["alice", "Bob_Muller"], &[]])).unwrap();
        let ids: Vec<&str> = merged.submissions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["Bob_Muller", "alice", "carol"]);
        assert_eq!(merged.max, 6.0);
        assert_eq!(merged.labs.len(), 2);
        // One part is the whole.
        let one = merge(parts(&[&["alice", "carol"]])).unwrap();
        assert_eq!(one.submissions.len(), 2);
    }

    #[test]
    fn a_submission_in_two_parts_is_an_error_naming_it() {
        let message = error(parts(&[&["alice", "carol"], &["Bob_Muller"], &["carol"]]));
        assert!(
            message.contains("the submission `carol` is in both part 1 and part 3"),
            "{message}"
        );
        let mut shouted = parts(&[&["alice"], &["carol"]]);
        shouted[1].submissions[0].id = "ALICE".into();
        let message = error(shouted);
        assert!(
            message.contains("`alice` and `ALICE` (the same id but for case)"),
            "{message}"
        );
    }

    #[test]
    fn parts_must_have_graded_the_same_labs() {
        let differ = |change: &dyn Fn(&mut Gradebook)| {
            let mut parts = parts(&[&["alice"], &["carol"]]);
            change(&mut parts[1]);
            error(parts)
        };
        let message = differ(&|part| part.labs[1].name = "03-gamma".into());
        assert!(
            message.contains("lab 2 is 02-beta in part 1 but 03-gamma in part 2"),
            "{message}"
        );
        let message = differ(&|part| part.labs[0].package = "alpha2".into());
        assert!(
            message.contains("its package is `alpha` in part 1 but `alpha2` in part 2"),
            "{message}"
        );
        let message = differ(&|part| part.labs[0].max = 4.0);
        assert!(
            message.contains("it is worth 3 points in part 1 but 4 in part 2"),
            "{message}"
        );
        let message = differ(&|part| {
            part.labs[1].voided.clear();
        });
        assert!(
            message.contains("the tests voided are gpu::d in part 1 but none in part 2"),
            "{message}"
        );
        let message = differ(&|part| {
            part.labs.pop();
        });
        assert!(
            message.contains("01-alpha, 02-beta in part 1, 01-alpha in part 2"),
            "{message}"
        );
        let message = differ(&|part| part.max = 7.0);
        assert!(
            message.contains("disagree on the maximum: 6 and 7"),
            "{message}"
        );
        // The reasons' wording may differ.
        let mut reworded = parts(&[&["alice"], &["carol"]]);
        reworded[1].labs[1]
            .voided
            .insert("gpu::d".into(), "no nvcc here".into());
        assert!(merge(reworded).is_ok());
        assert!(error(Vec::new()).contains("no gradebook to merge"));
    }

    #[test]
    fn gradebooks_are_read_from_their_directories() {
        let folder = tempfile::Builder::new()
            .prefix("xtask-merge-")
            .tempdir()
            .unwrap();
        let dir = folder.path();
        let (one, two) = (dir.join("shard-1"), dir.join("shard-2"));
        for (path, part) in [&one, &two].iter().zip(parts(&[&["carol"], &["alice"]])) {
            fs::create_dir_all(path).unwrap();
            let json = serde_json::to_string_pretty(&part).unwrap();
            fs::write(path.join("gradebook.json"), json).unwrap();
        }
        let merged = merge_dirs(&[one.clone(), two.clone()]).unwrap();
        assert_eq!(merged.submissions.len(), 2);
        let message = format!("{:#}", merge_dirs(&[one.clone(), one.clone()]).unwrap_err());
        assert!(
            message.contains(&format!(
                "is in both {} and {}",
                one.display(),
                one.display()
            )),
            "{message}"
        );
        let missing = dir.join("shard-3");
        let message = format!("{:#}", read(&missing).unwrap_err());
        assert!(
            message.contains(&missing.join("gradebook.json").display().to_string()),
            "{message}"
        );
        fs::write(two.join("gradebook.json"), "{\"labs\": [").unwrap();
        let message = format!("{:#}", read(&two).unwrap_err());
        assert!(message.contains("is not a gradebook"), "{message}");
        let out = dir.join("out");
        run(&[one], &out).unwrap();
        assert!(out.join("feedback/carol.md").is_file());
        assert!(out.join("honesty.md").is_file());
    }
}
