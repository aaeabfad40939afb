//! Exercise 5: a blocked array (src/blocked.rs).
//! Run: cargo test -p taskgraph --test blocked

use ndarray::{Array2, Axis};

use taskgraph::blocked::{ChunkGrid, from_fn, materialize, mean, mean_axis0};
use taskgraph::{Graph, GraphError};

fn value(i: usize, j: usize) -> f64 {
    ((i * 7919 + j * 104_729) % 1000) as f64 / 10.0 - 50.0
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + b.abs())
}

#[test]
fn the_grid_counts_chunks_rounding_up() {
    let grid = ChunkGrid::new((2000, 2000), (500, 500)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        grid.grid(),
        (4, 4),
        "the notebook's 2000×2000 in 500×500 chunks: 16 chunks"
    );
    let grid = ChunkGrid::new((10, 7), (3, 3)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        grid.grid(),
        (4, 3),
        "⌈10/3⌉ = 4 block rows, ⌈7/3⌉ = 3 block columns"
    );
    assert_eq!(grid.block(0, 0), (0..3, 0..3));
    assert_eq!(
        grid.block(3, 2),
        (9..10, 6..7),
        "the last chunks are cut at the edges"
    );
    assert_eq!(ChunkGrid::new((10, 7), (0, 3)), Err(GraphError::ZeroChunks));
}

#[test]
fn from_fn_makes_each_chunk_in_its_own_task() {
    let mut g = Graph::new();
    let grid = ChunkGrid::new((10, 7), (3, 3)).unwrap();
    let array = from_fn(&mut g, grid, value);
    assert_eq!(
        array.blocks.len(),
        12,
        "a 4×3 grid of chunks, one task each"
    );
    assert_eq!(
        g.len(),
        12,
        "nothing else in the graph yet: building runs nothing"
    );
    let whole = materialize(&mut g, &array);
    let whole = g.compute(whole).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        *whole,
        Array2::from_shape_fn((10, 7), |(i, j)| value(i, j)),
        "each chunk holds f(i, j) at the global (i, j) of its elements"
    );
}

#[test]
fn mean_reduces_chunk_by_chunk_to_the_mean_of_all_elements() {
    for (shape, chunk) in [((10, 7), (3, 3)), ((64, 50), (64, 50)), ((100, 1), (7, 1))] {
        let expected = Array2::from_shape_fn(shape, |(i, j)| value(i, j))
            .mean()
            .unwrap();
        let mut g = Graph::new();
        let array = from_fn(&mut g, ChunkGrid::new(shape, chunk).unwrap(), value);
        let m = mean(&mut g, &array);
        let got = *g.compute(m).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            close(got, expected),
            "mean of {shape:?} in {chunk:?} chunks: {got}, expected {expected} (sum the chunks' \
             sums and counts, then divide once: a mean of the chunks' means is wrong when the \
             edge chunks are smaller)"
        );
    }
}

#[test]
fn mean_axis0_gives_each_column_s_mean() {
    let (shape, chunk) = ((10, 7), (3, 3));
    let expected = Array2::from_shape_fn(shape, |(i, j)| value(i, j))
        .mean_axis(Axis(0))
        .unwrap();
    let mut g = Graph::new();
    let array = from_fn(&mut g, ChunkGrid::new(shape, chunk).unwrap(), value);
    let m = mean_axis0(&mut g, &array);
    let got = g.compute(m).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got.len(), 7, "one mean per column");
    for (j, (&a, &b)) in got.iter().zip(&expected).enumerate() {
        assert!(close(a, b), "column {j}: {a}, expected {b}");
    }
}

#[test]
fn the_reductions_are_graphs_whose_size_follows_the_chunks() {
    let mut g = Graph::new();
    let grid = ChunkGrid::new((1000, 1000), (100, 100)).unwrap();
    let array = from_fn(&mut g, grid, value);
    let before = g.len();
    mean(&mut g, &array);
    assert_eq!(
        g.len() - before,
        101,
        "a partial sum per chunk (100) and one task to combine them"
    );
    let before = g.len();
    mean_axis0(&mut g, &array);
    assert_eq!(
        g.len() - before,
        100 + 10 + 1,
        "column sums per chunk (100), a sum per column of blocks (10), and the result (1)"
    );
}

#[test]
fn empty_arrays_reduce_to_nan_as_numpy_does() {
    let mut g = Graph::new();
    let array = from_fn(&mut g, ChunkGrid::new((0, 3), (2, 2)).unwrap(), value);
    let m = mean(&mut g, &array);
    let m0 = mean_axis0(&mut g, &array);
    assert!(g.compute(m).unwrap_or_else(|e| panic!("{e}")).is_nan());
    let m0 = g.compute(m0).unwrap_or_else(|e| panic!("{e}"));
    assert!(m0.len() == 3 && m0.iter().all(|v| v.is_nan()));
}
