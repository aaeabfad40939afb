//! Compiles lab 6's given C and Fortran kernels (c/, fortran/) and links them.
//!
//! - C: c/cityblock.c with the cc crate, -O3, and OpenMP when the compiler
//!   takes -fopenmp (then the OpenMP runtime is linked: gomp for gcc, omp for
//!   clang).
//! - Fortran: when `gfortran --version` runs (and FFI_NO_FORTRAN is not set),
//!   fortran/cityblock.f90 with -O3 -fopenmp and fortran/racy_cityblock.f90
//!   with -O0 (see that file), linked with gfortran and gomp, and the cfg
//!   `has_fortran` is set. Without gfortran the crate still builds: a warning
//!   says how to install it, the C stand-ins of fortran/missing_gfortran.c take
//!   the kernels' names, and the Rust wrappers return
//!   `FfiError::FortranUnavailable` before calling them.
//!
//! No flag depends on the machine (no -march=native): the kernels run wherever
//! the crate builds. Set FFI_NO_FORTRAN=1 to build as if gfortran were missing.
//!
//! The solution crate runs this same file (its manifest's `build` names it), so
//! the two crates link the same kernels built the same way. The sources are
//! embedded with `include_str!`, which resolves them next to this file whichever
//! crate is built, and written to OUT_DIR to be compiled; cargo rebuilds and
//! reruns this script when one of them changes.

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

/// Builds and links the kernels whose sources are in `lab` (c/, fortran/).
fn build_native(lab: &Path) {
    println!("cargo::rustc-check-cfg=cfg(has_fortran)");
    println!("cargo::rustc-check-cfg=cfg(has_openmp)");
    println!("cargo:rerun-if-env-changed=FFI_NO_FORTRAN");

    let c_kernel = lab.join("c/cityblock.c");
    let fortran_kernels = lab.join("fortran/cityblock.f90");
    let racy_kernel = lab.join("fortran/racy_cityblock.f90");
    let stand_ins = lab.join("fortran/missing_gfortran.c");

    // Runtime libraries to link after the static kernels, once each.
    let mut runtimes: Vec<&str> = Vec::new();

    let mut c = cc::Build::new();
    c.file(&c_kernel).opt_level(3);
    if c.is_flag_supported("-fopenmp").unwrap_or(false) {
        c.flag("-fopenmp");
        println!("cargo:rustc-cfg=has_openmp");
        runtimes.push(if c.get_compiler().is_like_clang() {
            "omp"
        } else {
            "gomp"
        });
    } else {
        println!(
            "cargo:warning=the C compiler does not take -fopenmp: the C kernel of lab 6 runs on one thread"
        );
    }

    let package = std::env::var("CARGO_PKG_NAME").unwrap_or_else(|_| "ffi".into());
    match gfortran() {
        Ok(version) => {
            let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
            let fortran = |source: &Path, opt_level: u32, name: &str| {
                cc::Build::new()
                    .compiler("gfortran")
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
            println!("cargo:rustc-cfg=has_fortran");
            println!("lab 6: Fortran kernels built with {version}");
        }
        Err(why) => {
            c.file(&stand_ins);
            println!(
                "cargo:warning=lab 6: {why}, so the Fortran kernels are not built and \
                 cityblock_fortran returns FfiError::FortranUnavailable. Fix: \
                 `apt-get install gfortran` (Debian/Ubuntu), then `cargo clean -p {package}` \
                 and build again"
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
}

/// `Ok(first line of gfortran --version)`, or why there is no gfortran to use.
fn gfortran() -> Result<String, String> {
    if std::env::var_os("FFI_NO_FORTRAN").is_some_and(|v| !v.is_empty() && v != "0") {
        return Err("FFI_NO_FORTRAN is set (build as if gfortran were missing)".into());
    }
    match std::process::Command::new("gfortran")
        .arg("--version")
        .output()
    {
        Ok(out) if out.status.success() => Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("gfortran")
            .to_string()),
        Ok(out) => Err(format!("`gfortran --version` failed ({})", out.status)),
        Err(error) => Err(format!("gfortran was not found ({error})")),
    }
}
