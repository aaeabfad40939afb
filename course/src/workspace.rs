//! Where things are: the workspace root, the labs (an `exercises/NN-x` + `solutions/NN-x` pair)
//! and each lab's `lab.toml`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The workspace root: this crate lives in `<root>/course` (as xtask in `<root>/xtask`).
pub fn root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .expect("course is a member directory of the workspace")
        .to_path_buf()
}

/// Where cargo builds for the workspace at `root`: `CARGO_TARGET_DIR` (relative to `root`
/// when relative), else `root/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| match dir.is_absolute() {
            true => dir,
            false => root.join(dir),
        })
        .unwrap_or_else(|| root.join("target"))
}

/// `exercises/NN-x/lab.toml`. Unknown keys are ignored so that later issues can add fields.
#[derive(Debug, Default, Deserialize)]
pub struct LabToml {
    pub title: String,
    /// The lab's book chapter, relative to `book/src`.
    pub chapter: String,
    /// Test ids allowed to pass on the stub, each with the reason why.
    #[serde(default)]
    pub stub_passes: BTreeMap<String, String>,
    /// The exercises (test file stems) in the order students do them; when absent, `progress`
    /// goes alphabetically.
    #[serde(default)]
    pub exercises: Vec<String>,
    /// Per exercise, the student files it covers (paths relative to the lab, the same on both
    /// sides). `check` proves the staging with them: exercise k's tests pass with the first k
    /// exercises' files from the solution and the others left as stubs.
    #[serde(default)]
    pub exercise_files: BTreeMap<String, Vec<String>>,
    /// How `cargo xtask grade` scores the lab: one point per test unless this says otherwise.
    #[serde(default)]
    pub grading: Grading,
    /// A Python extension nested in the lab (lab 6), checked by `check` with maturin + pytest.
    #[serde(default)]
    pub python: Option<PythonToml>,
    /// A pip requirements file, relative to the lab's exercise directory, that the lab's Rust
    /// tests need in `<root>/.venv` (lab 5: NVRTC from PyPI); `check` installs it first.
    #[serde(default)]
    pub requirements: Option<String>,
    /// Examples of the lab's solution that `cargo xtask check` runs, printing their output
    /// into the check's (lab 5: `kernel_resources`, each kernel's registers and shared memory
    /// from ptxas); one that exits with failure fails the check.
    #[serde(default)]
    pub check_examples: Vec<String>,
    /// Exercises whose speed is part of the task, each with how it is timed and scored:
    /// `cargo xtask speed` times them for students, `cargo xtask grade` against the reference.
    #[serde(default)]
    pub speed: BTreeMap<String, SpeedToml>,
    /// Cargo features of the lab that need a system tool (lab 4: `mpi`, Open MPI). `check`
    /// requires the tool and tests with the feature; `progress` and `grade` enable it where
    /// the tool is installed, and elsewhere the tests that need it are ignored.
    #[serde(default)]
    pub features: BTreeMap<String, SystemTool>,
    /// System tools the lab's build script looks for itself (lab 6: gfortran): without one
    /// the crate still builds and the tests that need it report themselves skipped. `check`
    /// requires them; `progress` says what is missing.
    #[serde(default)]
    pub tools: BTreeMap<String, SystemTool>,
}

/// A lab's exercises in order: lab.toml's list, else the stems of the test files in `tests`;
/// then its Python exercise, if it has one. `hint` and the hints lint both go by it.
pub fn exercises_of(meta: Option<&LabToml>, tests: &Path) -> Result<Vec<String>> {
    let listed = meta.map(|meta| meta.exercises.clone()).unwrap_or_default();
    let mut exercises: Vec<String> = if listed.is_empty() {
        rust_files(tests)?
            .iter()
            .filter_map(|file| Some(file.file_stem()?.to_string_lossy().into_owned()))
            .collect()
    } else {
        listed
    };
    exercises.extend(meta.and_then(LabToml::python_exercise));
    Ok(exercises)
}

/// `[speed.EXERCISE]` in lab.toml: an exercise whose speed counts. Correct first: a kernel that
/// fails its exercise's tests is not timed, and earns no speed points.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SpeedToml {
    /// The lab's bench target that times the kernel (`benches/<bench>.rs`, given code shared
    /// with the solution, `harness = false`): `--size NxMxD --inner K` in, one JSON line out,
    /// with its best time in `seconds`. For the lab's Python exercise, a Python script of
    /// its crate (`<dir>/benches/<bench>.py`) that times the student's module the same way.
    pub bench: String,
    /// The Python exercise's only: a bench target of its crate (`<dir>/benches/<name>.rs`)
    /// that times the given kernel alone, from Rust. The extension is graded against it, not
    /// against the reference solution's extension, whose kernel is faster than the given one:
    /// the exercise is the binding, and this is a binding that costs nothing.
    #[serde(default)]
    pub kernel_alone: Option<String>,
    /// The size it is timed at, `NxMxD`.
    pub size: String,
    /// Its arithmetic, for the machine's floor: `cityblock`, `sqeuclidean` or `matmul`.
    pub work: crate::floor::Work,
    /// Grading: full speed points at this fraction of the reference's speed or more…
    pub full_at: f64,
    /// …none below this fraction, and a share in proportion in between.
    pub none_below: f64,
    /// The speed points, on top of the exercise's tests.
    pub points: f64,
}

impl SpeedToml {
    /// `size` as `[n, m, d]`, none of them 0.
    pub fn dims(&self) -> Result<[usize; 3]> {
        let parts: Vec<usize> = self
            .size
            .split('x')
            .filter_map(|part| part.parse().ok())
            .collect();
        match parts[..] {
            [n, m, d] if n * m * d > 0 => Ok([n, m, d]),
            _ => bail!("size `{}`: expected NxMxD, e.g. 2000x2000x50", self.size),
        }
    }

    /// The speed points earned at `fraction` of the reference's speed (reference time ÷
    /// the student's time).
    pub fn points_at(&self, fraction: f64) -> f64 {
        // NaN (no measurement) earns nothing, as a fraction below the scale does.
        if fraction.is_nan() || fraction < self.none_below {
            0.0
        } else if fraction >= self.full_at {
            self.points
        } else {
            self.points * (fraction - self.none_below) / (self.full_at - self.none_below)
        }
    }
}

/// `[features.NAME]` or `[tools.NAME]` in lab.toml: a system tool, by its name in the course's
/// table of tools (`tool = "gfortran"`; support/platform), which says what program shows it
/// is installed and how to install it on each platform: one table for the students' advice,
/// the tests' skip lines and `cargo xtask check`'s apt-get.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "SystemToolToml")]
pub struct SystemTool {
    pub tool: platform::Tool,
    /// The program whose presence on PATH shows the tool is installed (e.g. `mpicc`).
    needs: String,
}

/// `[tools.NAME]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SystemToolToml {
    tool: String,
    /// The program that shows the tool is installed, when not the tool's own: only a test
    /// fixture, whose imaginary tool no machine has, needs it.
    needs: Option<String>,
}

impl TryFrom<SystemToolToml> for SystemTool {
    type Error = String;

    fn try_from(toml: SystemToolToml) -> Result<SystemTool, String> {
        let tool = toml
            .tool
            .parse::<platform::Tool>()
            .map_err(|error| error.to_string())?;
        let needs = toml
            .needs
            .or_else(|| tool.program().map(str::to_string))
            .ok_or_else(|| {
                format!(
                    "the tool `{tool}` is no program on PATH, so nothing shows whether it is \
                     installed: name one with `needs = \"PROGRAM\"`"
                )
            })?;
        Ok(SystemTool { tool, needs })
    }
}

impl SystemTool {
    /// The program whose presence on PATH shows the tool is installed.
    pub fn needs(&self) -> &str {
        &self.needs
    }

    pub fn installed(&self) -> bool {
        on_path(&self.needs)
    }

    /// How to install it on this system, said when it is missing.
    pub fn install(&self) -> String {
        self.tool.install_here()
    }

    /// The Debian packages that provide it, which `cargo xtask check` installs.
    pub fn debian_packages(&self) -> &'static [&'static str] {
        self.tool.packages(platform::Manager::Apt)
    }
}

/// Whether a program is on PATH, and where: the same test the labs' tests make.
pub use platform::{find_on_path, on_path};

/// `[python]` in lab.toml: the lab's Python extension crate, on both sides.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonToml {
    /// The crate's directory inside the lab's, the same on both sides (e.g. `python`); its
    /// shared pytest tests are in the exercise's `<dir>/tests`.
    pub dir: String,
    /// The environment variable that names the module the tests import (the stub's or the
    /// solution's lib name).
    pub module_env: String,
    /// The test files' stems (`<dir>/tests/test_*.py`) in the order students should solve
    /// them; `progress` runs them so, and files not listed after, alphabetically.
    #[serde(default)]
    pub tests: Vec<String>,
}

/// `[grading]` in lab.toml. Ignored tests count neither way.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grading {
    /// What the whole lab is worth, split over its tests by weight; default: the sum of the
    /// weights (one point per test).
    pub points: Option<f64>,
    /// Per-test weights by test id (`<test file stem>::<test name>`); default 1.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
}

/// One crate of a lab: the student's stub or the solution.
#[derive(Debug, Clone)]
pub struct Crate {
    pub dir: PathBuf,
    pub package: String,
    /// The library's crate name (what `use` and `extern crate` say).
    pub lib: String,
    /// The lab features (lab.toml `[features]`) to build it with: those whose tool is installed.
    pub features: Vec<String>,
}

impl Crate {
    pub fn manifest(&self) -> PathBuf {
        self.dir.join("Cargo.toml")
    }

    /// `--package NAME`, with its features.
    pub fn cargo_args(&self) -> Vec<String> {
        let mut args = vec!["--package".to_string(), self.package.clone()];
        args.extend(features_arg([self]));
        args
    }
}

/// `--features P/f,Q/g` for the lab features of `crates`, qualified by package so that one
/// cargo command can build several crates; nothing when they have none.
pub fn features_arg<'a>(crates: impl IntoIterator<Item = &'a Crate>) -> Vec<String> {
    let features: Vec<String> = crates
        .into_iter()
        .flat_map(|krate| {
            krate
                .features
                .iter()
                .map(|feature| format!("{}/{feature}", krate.package))
        })
        .collect();
    if features.is_empty() {
        return Vec::new();
    }
    vec!["--features".to_string(), features.join(",")]
}

/// A lab: its crate in `exercises/` and, in the instructor's tree, its solved twin in
/// `solutions/` (the student handout has no `solutions/`).
#[derive(Debug)]
pub struct Lab {
    /// Directory name, e.g. `01-strides`; the same on both sides.
    pub name: String,
    pub stub: Crate,
    /// None in the student handout, or while a lab's solution is yet to be written.
    pub solution: Option<Crate>,
    pub meta: LabToml,
}

impl LabToml {
    /// The Python extension's exercise (lab 6: `python`, its crate's directory), which has
    /// hints like the Rust exercises though pytest, not a test file, checks it.
    pub fn python_exercise(&self) -> Option<String> {
        self.python.as_ref().map(|python| python.dir.clone())
    }

    /// Every system tool the lab needs, cargo feature or not, by name.
    pub fn system_tools(&self) -> impl Iterator<Item = (&String, &SystemTool)> {
        self.features.iter().chain(&self.tools)
    }

    /// The lab's features whose tool is installed here.
    pub fn installed_features(&self) -> Vec<String> {
        self.features
            .iter()
            .filter(|(_, feature)| feature.installed())
            .map(|(name, _)| name.clone())
            .collect()
    }
}

impl Lab {
    /// Sort key putting exercises in `lab.toml`'s order, unlisted ones after, alphabetically.
    pub fn exercise_rank(&self, exercise: &str) -> (usize, String) {
        let position = self.meta.exercises.iter().position(|e| e == exercise);
        (position.unwrap_or(usize::MAX), exercise.to_string())
    }

    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.meta.title)
    }
}

/// The `*.rs` files directly inside `dir` (not in subdirectories: those are helper modules,
/// not test targets), sorted. A missing directory has none; any other error is returned.
pub fn rust_files(dir: &Path) -> Result<Vec<PathBuf>> {
    files_in(dir, "rs")
}

/// The files directly inside `dir` whose extension is `ext`, sorted. A missing directory has
/// none; an unreadable one, or an entry that cannot be read, is an error (never a shorter list).
pub fn files_in(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = entries(dir)?
        .into_iter()
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    Ok(files)
}

/// Names of the lab directories (those with a Cargo.toml) under `root/side`, sorted; none when
/// `side` is missing (the handout has no `solutions/`). Errors reading it are returned.
pub fn lab_dirs(root: &Path, side: &str) -> Result<Vec<String>> {
    let mut names: Vec<String> = entries(&root.join(side))?
        .into_iter()
        .filter(|entry| entry.path().join("Cargo.toml").is_file())
        .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
        .collect();
    names.sort();
    Ok(names)
}

/// The entries directly inside `dir` (links followed); none when `dir` does not exist.
fn entries(dir: &Path) -> Result<Vec<walkdir::DirEntry>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .follow_links(true)
        .into_iter()
        .map(|entry| entry.with_context(|| format!("reading the directory {}", dir.display())))
        .collect()
}

/// `path` relative to the workspace root, for messages.
pub fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The cargo arguments of the students' test runs: `--no-default-features`, so that the lab's
/// `bench` feature (criterion, for `cargo bench`) is off, with every other default feature of
/// the crate turned back on by name.
pub fn student_feature_args(krate: &Crate) -> Result<Vec<String>> {
    #[derive(Deserialize)]
    struct Manifest {
        #[serde(default)]
        features: BTreeMap<String, Vec<String>>,
    }
    let path = krate.manifest();
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: Manifest =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let kept: Vec<String> = manifest
        .features
        .get("default")
        .into_iter()
        .flatten()
        .filter(|feature| *feature != BENCH_FEATURE)
        .map(|feature| format!("{}/{feature}", krate.package))
        .collect();
    let mut args = vec!["--no-default-features".to_string()];
    if !kept.is_empty() {
        args.extend(["--features".to_string(), kept.join(",")]);
    }
    Ok(args)
}

/// The lab feature that brings criterion in for the benches (`required-features` of each
/// `[[bench]]`), on by default so that `cargo bench -p LAB` works as it is.
pub const BENCH_FEATURE: &str = "bench";

/// Reads the package and library names from a crate's Cargo.toml.
pub fn read_crate(dir: &Path) -> Result<Crate> {
    #[derive(Deserialize)]
    struct Manifest {
        package: Package,
        lib: Option<Target>,
    }
    #[derive(Deserialize)]
    struct Package {
        name: String,
    }
    #[derive(Deserialize)]
    struct Target {
        name: Option<String>,
    }
    let path = dir.join("Cargo.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: Manifest =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    // Cargo's rule: the lib is named after the package, with `-` turned into `_`.
    let lib = manifest
        .lib
        .and_then(|lib| lib.name)
        .unwrap_or_else(|| manifest.package.name.replace('-', "_"));
    Ok(Crate {
        dir: dir.to_path_buf(),
        package: manifest.package.name,
        lib,
        features: Vec::new(),
    })
}

pub fn read_lab_toml(path: &Path) -> Result<LabToml> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Every lab of `exercises/`, in order, with its solution when `solutions/` has it. A lab
/// missing a side is the lint's business; the student handout has no `solutions/` at all.
pub fn discover(root: &Path) -> Result<Vec<Lab>> {
    let solutions = lab_dirs(root, "solutions")?;
    let mut labs = Vec::new();
    for name in lab_dirs(root, "exercises")? {
        let stub_dir = root.join("exercises").join(&name);
        let meta = read_lab_toml(&stub_dir.join("lab.toml"))?;
        let features = meta.installed_features();
        let with_features = |krate: Crate| Crate {
            features: features.clone(),
            ..krate
        };
        let solution = match solutions.contains(&name) {
            true => Some(with_features(read_crate(
                &root.join("solutions").join(&name),
            )?)),
            false => None,
        };
        labs.push(Lab {
            stub: with_features(read_crate(&stub_dir)?),
            solution,
            meta,
            name,
        });
    }
    Ok(labs)
}

/// Keeps the labs named by `filters` (`01`, `1`, `01-strides`, `strides`); all when empty.
pub fn select(labs: Vec<Lab>, filters: &[String]) -> Result<Vec<Lab>> {
    select_by(labs, filters, |lab| (&lab.name, &lab.stub.package))
}

/// [`select`] for any model of a lab (the grader has its own): `names` gives a lab's directory
/// name (`01-strides`) and its package (`strides`). A filter that names no lab is an error
/// that lists them.
pub fn select_by<T>(
    labs: Vec<T>,
    filters: &[String],
    names: impl Fn(&T) -> (&str, &str),
) -> Result<Vec<T>> {
    let named = |lab: &T, filter: &str| {
        let (name, package) = names(lab);
        matches(name, package, filter)
    };
    for filter in filters {
        if !labs.iter().any(|lab| named(lab, filter)) {
            let known: Vec<&str> = labs.iter().map(|lab| names(lab).0).collect();
            bail!(
                "no lab matches `{filter}`; the labs are: {}",
                known.join(", ")
            );
        }
    }
    Ok(labs
        .into_iter()
        .filter(|lab| filters.is_empty() || filters.iter().any(|filter| named(lab, filter)))
        .collect())
}

/// Whether `filter` names the lab `name` (`01-strides`) with package `package`: by its number
/// (`1`, `01`), its directory, its topic (`strides`) or its package.
fn matches(name: &str, package: &str, filter: &str) -> bool {
    let (number, topic) = name.split_once('-').unwrap_or((name, ""));
    let same_number = matches!(
        (number.parse::<u32>(), filter.parse::<u32>()),
        (Ok(a), Ok(b)) if a == b
    );
    same_number || filter == name || filter == topic || filter == package
}

/// `path` with `.` and `..` resolved lexically (the files need not exist): `a/b/../c` → `a/c`.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(name: &str, package: &str) -> Lab {
        let krate = Crate {
            dir: PathBuf::new(),
            package: package.into(),
            lib: package.into(),
            features: Vec::new(),
        };
        Lab {
            name: name.into(),
            stub: krate.clone(),
            solution: Some(krate),
            meta: LabToml::default(),
        }
    }

    #[test]
    fn lab_filter_accepts_number_directory_topic_and_package() {
        let labs = || {
            vec![
                lab("01-strides", "strides"),
                lab("02-vector", "vectorization"),
            ]
        };
        for filter in ["1", "01", "01-strides", "strides"] {
            let picked = select(labs(), &[filter.to_string()]).unwrap();
            assert_eq!(picked.len(), 1, "filter {filter}");
            assert_eq!(picked[0].name, "01-strides");
        }
        assert_eq!(
            select(labs(), &["vectorization".into()]).unwrap()[0].name,
            "02-vector"
        );
        let error = select(labs(), &["7".into()]).unwrap_err().to_string();
        assert!(error.contains("01-strides, 02-vector"), "{error}");
    }

    #[test]
    fn a_system_tool_is_named_from_the_course_s_table_and_finds_its_own_program() {
        let tool = |toml_text: &str| {
            toml::from_str::<BTreeMap<String, SystemTool>>(toml_text).map_err(|e| e.to_string())
        };
        let mpi = tool("[mpi]\ntool = \"open-mpi\"\n").unwrap();
        assert_eq!(mpi["mpi"].needs(), "mpicc");
        let unknown = tool("[x]\ntool = \"fortran\"\n").unwrap_err();
        assert!(unknown.contains("`fortran` is not a tool"), "{unknown}");
        let no_program = tool("[x]\ntool = \"openmp\"\n").unwrap_err();
        assert!(no_program.contains("needs = \"PROGRAM\""), "{no_program}");
        let old_schema = tool("[x]\nneeds = \"gfortran\"\ndebian = [\"gfortran\"]\n").unwrap_err();
        assert!(old_schema.contains("debian"), "{old_schema}");
    }

    #[test]
    fn lab_toml_ignores_unknown_keys() {
        let meta: LabToml = toml::from_str(
            "title = \"T\"\nchapter = \"labs/01.md\"\nweights = 3\n[stub_passes]\n\"a::b\" = \"why\"\n",
        )
        .unwrap();
        assert_eq!(meta.stub_passes["a::b"], "why");
    }

    #[test]
    fn a_feature_is_on_where_its_tool_is_and_qualified_by_package() {
        let meta: LabToml = toml::from_str(
            "title = \"T\"\nchapter = \"c.md\"\n\
             [features.here]\ntool = \"gfortran\"\nneeds = \"sh\"\n\
             [features.absent]\ntool = \"open-mpi\"\nneeds = \"no-such-program-anywhere\"\n\
             [tools.other]\ntool = \"gfortran\"\nneeds = \"no-such-compiler\"\n",
        )
        .unwrap();
        assert_eq!(meta.installed_features(), ["here"]);
        let tools: Vec<&String> = meta.system_tools().map(|(name, _)| name).collect();
        assert_eq!(tools, ["absent", "here", "other"]);
        assert_eq!(
            meta.tools["other"].install(),
            platform::Tool::Gfortran.install_here(),
            "the advice is the course's table's, for this system"
        );
        assert_eq!(
            meta.features["absent"].debian_packages()[0],
            "libopenmpi-dev"
        );
        let krate = Crate {
            dir: PathBuf::new(),
            package: "taskgraph".into(),
            lib: "taskgraph".into(),
            features: meta.installed_features(),
        };
        assert_eq!(
            krate.cargo_args(),
            ["--package", "taskgraph", "--features", "taskgraph/here"]
        );
        let plain = Crate {
            features: Vec::new(),
            ..krate.clone()
        };
        assert_eq!(plain.cargo_args(), ["--package", "taskgraph"]);
        assert_eq!(
            features_arg([&krate, &krate]),
            ["--features", "taskgraph/here,taskgraph/here"]
        );
    }
}
