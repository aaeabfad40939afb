//! Compiles the lab's kernels (src/cuda/*.cu) for the CPU emulator, so that the
//! tests run them without a GPU (given code). Each kernel file is compiled on its
//! own with a C++ compiler and emu/cuda_emu.hpp force-included. A file that does
//! not compile does not break the crate: its kernels are replaced by ones that
//! report "did not compile", the compiler's messages are printed as warnings, and
//! the tests of every other exercise still run.
//!
//! The solution crate runs this same file (its manifest's `build` names it). So
//! that both find the emulator wherever they are built, its sources (emu/, next
//! to this file) are embedded here and written to OUT_DIR: `include_str!` resolves
//! them from this file, not from the crate being built, and cargo rebuilds and
//! reruns this script when one of them changes. The kernels are each crate's own,
//! under its CARGO_MANIFEST_DIR.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every kernel file and the kernels it defines, with their C signatures.
const KERNEL_FILES: &[(&str, &[(&str, &str)])] = &[
    ("cityblock_naive", &[("cityblock_naive", PAIRWISE)]),
    ("sqeuclidean_naive", &[("sqeuclidean_naive", PAIRWISE)]),
    ("cityblock_tiled", &[("cityblock_tiled", PAIRWISE)]),
    (
        "trick",
        &[
            ("row_sq_norms", "const double*, double*, u64, u64"),
            (
                "sqeuclidean_epilogue",
                "const double*, const double*, double*, u64, u64, int",
            ),
        ],
    ),
    (
        "gemv",
        &[("gemv_row_major", GEMV), ("gemv_col_major", GEMV)],
    ),
];
/// The CPU emulator's sources (given, in emu/): file name and contents.
const EMULATOR: [(&str, &str); 4] = [
    ("cuda_emu.hpp", include_str!("emu/cuda_emu.hpp")),
    ("runtime.hpp", include_str!("emu/runtime.hpp")),
    ("runtime.cpp", include_str!("emu/runtime.cpp")),
    ("launchers.cpp", include_str!("emu/launchers.cpp")),
];
const PAIRWISE: &str = "const double*, const double*, double*, u64, u64, u64";
const GEMV: &str = "const double*, const double*, double*, u64, u64";

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"));
    let emu_dir = out_dir.join("emu");
    fs::create_dir_all(&emu_dir).expect("OUT_DIR is writable");
    for (name, contents) in EMULATOR {
        fs::write(emu_dir.join(name), contents).expect("OUT_DIR is writable");
    }
    let header = emu_dir.join("cuda_emu.hpp");

    let mut runtime = base_build(&emu_dir);
    runtime
        .file(emu_dir.join("runtime.cpp"))
        .file(emu_dir.join("launchers.cpp"));
    let mut fallbacks = String::from("#include \"runtime.hpp\"\ntypedef unsigned long long u64;\n");
    for (file, kernels) in KERNEL_FILES {
        let source = crate_dir
            .join("src")
            .join("cuda")
            .join(format!("{file}.cu"));
        println!("cargo:rerun-if-changed={}", source.display());
        match compile_kernel_file(
            &emu_dir,
            &header,
            &source,
            &out_dir.join(format!("{file}.o")),
        ) {
            Ok(object) => {
                runtime.object(object);
            }
            Err(messages) => {
                println!(
                    "cargo:warning=src/cuda/{file}.cu does not compile for the CPU emulator; its \
                     tests will say so. The compiler said:"
                );
                for line in messages
                    .lines()
                    .filter(|line| !line.trim().is_empty())
                    .take(40)
                {
                    println!("cargo:warning=  {line}");
                }
                for (name, signature) in *kernels {
                    fallbacks.push_str(&format!(
                        "extern \"C\" void {name}({signature}) {{ emu_not_compiled(); }}\n"
                    ));
                }
            }
        }
    }
    let fallback_file = out_dir.join("not_compiled.cpp");
    fs::write(&fallback_file, fallbacks).expect("OUT_DIR is writable");
    runtime.file(fallback_file).compile("gpu_kernels_emulated");
}

/// The C++ build shared by the runtime and the kernels.
fn base_build(emu_dir: &Path) -> cc::Build {
    let mut build = cc::Build::new();
    build
        .cpp(true)
        .std("c++17")
        .include(emu_dir)
        .flag("-pthread")
        .flag_if_supported("-Wno-unknown-pragmas")
        .warnings(false);
    build
}

/// Compiles one kernel file to an object, or returns the compiler's messages.
fn compile_kernel_file(
    emu_dir: &Path,
    header: &Path,
    source: &Path,
    object: &Path,
) -> Result<PathBuf, String> {
    let compiler = base_build(emu_dir).get_compiler();
    let mut command: Command = compiler.to_command();
    command
        .arg("-include")
        .arg(header)
        .args(["-x", "c++", "-c"])
        .arg(source)
        .arg("-o")
        .arg(object);
    let output = command
        .output()
        .map_err(|error| format!("could not run the C++ compiler: {error}"))?;
    if output.status.success() {
        Ok(object.to_path_buf())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}
