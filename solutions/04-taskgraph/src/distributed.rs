//! Exercise 7: beyond one machine. The chunked Cityblock of exercise 4 on
//! MPI ranks instead of graph tasks: each rank is a process (on this machine
//! or another) that computes the rows of one block of x, and rank 0 gathers
//! them. Processes share no memory, so x's blocks and y travel as messages.
//! (solution)
//!
//! [`partition`] is plain Rust; `cityblock_mpi` needs the `mpi` feature
//! (Open MPI and libclang installed): `cargo test -p taskgraph --features mpi`.

use std::ops::Range;

use crate::error::GraphError;

#[cfg(feature = "mpi")]
use {
    crate::chunked::split_rows,
    crate::kernel::cityblock_serial,
    mpi::datatype::{Partition, PartitionMut},
    mpi::traits::{Communicator, Root},
    ndarray::{Array2, ArrayView2},
};

/// An MPI count or displacement: a C `int`, as `MPI_Scatterv` takes them.
pub type Count = i32;

// ANCHOR: partition
/// For row blocks of a row-major buffer with `width` values per row: how many
/// elements each block has and where it starts, the two lists MPI's
/// variable-count collectives (`MPI_Scatterv`, `MPI_Gatherv`) take.
///
/// # Examples
///
/// Two blocks of rows, 3 values per row:
///
/// ```
/// use taskgraph_solution::distributed::partition;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let (counts, displacements) = partition(&[0..2, 2..3], 3)?;
/// assert_eq!(counts, [6, 3]);
/// assert_eq!(displacements, [0, 6]);
/// assert!(partition(&[0..usize::MAX], 2).is_err()); // too many for a C int
/// # Ok(())
/// # }
/// ```
pub fn partition(
    blocks: &[Range<usize>],
    width: usize,
) -> Result<(Vec<Count>, Vec<Count>), GraphError> {
    let elements = |rows: usize| {
        rows.checked_mul(width)
            .and_then(|n| Count::try_from(n).ok())
            .ok_or(GraphError::TooLargeForMpi { rows, width })
    };
    let counts = blocks
        .iter()
        .map(|b| elements(b.len()))
        .collect::<Result<_, _>>()?;
    let displacements = blocks
        .iter()
        .map(|b| elements(b.start))
        .collect::<Result<_, _>>()?;
    Ok((counts, displacements))
}
// ANCHOR_END: partition

// ANCHOR: cityblock_mpi
/// The Cityblock matrix of x and y, computed by every rank of `world`, a
/// block of x's rows each. Collective: every rank calls it. Rank 0 passes
/// `Some((x, y))` and gets `Some(r)`; the others pass `None` (what they pass
/// is not read) and get `None`. Every rank decides from the same broadcast
/// shapes, so a shape mismatch is the same error on all of them and none is
/// left waiting in a collective the others skipped.
///
/// # Examples
///
/// Run under `mpirun -n 2`, not alone (so compiled, not run, here):
///
/// ```no_run
/// use ndarray::array;
/// use taskgraph_solution::distributed::cityblock_mpi;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let universe = mpi::initialize().ok_or("MPI is already initialised")?;
/// let world = universe.world();
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let y = array![[0.0, 0.0], [3.0, 0.0]];
/// // Every rank calls it; only rank 0's input is read, and only rank 0 gets r.
/// if let Some(r) = cityblock_mpi(&world, Some((x.view(), y.view())))? {
///     assert_eq!(r, array![[0.0, 3.0], [7.0, 4.0]]);
/// }
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "mpi")]
pub fn cityblock_mpi<C: Communicator>(
    world: &C,
    input: Option<(ArrayView2<f64>, ArrayView2<f64>)>,
) -> Result<Option<Array2<f64>>, GraphError> {
    let root = world.process_at_rank(0);
    let input = if world.rank() == 0 { input } else { None };

    // 1. The shapes, from rank 0 to everyone; u64::MAX says rank 0 has no input.
    let mut shapes = [u64::MAX; 4];
    if let Some((x, y)) = &input {
        shapes = [x.nrows(), x.ncols(), y.nrows(), y.ncols()].map(|v| v as u64);
    }
    root.broadcast_into(&mut shapes[..]);
    if shapes[0] == u64::MAX {
        return Err(GraphError::NoRootInput);
    }
    let [n, d, m, dy] = shapes.map(|v| v as usize);
    if d != dy {
        return Err(GraphError::ShapeMismatch {
            x: (n, d),
            y: (m, dy),
        });
    }

    // 2. Who computes which rows: exercise 4's split, one block per rank.
    let blocks = split_rows(n, world.size() as usize)?;
    let (x_counts, x_displacements) = partition(&blocks, d)?;
    let (r_counts, r_displacements) = partition(&blocks, m)?;
    let mine = blocks[world.rank() as usize].len();

    // 3. y, whole, to every rank.
    let mut y = match &input {
        Some((_, y)) => y.as_standard_layout().into_owned(),
        None => Array2::zeros((m, d)),
    };
    root.broadcast_into(y.as_slice_mut().expect("y is in standard layout"));

    // 4. x, a block of rows to each rank.
    let mut x_mine = Array2::<f64>::zeros((mine, d));
    let receive = x_mine.as_slice_mut().expect("a new array is contiguous");
    match &input {
        Some((x, _)) => {
            let x = x.as_standard_layout();
            let send = x.as_slice().expect("x is in standard layout");
            let parts = Partition::new(send, &x_counts[..], &x_displacements[..]);
            root.scatter_varcount_into_root(&parts, receive);
        }
        None => root.scatter_varcount_into(receive),
    }

    // 5. Each rank its rows, single-threaded: the ranks are the parallelism.
    let r_mine = cityblock_serial(x_mine.view(), y.view());
    let send = r_mine
        .as_slice()
        .expect("the kernel returns a contiguous array");

    // 6. The rows back to rank 0, each block where it belongs.
    if input.is_none() {
        root.gather_varcount_into(send);
        return Ok(None);
    }
    let mut r = Array2::<f64>::zeros((n, m));
    let receive = r.as_slice_mut().expect("a new array is contiguous");
    let mut parts = PartitionMut::new(receive, &r_counts[..], &r_displacements[..]);
    root.gather_varcount_into_root(send, &mut parts);
    Ok(Some(r))
}
// ANCHOR_END: cityblock_mpi
