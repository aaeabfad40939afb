//! Exercise 4: Cityblock by chunks (src/chunked.rs).
//! Run: cargo test -p taskgraph --test chunked

use std::sync::Arc;

use ndarray::Array2;

use taskgraph::chunked::{cityblock_chunked, cityblock_graph, split_rows};
use taskgraph::kernel::cityblock_serial;
use taskgraph::{Graph, GraphError};

fn points(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        let v = (i as u64 * 31 + j as u64 * 17 + seed * 7919) % 1000;
        v as f64 / 100.0
    })
}

#[test]
fn split_rows_makes_nearly_equal_consecutive_chunks() {
    assert_eq!(split_rows(12, 4), Ok(vec![0..3, 3..6, 6..9, 9..12]));
    assert_eq!(
        split_rows(10, 4),
        Ok(vec![0..3, 3..6, 6..8, 8..10]),
        "10 = 3 + 3 + 2 + 2: the first `10 % 4` chunks get one row more (NumPy's array_split)"
    );
    assert_eq!(
        split_rows(2, 3),
        Ok(vec![0..1, 1..2, 2..2]),
        "fewer rows than chunks: empty chunks at the end"
    );
    assert_eq!(split_rows(5, 0), Err(GraphError::ZeroChunks));
}

#[test]
fn the_chunked_graph_gives_the_serial_result() {
    let (x, y) = (points(37, 6, 1), points(23, 6, 2));
    let expected = cityblock_serial(x.view(), y.view());
    for chunks in [1, 2, 5, 37, 40] {
        let r = cityblock_chunked(x.view(), y.view(), chunks, 3).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            r, expected,
            "{chunks} chunks: the pieces stacked in order are r"
        );
    }
}

#[test]
fn the_chunked_graph_has_one_task_per_chunk_and_a_concatenate() {
    let mut g = Graph::new();
    let r = cityblock_graph(
        &mut g,
        Arc::new(points(12, 3, 3)),
        Arc::new(points(5, 3, 4)),
        4,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.len(), 5, "4 chunk tasks and 1 concatenate");
    assert_eq!(
        g.deps()[r.id].len(),
        4,
        "concatenate takes every chunk, in order"
    );
    let (value, trace) = g.compute_traced(r, 4).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value.dim(), (12, 5));
    assert_eq!(trace.runs(), 5);
}

#[test]
fn mismatched_columns_are_an_error_naming_both_shapes() {
    let mut g = Graph::new();
    let error = cityblock_graph(
        &mut g,
        Arc::new(points(4, 3, 1)),
        Arc::new(points(4, 2, 1)),
        2,
    )
    .expect_err("3 columns against 2");
    assert_eq!(
        error,
        GraphError::ShapeMismatch {
            x: (4, 3),
            y: (4, 2)
        }
    );
    assert!(error.to_string().contains("4×3"));
}
