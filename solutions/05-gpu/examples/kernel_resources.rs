//! Every kernel of the lab compiled to machine code for the A100 (sm_80) and the
//! H100 (sm_90) by NVRTC, which runs ptxas for it: no GPU needed. Prints each
//! kernel's registers, spills and static shared memory per architecture, and
//! fails, naming the file and the architecture, where ptxas refuses a kernel:
//! CI has no GPU, and this is where it meets the GPUs' limits. `cargo xtask
//! check` runs it (lab.toml `check_examples`).
//!
//! Run: cargo run -p gpu-solution --example kernel_resources

use std::process::ExitCode;

use gpu_solution::kernels::{self, KernelFile};
use gpu_solution::nvrtc::{self, CHECKED_ARCHS, KernelResources};

/// One line of the table: a kernel of a file, compiled for an architecture.
struct Row {
    file: &'static str,
    arch: &'static str,
    resources: KernelResources,
}

fn main() -> ExitCode {
    let version = match nvrtc::version() {
        Ok(version) => version,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for file in kernels::ALL {
        for arch in CHECKED_ARCHS {
            match compiled(&file, arch) {
                Ok(found) => rows.extend(found.into_iter().map(|resources| Row {
                    file: file.path,
                    arch,
                    resources,
                })),
                Err(why) => failures.push(why),
            }
        }
    }
    println!(
        "ptxas's report (NVRTC {}.{}), per thread and per block:",
        version.0, version.1
    );
    print_table(&rows);
    for failure in &failures {
        eprintln!("error: {failure}");
    }
    match failures.is_empty() {
        true => ExitCode::SUCCESS,
        false => ExitCode::FAILURE,
    }
}

/// The resources of each kernel `file` defines, compiled for `arch`; or why not,
/// naming the file and the architecture.
fn compiled(file: &KernelFile, arch: &str) -> Result<Vec<KernelResources>, String> {
    let found = nvrtc::resources(file, arch).map_err(|error| error.to_string())?;
    // A kernel that kernels.rs lists and ptxas did not compile fails Gpu::new's lookup.
    let missing: Vec<&str> = file
        .kernels
        .iter()
        .copied()
        .filter(|kernel| !found.iter().any(|r| r.kernel == *kernel))
        .collect();
    match missing.is_empty() {
        true => Ok(found),
        false => Err(format!(
            "{} for {arch}: ptxas compiled no kernel named {missing:?}, which \
             src/given/kernels.rs lists: is each `extern \"C\" __global__`?",
            file.path
        )),
    }
}

/// The rows as a text table, columns aligned, in the order of kernels::ALL, each
/// kernel's architectures together.
fn print_table(rows: &[Row]) {
    let header = [
        "file",
        "kernel",
        "arch",
        "registers",
        "spill stores (B)",
        "spill loads (B)",
        "static shared (B)",
    ];
    let mut lines = vec![header.map(String::from).to_vec()];
    for row in sorted(rows) {
        let r = &row.resources;
        lines.push(vec![
            row.file.to_string(),
            r.kernel.clone(),
            row.arch.to_string(),
            r.registers.to_string(),
            r.spill_stores.to_string(),
            r.spill_loads.to_string(),
            r.shared_bytes.to_string(),
        ]);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|column| {
            lines
                .iter()
                .map(|line| line[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .enumerate()
            // Names to the left, numbers to the right.
            .map(|(column, (cell, &width))| match column < 3 {
                true => format!("{cell:<width$}"),
                false => format!("{cell:>width$}"),
            })
            .collect();
        println!("{}", cells.join("  ").trim_end());
    }
}

/// The rows by file (in kernels::ALL's order), then kernel, then architecture.
fn sorted(rows: &[Row]) -> Vec<&Row> {
    let file_rank = |path: &str| kernels::ALL.iter().position(|file| file.path == path);
    let mut sorted: Vec<&Row> = rows.iter().collect();
    sorted.sort_by_key(|row| (file_rank(row.file), row.resources.kernel.clone(), row.arch));
    sorted
}
