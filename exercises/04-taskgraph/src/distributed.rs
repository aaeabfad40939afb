//! Exercise 7: beyond one machine. The chunked Cityblock of exercise 4 on
//! MPI ranks instead of graph tasks: each rank is a process (on this machine
//! or another) that computes the rows of one block of x, and rank 0 gathers
//! them. Processes share no memory, so x's blocks and y travel as messages.
//!
//! [`partition`] is plain Rust; `cityblock_mpi` needs the `mpi` feature
//! (Open MPI and libclang installed): `cargo test -p taskgraph --features mpi`.

use std::ops::Range;

use crate::error::GraphError;

#[cfg(feature = "mpi")]
use {
    mpi::traits::Communicator,
    ndarray::{Array2, ArrayView2},
};
// What you will need:
// use crate::chunked::split_rows;
// use crate::kernel::cityblock_serial;
// use mpi::datatype::{Partition, PartitionMut};
// use mpi::traits::Root;

/// An MPI count or displacement: a C `int`, as `MPI_Scatterv` takes them.
pub type Count = i32;

// ANCHOR: partition
/// For row blocks of a row-major buffer with `width` values per row: how many
/// elements each block has and where it starts, the two lists MPI's
/// variable-count collectives (`MPI_Scatterv`, `MPI_Gatherv`) take.
pub fn partition(
    blocks: &[Range<usize>],
    width: usize,
) -> Result<(Vec<Count>, Vec<Count>), GraphError> {
    // TODO: for each block, its element count (rows × width) and its first
    // element (start × width), each as a Count; GraphError::TooLargeForMpi when
    // one does not fit (checked_mul, Count::try_from).
    todo!(
        "the element counts and offsets of {} blocks of rows of {width} values",
        blocks.len()
    )
}
// ANCHOR_END: partition

// ANCHOR: cityblock_mpi
/// The Cityblock matrix of x and y, computed by every rank of `world`, a
/// block of x's rows each. Collective: every rank calls it. Rank 0 passes
/// `Some((x, y))` and gets `Some(r)`; the others pass `None` (what they pass
/// is not read) and get `None`. Every rank decides from the same broadcast
/// shapes, so a shape mismatch is the same error on all of them and none is
/// left waiting in a collective the others skipped.
#[cfg(feature = "mpi")]
pub fn cityblock_mpi<C: Communicator>(
    world: &C,
    input: Option<(ArrayView2<f64>, ArrayView2<f64>)>,
) -> Result<Option<Array2<f64>>, GraphError> {
    // TODO: every rank, in the same order (each call below is collective):
    // 1. rank 0 broadcasts the shapes of x and y (root.broadcast_into); every
    //    rank checks them: GraphError::ShapeMismatch, or GraphError::NoRootInput
    //    when rank 0 has no input;
    // 2. split_rows(n, ranks) and partition() for x (width d) and r (width m);
    // 3. rank 0 broadcasts y; 4. it scatters x's row blocks
    //    (scatter_varcount_into_root / scatter_varcount_into);
    // 5. each rank: cityblock_serial(its rows, y);
    // 6. rank 0 gathers the blocks of r (gather_varcount_into_root /
    //    gather_varcount_into) and returns Some(r); the others return None.
    todo!(
        "Cityblock on rank {} of {}, input {:?}",
        world.rank(),
        world.size(),
        input.map(|(x, y)| (x.dim(), y.dim()))
    )
}
// ANCHOR_END: cityblock_mpi
