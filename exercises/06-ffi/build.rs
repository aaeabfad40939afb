//! Compiles lab 6's given C and Fortran kernels (c/, fortran/) and links them.
//!
//! - C: c/cityblock.c with the cc crate, -O3, and OpenMP where the C compiler has it: plain
//!   `-fopenmp` (gcc; clang with its libomp), else, on macOS, Apple clang's
//!   `-Xpreprocessor -fopenmp` with Homebrew's libomp (`brew install libomp`). A probe that
//!   includes omp.h decides; then the cfg `has_openmp` is set and the OpenMP runtime linked
//!   (gomp for gcc, omp for clang). Without OpenMP the kernel runs on one thread, a warning
//!   says how to install it, and the tests about thread counts report themselves skipped.
//! - Fortran: when `gfortran --version` runs (and FFI_NO_FORTRAN is not set),
//!   fortran/cityblock.f90 with -O3 -fopenmp and fortran/racy_cityblock.f90
//!   with -O0 (see that file), linked with gfortran's runtime and gomp, and the cfg
//!   `has_fortran` is set. Without gfortran the crate still builds: a warning
//!   says how to install it, the C stand-ins of fortran/missing_gfortran.c take
//!   the kernels' names, and the Rust wrappers return
//!   `FfiError::FortranUnavailable` before calling them.
//!
//! The runtime libraries (libgfortran, libgomp, libomp) are found where the compiler that
//! needs them keeps them (`gfortran -print-file-name=libgfortran.so`, ...), so that a gcc
//! outside the linker's default path (Homebrew's) links too.
//!
//! No flag depends on the machine (no -march=native): the kernels run wherever
//! the crate builds. Set FFI_NO_FORTRAN=1 to build as if gfortran were missing,
//! FFI_NO_OPENMP=1 as if the C compiler had no OpenMP (the course's CI checks the
//! skipped tests' messages that way). The install commands are the course's, for
//! the system that builds (the `platform` crate, support/platform).
//!
//! The solution crate runs this same file (its manifest's `build` names it), so
//! the two crates link the same kernels built the same way. The sources are
//! embedded with `include_str!`, which resolves them next to this file whichever
//! crate is built, and written to OUT_DIR to be compiled; cargo rebuilds and
//! reruns this script when one of them changes. The macOS branches are small and
//! untested by the course's CI, which runs on Debian.

use std::path::{Path, PathBuf};

/// The given sources, relative to this file, and their contents.
const SOURCES: [(&str, &str); 4] = [
    ("c/cityblock.c", include_str!("c/cityblock.c")),
    (
        "fortran/cityblock.f90",
        include_str!("fortran/cityblock.f90"),
    ),
    (
        "fortran/racy_cityblock.f90",
        include_str!("fortran/racy_cityblock.f90"),
    ),
    (
        "fortran/missing_gfortran.c",
        include_str!("fortran/missing_gfortran.c"),
    ),
];

fn main() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let lab = out_dir.join("given");
    for (path, contents) in SOURCES {
        let file = lab.join(path);
        std::fs::create_dir_all(file.parent().expect("a file in a folder"))
            .expect("OUT_DIR is writable");
        std::fs::write(&file, contents).expect("OUT_DIR is writable");
    }
    build_native(&lab);
}

/// The Fortran compiler.
const GFORTRAN: &str = "gfortran";

/// Builds and links the kernels whose sources are in `lab` (c/, fortran/).
fn build_native(lab: &Path) {
    println!("cargo::rustc-check-cfg=cfg(has_fortran)");
    println!("cargo::rustc-check-cfg=cfg(has_openmp)");
    println!("cargo:rerun-if-env-changed=FFI_NO_FORTRAN");
    println!("cargo:rerun-if-env-changed=FFI_NO_OPENMP");

    let c_kernel = lab.join("c/cityblock.c");
    let fortran_kernels = lab.join("fortran/cityblock.f90");
    let racy_kernel = lab.join("fortran/racy_cityblock.f90");
    let stand_ins = lab.join("fortran/missing_gfortran.c");
    let package = std::env::var("CARGO_PKG_NAME").unwrap_or_else(|_| "ffi".into());
    let rebuild = format!("then `cargo clean -p {package}` and build again");

    // Runtime libraries to link after the static kernels, once each, and where they are.
    let mut runtimes: Vec<&str> = Vec::new();
    let mut search: Vec<PathBuf> = Vec::new();

    let mut c = cc::Build::new();
    c.file(&c_kernel).opt_level(3);
    match openmp_for_c(lab) {
        Ok(openmp) => {
            c.flags(openmp.flags).includes(&openmp.include);
            println!("cargo:rustc-cfg=has_openmp");
            runtimes.push(openmp.runtime);
            let compiler = c.get_compiler();
            search.extend(
                openmp
                    .lib_dir
                    .or_else(|| runtime_dir(compiler.path(), &format!("lib{}", openmp.runtime))),
            );
        }
        Err(why) => {
            // The kernel's `#pragma omp` lines are for a compiler with OpenMP: no warning here.
            c.flag_if_supported("-Wno-unknown-pragmas");
            println!(
                "cargo:warning=lab 6: {why}, so the C kernel runs on one thread and the tests \
                 of thread counts are skipped. Fix: install OpenMP ({}), {rebuild}",
                platform::Tool::OpenMp.install_here()
            );
        }
    }

    match gfortran() {
        Ok(version) => {
            let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
            let fortran = |source: &Path, opt_level: u32, name: &str| {
                cc::Build::new()
                    .compiler(GFORTRAN)
                    .file(source)
                    .opt_level(opt_level)
                    .flag("-fopenmp")
                    // gfortran writes a .mod file per module: into OUT_DIR, not the source tree.
                    .flag(format!("-J{out_dir}"))
                    .compile(name);
            };
            fortran(&fortran_kernels, 3, "ffi_fortran");
            // -O0 on purpose: at -O1 and above gfortran keeps the shared `tmp` in a
            // register, and the race (still there, still a bug) almost never shows.
            fortran(&racy_kernel, 0, "ffi_fortran_racy");
            runtimes.extend(["gfortran", "gomp"]);
            for library in ["libgfortran", "libgomp"] {
                search.extend(runtime_dir(Path::new(GFORTRAN), library));
            }
            println!("cargo:rustc-cfg=has_fortran");
            println!("lab 6: Fortran kernels built with {version}");
        }
        Err(why) => {
            let fix = format!(
                "install gfortran ({}), {rebuild}",
                platform::Tool::Gfortran.install_here()
            );
            // The stand-ins stop the program with the same advice, were one ever called.
            c.file(&stand_ins)
                .define("FFI_FORTRAN_FIX", Some(c_string(&fix).as_str()));
            println!(
                "cargo:warning=lab 6: {why}, so the Fortran kernels are not built and \
                 cityblock_fortran returns FfiError::FortranUnavailable. Fix: {fix}"
            );
        }
    }
    c.compile("ffi_c");

    let mut linked: Vec<&str> = Vec::new();
    for runtime in runtimes {
        if !linked.contains(&runtime) {
            println!("cargo:rustc-link-lib={runtime}");
            linked.push(runtime);
        }
    }
    let mut searched: Vec<PathBuf> = Vec::new();
    for dir in search {
        if !searched.contains(&dir) {
            println!("cargo:rustc-link-search=native={}", dir.display());
            searched.push(dir);
        }
    }
}

/// How the C compiler builds OpenMP code: its flags, include folder, runtime library and where
/// that is, when not where the compiler itself finds it.
struct OpenMp {
    flags: Vec<&'static str>,
    include: Vec<PathBuf>,
    runtime: &'static str,
    lib_dir: Option<PathBuf>,
}

/// The first way of building OpenMP code that compiles a probe including omp.h with the C
/// compiler cc picks: `-fopenmp` (gcc, and clang where its libomp is installed), else, on
/// macOS, Apple clang's `-Xpreprocessor -fopenmp` with Homebrew's libomp. Or why none does.
fn openmp_for_c(lab: &Path) -> Result<OpenMp, String> {
    if std::env::var_os("FFI_NO_OPENMP").is_some_and(|v| !v.is_empty() && v != "0") {
        return Err("FFI_NO_OPENMP is set (build as if the C compiler had no OpenMP)".into());
    }
    let clang = cc::Build::new().get_compiler().is_like_clang();
    let mut candidates = vec![OpenMp {
        flags: vec!["-fopenmp"],
        include: Vec::new(),
        runtime: if clang { "omp" } else { "gomp" },
        lib_dir: None,
    }];
    if std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "macos") {
        candidates.extend(homebrew_libomp().map(|prefix| OpenMp {
            flags: vec!["-Xpreprocessor", "-fopenmp"],
            include: vec![prefix.join("include")],
            runtime: "omp",
            lib_dir: Some(prefix.join("lib")),
        }));
    }
    let probe = lab.join("c/openmp_probe.c");
    std::fs::write(
        &probe,
        "#include <omp.h>\nint ffi_openmp_probe(void) { return omp_get_max_threads(); }\n",
    )
    .expect("OUT_DIR is writable");
    candidates
        .into_iter()
        .find(|openmp| {
            cc::Build::new()
                .file(&probe)
                .flags(&openmp.flags)
                .includes(&openmp.include)
                // A probe that fails is an answer, not a message for the student.
                .cargo_metadata(false)
                .cargo_warnings(false)
                .cargo_output(false)
                .try_compile_intermediates()
                .is_ok()
        })
        .ok_or_else(|| "the C compiler cannot build OpenMP code (with -fopenmp and omp.h)".into())
}

/// Homebrew's libomp: `brew --prefix libomp`, else its usual places (Apple silicon, Intel).
fn homebrew_libomp() -> Option<PathBuf> {
    let brew = std::process::Command::new("brew")
        .args(["--prefix", "libomp"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    brew.into_iter()
        .chain(["/opt/homebrew/opt/libomp", "/usr/local/opt/libomp"].map(PathBuf::from))
        .find(|prefix| prefix.join("include/omp.h").is_file())
}

/// The folder that holds `library` (`libgfortran`: its .so, .dylib or .a) as `compiler
/// -print-file-name=FILE` finds it: where the compiler keeps its own runtime. None when the
/// compiler knows no such file (it then prints the bare name back).
fn runtime_dir(compiler: &Path, library: &str) -> Option<PathBuf> {
    ["so", "dylib", "a"].into_iter().find_map(|extension| {
        let out = std::process::Command::new(compiler)
            .arg(format!("-print-file-name={library}.{extension}"))
            .output()
            .ok()
            .filter(|out| out.status.success())?;
        let file = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        match file.is_absolute() && file.exists() {
            true => file.parent().map(Path::to_path_buf),
            false => None,
        }
    })
}

/// `text` as a C string literal, for a -D definition.
fn c_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `Ok(first line of gfortran --version)`, or why there is no gfortran to use.
fn gfortran() -> Result<String, String> {
    if std::env::var_os("FFI_NO_FORTRAN").is_some_and(|v| !v.is_empty() && v != "0") {
        return Err("FFI_NO_FORTRAN is set (build as if gfortran were missing)".into());
    }
    match std::process::Command::new(GFORTRAN)
        .arg("--version")
        .output()
    {
        Ok(out) if out.status.success() => Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or(GFORTRAN)
            .to_string()),
        Ok(out) => Err(format!("`gfortran --version` failed ({})", out.status)),
        Err(error) => Err(format!("gfortran was not found ({error})")),
    }
}
