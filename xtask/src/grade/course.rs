//! The instructor's side of grading: the labs, what each is worth, and the files of the
//! scratch workspace that always come from the instructor (everything but the labs' `src/`).

use std::collections::BTreeMap;
use std::fs;
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::listing;
use super::python::PythonPart;
use crate::workspace::{self, Grading, SpeedToml};

/// One lab of the course.
#[derive(Debug, Clone)]
pub struct CourseLab {
    /// The directory under `exercises/`, e.g. `01-strides`.
    pub name: String,
    pub package: String,
    pub title: String,
    pub grading: Grading,
    /// The exercises (test file stems) in the order students do them (lab.toml).
    pub exercises: Vec<String>,
    /// The library's source file relative to the crate (`src/lib.rs` unless the manifest
    /// says otherwise): without it the scratch workspace would not even load.
    pub lib_path: PathBuf,
    /// The lab features (lab.toml `[features]`) whose tool is installed here: the tests that
    /// need the others are ignored, and count neither way.
    pub features: Vec<String>,
    /// The system tools (lab.toml `[features]` and `[tools]`) not installed here, each with
    /// "it needs `mpicc` (how to install it)": their tests are not even built or skip
    /// themselves, so `grade` stops unless told to count them for no one.
    pub missing_tools: Vec<(String, String)>,
    /// The student files of the exercises (lab.toml `[exercise_files]`), relative to the lab.
    pub exercise_files: Vec<String>,
    /// The lab's Python extension crate (lab.toml `[python]`), whose pytest tests grade its
    /// `src/` too.
    pub python: Option<PythonPart>,
    /// The exercises whose speed counts (lab.toml `[speed]`), timed against the reference
    /// solution's (`speed.rs`).
    pub speed: BTreeMap<String, SpeedToml>,
}

impl CourseLab {
    /// The directories of the scratch workspace that hold this lab's student sources:
    /// `exercises/<lab>/src`, and its Python crate's `src` when it has one.
    pub fn sources(&self) -> Vec<PathBuf> {
        let mut sources = vec![Path::new("exercises").join(&self.name).join("src")];
        sources.extend(self.python.as_ref().map(|part| part.src(&self.name)));
        sources
    }
}

/// Relative path → contents.
pub type Files = BTreeMap<PathBuf, Vec<u8>>;

#[derive(Debug)]
pub struct Course {
    /// The labs to grade (`--lab`).
    pub labs: Vec<CourseLab>,
    /// Every lab of the course, graded or not: the scratch workspace holds them all, as a
    /// student's does (a lab's sources may include another's: lab 6's Python kernel includes
    /// lab 3's `src/pages.rs`), the labs not graded with the instructor's stubs.
    pub all_labs: Vec<CourseLab>,
    /// The scratch workspace's instructor files, relative to its root: each lab's directory
    /// but its sources (manifests, tests, benches, build scripts, lab.toml), a root manifest
    /// made from the course's, the course's Cargo.lock and `.cargo/config.toml`.
    pub files: Files,
    /// Each lab's `src/` as the instructor wrote it (the stubs), relative to `src/`: the warm-up
    /// builds them, and they stand in for the labs not being graded.
    pub stubs: BTreeMap<String, Files>,
    /// The same for the labs' Python crates (`exercises/<lab>/<dir>/src`), by lab.
    pub python_stubs: BTreeMap<String, Files>,
    /// The course's Python environment (`<root>/.venv`), when it has one: the labs' tests find
    /// NumPy and NVRTC there, so each scratch workspace links it where they look.
    pub venv: Option<PathBuf>,
    /// Each lab's `src/` solved: the stubs with the lab's `[exercise_files]` taken from
    /// `solutions/` (labs without a solution are absent). The grader's calibration builds them,
    /// in a scratch directory of its own, to find the tests that fail here for want of a tool
    /// (`grade.rs`, `calibrate`); they never enter a student's workspace.
    pub solved: BTreeMap<String, Files>,
}

impl Course {
    /// Reads the course at `root`, keeping the labs that `filters` name (all when empty).
    pub fn load(root: &Path, filters: &[String]) -> Result<Course> {
        let all_labs = workspace::lab_dirs(root, "exercises")?
            .into_iter()
            .map(|name| CourseLab::read(root, name))
            .collect::<Result<Vec<_>>>()?;
        if all_labs.is_empty() {
            bail!(
                "{} has no labs (exercises/NN-name/Cargo.toml): is it the course's root?",
                root.display()
            );
        }
        let labs = select(all_labs.clone(), filters)?;
        for lab in &labs {
            check_grading(lab)?;
        }
        let sources = Sources::read(root, &all_labs)?;
        let venv = fs::canonicalize(root.join(".venv")).ok();
        let solved = labs
            .iter()
            .filter_map(|lab| {
                let files = solved_src(root, lab, &sources.stubs[&lab.name])?;
                Some((lab.name.clone(), files))
            })
            .collect();
        Ok(Course {
            labs,
            all_labs,
            files: sources.files,
            stubs: sources.stubs,
            python_stubs: sources.python_stubs,
            venv,
            solved,
        })
    }

    /// Changes whenever the instructor's files or the toolchain do: the cached warm-up (test
    /// lists, pruned lockfile, built dependencies) is valid only for the same key.
    pub fn key(&self) -> Result<String> {
        let mut hasher = DefaultHasher::new();
        let mut add = |path: &Path, bytes: &[u8]| {
            hasher.write(path.as_os_str().as_encoded_bytes());
            hasher.write_usize(bytes.len());
            hasher.write(bytes);
        };
        for (path, bytes) in &self.files {
            add(path, bytes);
        }
        for (lab, files) in self.stubs.iter().chain(&self.solved) {
            for (path, bytes) in files {
                add(&Path::new(lab).join(path), bytes);
            }
        }
        for (lab, files) in &self.python_stubs {
            for (path, bytes) in files {
                add(&Path::new(lab).join("python-src").join(path), bytes);
            }
        }
        for lab in &self.labs {
            add(
                Path::new(&lab.name),
                format!(
                    "{:?} {:?} {:?} {:?}",
                    lab.grading, lab.features, lab.python, lab.speed
                )
                .as_bytes(),
            );
        }
        // The Python tests run in the course's venv: another venv, maybe other results.
        if let Some(venv) = &self.venv {
            add(Path::new(".venv"), venv.as_os_str().as_encoded_bytes());
        }
        add(Path::new("rustc -vV"), toolchain().as_bytes());
        add(
            Path::new("tools"),
            environment(self.venv.as_deref())?.as_bytes(),
        );
        Ok(format!("{:016x}", hasher.finish()))
    }
}

impl CourseLab {
    /// Reads lab `name` of the course at `root`: its crate, lab.toml, Python crate, and the
    /// features whose tools this machine lacks.
    fn read(root: &Path, name: String) -> Result<CourseLab> {
        let dir = root.join("exercises").join(&name);
        let krate = workspace::read_crate(&dir)?;
        let meta = workspace::read_lab_toml(&dir.join("lab.toml"))?;
        let python = meta
            .python
            .as_ref()
            .map(|python| PythonPart::load(&dir, python))
            .transpose()?;
        let missing_tools = meta
            .system_tools()
            .filter(|(_, tool)| !tool.installed())
            .map(|(name, tool)| {
                let why = format!(
                    "its tests need `{}`, which is not installed ({})",
                    tool.needs(),
                    tool.install()
                );
                (name.clone(), why)
            })
            .collect();
        Ok(CourseLab {
            python,
            lib_path: lib_path(&dir)?,
            features: meta.installed_features(),
            missing_tools,
            exercise_files: meta.exercise_files.values().flatten().cloned().collect(),
            package: krate.package,
            title: meta.title,
            grading: meta.grading,
            speed: meta.speed,
            exercises: meta.exercises,
            name,
        })
    }
}

/// The course's files as the scratch workspaces take them (see [`Course`]'s fields of the
/// same names).
struct Sources {
    files: Files,
    stubs: BTreeMap<String, Files>,
    python_stubs: BTreeMap<String, Files>,
}

impl Sources {
    /// Reads every lab's instructor files and stubs, and the workspace's root files.
    fn read(root: &Path, all_labs: &[CourseLab]) -> Result<Sources> {
        let mut files = Files::new();
        let mut stubs = BTreeMap::new();
        let mut python_stubs = BTreeMap::new();
        let mut members = Vec::new();
        for lab in all_labs {
            let dir = root.join("exercises").join(&lab.name);
            let rel = Path::new("exercises").join(&lab.name);
            // The Python crate's src/ is the student's, like the lab's own.
            let python_src = lab
                .python
                .as_ref()
                .map(|part| Path::new(&part.dir).join("src"));
            for (path, bytes) in read_tree(&dir, &|rel| rel != Path::new("src"))? {
                if python_src.as_ref().is_none_or(|src| !path.starts_with(src)) {
                    files.insert(rel.join(path), bytes);
                }
            }
            stubs.insert(lab.name.clone(), read_tree(&dir.join("src"), &|_| true)?);
            if let (Some(part), Some(src)) = (&lab.python, &python_src) {
                python_stubs.insert(lab.name.clone(), read_tree(&dir.join(src), &|_| true)?);
                members.push(rel.join(&part.dir));
            }
        }
        let manifest = scratch_manifest(root, &members)?;
        files.insert("Cargo.toml".into(), manifest.into_bytes());
        // The labs' path dependencies inside the course (`support/`) travel with the labs:
        // the sandbox sees the scratch workspace, not the course.
        for dir in in_tree_path_dependencies(root)? {
            for (path, bytes) in read_tree(&root.join(&dir), &|_| true)? {
                files.insert(dir.join(path), bytes);
            }
        }
        for extra in [
            "Cargo.lock",
            ".cargo/config.toml",
            "rust-toolchain.toml",
            "rust-toolchain",
        ] {
            if let Ok(bytes) = fs::read(root.join(extra)) {
                files.insert(extra.into(), bytes);
            }
        }
        Ok(Sources {
            files,
            stubs,
            python_stubs,
        })
    }
}

/// What the calibration's verdicts depend on besides the course: the tools on PATH that labs
/// use, and the packages in the course's .venv. Installing one recalibrates.
fn environment(venv: Option<&Path>) -> Result<String> {
    let mut seen: Vec<String> = ["gfortran", "mpicc", "mpirun", "nvcc", "cc", "python3"]
        .iter()
        .map(|tool| format!("{tool}={}", workspace::on_path(tool)))
        .collect();
    if let Some(venv) = venv {
        // `lib/python3.X/site-packages`; a stray file in `lib/` lists nothing.
        for python in listing::paths(&venv.join("lib"))?
            .iter()
            .filter(|p| p.is_dir())
        {
            let packages = listing::names(&python.join("site-packages"))?;
            seen.extend(
                packages
                    .into_iter()
                    .filter(|name| name.ends_with(".dist-info")),
            );
        }
    }
    seen.sort();
    Ok(seen.join("\n"))
}

/// `rustc -vV`: a new toolchain means new builds and maybe new test names.
fn toolchain() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
        .unwrap_or_default()
}

/// The lab's `src/` with its exercises solved: the stub's files, each of the lab's exercise
/// files under `src/` replaced by the solution's. None without a solution.
fn solved_src(root: &Path, lab: &CourseLab, stub: &Files) -> Option<Files> {
    let solution = root.join("solutions").join(&lab.name);
    if !solution.is_dir() || lab.exercise_files.is_empty() {
        return None;
    }
    let mut files = stub.clone();
    for path in &lab.exercise_files {
        if let Ok(rel) = Path::new(path).strip_prefix("src") {
            files.insert(rel.to_path_buf(), fs::read(solution.join(path)).ok()?);
            // The file's submodules (`src/blocked.rs` → `src/blocked/*.rs`), which the
            // solution may have where the stub has none: a student's would be in their src/.
            let dir = solution.join(path).with_extension("");
            if dir.is_dir() {
                for (sub, bytes) in read_tree(&dir, &|_| true).ok()? {
                    files.insert(rel.with_extension("").join(sub), bytes);
                }
            }
        }
    }
    Some(files)
}

pub fn lib_path(dir: &Path) -> Result<PathBuf> {
    let path = dir.join("Cargo.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: toml::Table =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let declared = manifest
        .get("lib")
        .and_then(|lib| lib.get("path"))
        .and_then(|path| path.as_str());
    Ok(PathBuf::from(declared.unwrap_or("src/lib.rs")))
}

/// The labs that `filters` name: `1`, `01`, `01-strides`, `strides`; all when empty.
fn select(labs: Vec<CourseLab>, filters: &[String]) -> Result<Vec<CourseLab>> {
    workspace::select_by(labs, filters, |lab| (&lab.name, &lab.package))
}

fn check_grading(lab: &CourseLab) -> Result<()> {
    let file = format!("exercises/{}/lab.toml", lab.name);
    if let Some(points) = lab.grading.points
        && !(points.is_finite() && points >= 0.0)
    {
        bail!("{file}: [grading] points = {points}: give a number of points, 0 or more");
    }
    for (exercise, speed) in &lab.speed {
        let scale = speed.none_below.is_finite()
            && speed.full_at.is_finite()
            && 0.0 <= speed.none_below
            && speed.none_below < speed.full_at;
        if !(speed.points.is_finite() && speed.points >= 0.0 && scale) {
            bail!(
                "{file}: [speed.{exercise}]: points must be 0 or more, and 0 <= none_below < \
                 full_at"
            );
        }
        speed
            .dims()
            .with_context(|| format!("{file}: [speed.{exercise}]"))?;
    }
    for (id, weight) in &lab.grading.weights {
        if !(weight.is_finite() && *weight >= 0.0) {
            bail!("{file}: [grading.weights] `{id}` = {weight}: weights are 0 or more");
        }
    }
    Ok(())
}

/// The regular files under `dir`, relative to it, skipping build output, hidden directories,
/// Python's bytecode caches, symbolic links and the top-level entries `keep` refuses.
pub fn read_tree(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Result<Files> {
    let mut files = Files::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let entries =
            fs::read_dir(dir.join(&rel)).with_context(|| format!("reading {}", dir.display()))?;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let path = rel.join(&name);
            let kind = entry.file_type()?;
            if rel.as_os_str().is_empty() && !keep(&path) {
                continue;
            }
            if kind.is_dir() {
                let hidden = name.to_string_lossy().starts_with('.');
                if name != "target" && name != "__pycache__" && !hidden {
                    stack.push(path);
                }
            } else if kind.is_file() {
                let bytes = fs::read(entry.path())
                    .with_context(|| format!("reading {}", entry.path().display()))?;
                files.insert(path, bytes);
            }
        }
    }
    Ok(files)
}

/// The scratch workspace's root manifest: the course's, with only `exercises/*` and the labs'
/// Python crates (`extra`: nested, out of reach of the glob, and a crate that is not a member
/// of the workspace it lies in does not build) as members. What builds depend on is kept
/// (`[workspace.package]`, `[workspace.dependencies]`, `[workspace.lints]`, the resolver,
/// `[profile]`, `[patch]`); relative `path` dependencies are made absolute, since the scratch
/// workspace lives elsewhere.
fn scratch_manifest(root: &Path, extra: &[PathBuf]) -> Result<String> {
    let path = root.join("Cargo.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: toml::Table =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let mut workspace = toml::Table::new();
    let mut members = vec![toml::Value::from("exercises/*")];
    members.extend(
        extra
            .iter()
            .map(|dir| dir.to_string_lossy().into_owned().into()),
    );
    workspace.insert("members".into(), toml::Value::Array(members));
    if let Some(course) = manifest.get("workspace").and_then(|w| w.as_table()) {
        for key in ["resolver", "package", "dependencies", "lints"] {
            if let Some(value) = course.get(key) {
                workspace.insert(key.into(), value.clone());
            }
        }
    }
    let mut scratch = toml::Table::new();
    if let Some(deps) = workspace.get_mut("dependencies") {
        // In-tree ones are copied beside the labs (`in_tree_path_dependencies`) and stay relative.
        absolute_paths(deps, root, &|relative| !in_tree(relative));
    }
    scratch.insert("workspace".into(), toml::Value::Table(workspace));
    for key in ["profile", "patch"] {
        if let Some(value) = manifest.get(key) {
            let mut value = value.clone();
            if key == "patch"
                && let Some(sources) = value.as_table_mut()
            {
                sources
                    .iter_mut()
                    .for_each(|(_, deps)| absolute_paths(deps, root, &|_| true));
            }
            scratch.insert(key.into(), value);
        }
    }
    let body = toml::to_string(&scratch).context("writing the scratch workspace's manifest")?;
    Ok(format!(
        "# Made by `cargo xtask grade` from the course's Cargo.toml: the labs only.\n{body}"
    ))
}

/// The folders of `[workspace.dependencies]` given by a path inside the course (`support`).
fn in_tree_path_dependencies(root: &Path) -> Result<Vec<PathBuf>> {
    let path = root.join("Cargo.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: toml::Table =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let deps = manifest
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table());
    Ok(deps
        .into_iter()
        .flatten()
        .filter_map(|(_, dep)| dep.get("path")?.as_str())
        .filter(|relative| in_tree(relative))
        .map(PathBuf::from)
        .collect())
}

/// A relative path that stays below the folder it is relative to.
fn in_tree(relative: &str) -> bool {
    let path = Path::new(relative);
    path.is_relative()
        && path
            .components()
            .all(|part| matches!(part, std::path::Component::Normal(_)))
}

/// `dep = { path = "../elsewhere" }` → an absolute path from the course root, for each path
/// dependency that `make_absolute` picks.
fn absolute_paths(deps: &mut toml::Value, root: &Path, make_absolute: &dyn Fn(&str) -> bool) {
    let Some(deps) = deps.as_table_mut() else {
        return;
    };
    for (_, dep) in deps.iter_mut() {
        if let Some(path) = dep.get_mut("path")
            && let Some(relative) = path.as_str()
            && Path::new(relative).is_relative()
            && make_absolute(relative)
        {
            *path = root.join(relative).to_string_lossy().into_owned().into();
        }
    }
}
