//! Exercise 6: out of core (src/outofcore.rs).
//! Run: cargo test -p taskgraph --test outofcore
//!
//! Small stacks in a temporary folder, checked against the mean computed in
//! memory; a run on a stack larger than the memory allowed is measured in the
//! book (lab 4, "Measured: out of core").

use std::path::PathBuf;

use ndarray::{Array2, Axis, stack};
use ndarray_npy::{ReadNpyExt, WriteNpyExt};
use support::numpy::numpy_python;

use taskgraph::GraphError;
use taskgraph::npy::write_stack;
use taskgraph::outofcore::stack_mean;

/// A fresh folder in the system's temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("taskgraph-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn load(path: &std::path::Path) -> Array2<f64> {
    Array2::<f64>::read_npy(std::fs::File::open(path).expect("the file exists"))
        .expect("a 2-D f64 .npy")
}

#[test]
fn the_out_of_core_mean_equals_the_in_memory_mean() {
    let scratch = Scratch::new("mean");
    let paths = write_stack(&scratch.0, 5, (37, 23)).unwrap_or_else(|e| panic!("{e}"));
    let in_memory: Vec<Array2<f64>> = paths.iter().map(|p| load(p)).collect();
    let views: Vec<_> = in_memory.iter().map(|a| a.view()).collect();
    let expected = stack(Axis(0), &views).unwrap().mean_axis(Axis(0)).unwrap();
    for (rows_per_block, threads) in [(1, 2), (5, 3), (37, 1), (100, 2)] {
        let out = scratch.0.join(format!("mean-{rows_per_block}.npy"));
        let report =
            stack_mean(&paths, &out, rows_per_block, threads).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.days, 5);
        assert_eq!(report.shape, (37, 23));
        assert_eq!(
            report.blocks,
            37_usize.div_ceil(rows_per_block),
            "one task per block of {rows_per_block} rows"
        );
        assert_eq!(
            report.bytes_read,
            5 * 37 * 23 * 8,
            "every value of the stack read once"
        );
        let got = load(&out);
        for ((i, j), &want) in expected.indexed_iter() {
            assert!(
                (got[[i, j]] - want).abs() <= 1e-12 * want.abs(),
                "blocks of {rows_per_block}: mean[{i}, {j}] is {}, expected {want}",
                got[[i, j]]
            );
        }
    }
}

#[test]
fn a_stack_of_different_shapes_is_an_error_naming_the_file() {
    let scratch = Scratch::new("shapes");
    let mut paths = write_stack(&scratch.0.join("a"), 2, (4, 3)).unwrap();
    paths.extend(write_stack(&scratch.0.join("b"), 1, (4, 2)).unwrap());
    match stack_mean(&paths, &scratch.0.join("out.npy"), 2, 1) {
        Err(GraphError::BadField { path, problem }) => {
            assert!(path.contains("b"), "the odd file is named: {path}");
            assert!(problem.contains("(4, 2)"), "and its shape: {problem}");
        }
        other => panic!("fields of two shapes must be Err(BadField), not {other:?}"),
    }
}

#[test]
fn a_file_that_is_not_an_f64_field_is_an_error() {
    let scratch = Scratch::new("dtype");
    let path = scratch.0.join("ints.npy");
    ndarray::arr2(&[[1_i32, 2], [3, 4]])
        .write_npy(std::fs::File::create(&path).unwrap())
        .unwrap();
    assert!(
        matches!(
            stack_mean(&[path], &scratch.0.join("out.npy"), 1, 1),
            Err(GraphError::BadField { .. })
        ),
        "an int32 .npy is not a field of f64"
    );
    assert!(matches!(
        stack_mean(&[], &scratch.0.join("out.npy"), 1, 1),
        Err(GraphError::BadField { .. })
    ));
    let missing = scratch.0.join("missing.npy");
    assert!(matches!(
        stack_mean(&[missing], &scratch.0.join("out.npy"), 1, 1),
        Err(GraphError::Io { .. })
    ));
}

#[test]
fn numpy_reads_the_mean_when_it_is_installed() {
    // NumPy first: without it the test is skipped, whatever the state of the exercise.
    let Some(python) = numpy_python("exercises/04-taskgraph/requirements.txt") else {
        return;
    };
    let scratch = Scratch::new("numpy");
    let paths = write_stack(&scratch.0, 3, (6, 4)).unwrap();
    let out = scratch.0.join("mean.npy");
    stack_mean(&paths, &out, 2, 2).unwrap_or_else(|e| panic!("{e}"));
    let script = "import sys, numpy as np\nm = np.load(sys.argv[1], mmap_mode='r')\n\
                  s = np.mean([np.load(p) for p in sys.argv[2:]], axis=0)\n\
                  print(m.shape, m.dtype, float(np.abs(m - s).max()))";
    let output = std::process::Command::new(&python)
        .arg("-c")
        .arg(script)
        .arg(&out)
        .args(&paths)
        .output()
        .expect("python runs");
    let text = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "np.load failed: {stderr}");
    assert!(
        text.starts_with("(6, 4) float64"),
        "NumPy sees a 6×4 float64 array: {text}"
    );
    let diff: f64 = text.split_whitespace().last().unwrap().parse().unwrap();
    assert!(
        diff < 1e-12,
        "NumPy's mean of the same files agrees: {text}"
    );
}
