//! Exercise 7: Cityblock on MPI ranks (src/distributed.rs).
//! Run: cargo test -p taskgraph --features mpi --test distributed
//! (the `mpi` feature needs Open MPI and libclang; without them, or without
//! the feature, the MPI tests report themselves skipped and say what to
//! install or add: `-- --show-output` shows it, `cargo xtask progress` too).
//!
//! The MPI tests run the lab's program (src/bin/mpi.rs, given in
//! src/given/mpi_main.rs) under
//! `mpirun --oversubscribe`: more ranks than cores is fine for a test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ndarray::Array2;
use support::platform::{Tool, on_path, skip};

use taskgraph::GraphError;
use taskgraph::distributed::partition;
use taskgraph::kernel::cityblock_serial;
use taskgraph::npy::{read_array, write_array};

#[test]
fn partition_gives_each_block_its_element_count_and_offset() {
    let blocks = [0..3, 3..6, 6..8, 8..8];
    assert_eq!(
        partition(&blocks, 4),
        Ok((vec![12, 12, 8, 0], vec![0, 12, 24, 32])),
        "rows 0..3 of 4 values are 12 elements from element 0, rows 3..6 are 12 from 12, ... \
         (counts and offsets are in elements of the flat buffer, not in rows)"
    );
    assert_eq!(
        partition(&[0..5, 5..5], 0),
        Ok((vec![0, 0], vec![0, 0])),
        "rows of no values are no elements"
    );
}

#[test]
fn partition_refuses_counts_a_c_int_cannot_hold() {
    let rows = 1 << 20;
    assert_eq!(
        partition(&[0..rows, rows..rows], 1 << 11),
        Err(GraphError::TooLargeForMpi {
            rows,
            width: 1 << 11
        }),
        "2^20 rows × 2^11 values = 2^31 elements, one more than an MPI count (a C int) holds"
    );
    assert_eq!(
        partition(&[0..2, rows..rows + 2], 1 << 11),
        Err(GraphError::TooLargeForMpi {
            rows,
            width: 1 << 11
        }),
        "the second block starts at element 2^31: its displacement does not fit either"
    );
}

#[test]
fn two_ranks_give_the_serial_result() {
    if !mpi_built() {
        return;
    }
    let (x, y) = (points(37, 6, 1), points(23, 6, 2));
    let r = run_ranks(2, &x, &y, "two");
    assert_eq!(
        r,
        cityblock_serial(x.view(), y.view()),
        "2 ranks: rank 0's gathered r must be the serial result, every row in place"
    );
}

#[test]
fn more_ranks_than_rows_leave_some_ranks_empty() {
    if !mpi_built() {
        return;
    }
    let (x, y) = (points(10, 3, 3), points(7, 3, 4));
    assert_eq!(
        run_ranks(3, &x, &y, "uneven"),
        cityblock_serial(x.view(), y.view()),
        "3 ranks, 10 rows: blocks of 4, 3 and 3 rows"
    );
    let (x, y) = (points(2, 3, 5), points(4, 3, 6));
    assert_eq!(
        run_ranks(3, &x, &y, "empty"),
        cityblock_serial(x.view(), y.view()),
        "3 ranks, 2 rows: the third rank gets an empty block and must still take part in \
         every collective"
    );
}

#[test]
fn a_shape_mismatch_stops_every_rank_with_the_shapes() {
    if !mpi_built() {
        return;
    }
    let dir = scratch("mismatch");
    let (x, y) = (dir.join("x.npy"), dir.join("y.npy"));
    write(&x, &points(5, 3, 7));
    write(&y, &points(4, 2, 8));
    let out = mpirun(2, &[&x, &y, &dir.join("r.npy")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "x is 5×3 and y is 4×2: every rank must return the ShapeMismatch error (exit status \
         2), none may wait in a collective the others skipped. mpirun said:\n{stderr}"
    );
    assert!(
        stderr.contains("5×3") && stderr.contains("4×2"),
        "the error names both shapes; mpirun said:\n{stderr}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Deterministic points, the same for any number of ranks.
fn points(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        ((i as u64 * 31 + j as u64 * 17 + seed * 7919) % 1000) as f64 / 100.0
    })
}

/// Writes x and y to .npy files, runs the program on `ranks` ranks, reads r.
fn run_ranks(ranks: usize, x: &Array2<f64>, y: &Array2<f64>, name: &str) -> Array2<f64> {
    let dir = scratch(name);
    let paths = ["x.npy", "y.npy", "r.npy"].map(|file| dir.join(file));
    write(&paths[0], x);
    write(&paths[1], y);
    let out = mpirun(ranks, &[&paths[0], &paths[1], &paths[2]]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let hung = if stderr.contains("time limit") {
        "\nit hung: some rank waits in a collective that another rank never called (every \
         rank must make the same collective calls, in the same order)"
    } else {
        ""
    };
    assert!(
        out.status.success(),
        "mpirun -np {ranks} failed ({}){hung}; what the ranks said:\n{stderr}",
        out.status
    );
    let r = read_array(&paths[2]).unwrap_or_else(|e| panic!("rank 0 wrote no r: {e}"));
    let _ = std::fs::remove_dir_all(dir);
    r
}

fn write(path: &Path, a: &Array2<f64>) {
    write_array(path, a.view()).unwrap_or_else(|e| panic!("{e}"));
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "{}-mpi-{name}-{}",
        env!("CARGO_PKG_NAME"),
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// `mpirun -np ranks <the lab's MPI program> args`, killed after a minute so
/// that a rank stuck in a collective fails the test instead of hanging it.
fn mpirun(ranks: usize, args: &[&Path]) -> Output {
    Command::new("mpirun")
        .args([
            "--oversubscribe",
            "--timeout",
            "60",
            "-np",
            &ranks.to_string(),
        ])
        .arg(program())
        .args(args)
        // Containers and CI often run as root, which Open MPI refuses unless told.
        .env("OMPI_ALLOW_RUN_AS_ROOT", "1")
        .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
        // Containers often forbid the cross-process reads of Open MPI's one-copy
        // transfers (ptrace); plain shared-memory copies work everywhere.
        .env("OMPI_MCA_btl_vader_single_copy_mechanism", "none")
        // A panic's message, without a backtrace per rank.
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "could not start mpirun ({e}): install Open MPI ({})",
                Tool::OpenMpi.install_here()
            )
        })
}

/// Whether the MPI tests can run: the lab was built with its `mpi` feature. When not, prints
/// the line that marks the calling test skipped, with what to do: install Open MPI where its
/// mpicc is not on PATH (the command for this system), else add the feature. The test then
/// returns, before it runs any code of the exercise: `if !mpi_built() { return; }`.
fn mpi_built() -> bool {
    if cfg!(feature = "mpi") {
        return true;
    }
    let run = format!(
        "`cargo test -p {} --features mpi --test distributed` (`cargo xtask progress` turns the \
         feature on where Open MPI is installed)",
        env!("CARGO_PKG_NAME")
    );
    let open_mpi = Tool::OpenMpi;
    match on_path(open_mpi.program().unwrap_or("mpicc")) {
        true => skip(format_args!(
            "built without the `mpi` feature, which the MPI tests need: {run}"
        )),
        false => skip(format_args!(
            "Open MPI is not installed (no mpicc on PATH): install it ({}), then {run}",
            open_mpi.install_here()
        )),
    }
    false
}

/// The lab's MPI program, built by cargo for this test (`taskgraph-mpi`).
#[cfg(feature = "mpi")]
fn program() -> &'static str {
    env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME"), "-mpi"))
}

#[cfg(not(feature = "mpi"))]
fn program() -> &'static str {
    panic!("the MPI program is built only with --features mpi")
}
