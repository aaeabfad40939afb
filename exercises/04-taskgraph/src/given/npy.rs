//! Fields on disk, in NumPy's `.npy` format (given code): `np.load` reads
//! them, with `mmap_mode='r'` without loading them. A field is a 2-D array of
//! f64 in C order; its rows are contiguous in the file, so a block of rows is
//! one read at an offset, and no more of the file than that block is ever in
//! this program's memory.
//!
//! Why `.npy`: it is NumPy's own format (Python reads it with nothing but
//! NumPy), its header is a few lines of text followed by the raw array, and
//! `ndarray-npy` (maintained, on ndarray 0.17) writes and parses that header.
//! The original's HDF5 adds chunking and compression, at the price of a C
//! library whose Rust bindings lag behind; a stack of `.npy` files, one per
//! day as the original's HDF5 files were, keeps the lesson and the format real.

use std::fs::File;
use std::io::Write;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use ndarray::{Array2, ArrayView2};
use ndarray_npy::WritableElement;
use ndarray_npy::npy::header::{Header, Layout};

use crate::error::GraphError;

const F64: usize = size_of::<f64>();

fn io(path: &Path) -> impl Fn(std::io::Error) -> GraphError + '_ {
    move |error| GraphError::Io {
        path: path.display().to_string(),
        message: error.to_string(),
    }
}

/// An open `.npy` field: its file, shape, and where its data starts.
#[derive(Debug)]
pub struct NpyField {
    file: File,
    path: PathBuf,
    /// (rows, columns).
    pub shape: (usize, usize),
    data_offset: u64,
}

impl NpyField {
    /// Opens a 2-D, C-order, little-endian f64 `.npy` file.
    pub fn open(path: &Path) -> Result<NpyField, GraphError> {
        let bad = |problem: String| GraphError::BadField {
            path: path.display().to_string(),
            problem,
        };
        let mut file = File::open(path).map_err(io(path))?;
        let header = Header::from_reader(&mut file).map_err(|e| bad(e.to_string()))?;
        if header.type_descriptor != f64::type_descriptor() {
            return Err(bad(format!(
                "its dtype is {}, not float64 ('<f8')",
                header.type_descriptor
            )));
        }
        if header.layout == Layout::Fortran {
            return Err(bad(
                "it is in Fortran order; a field must be in C order".into()
            ));
        }
        let &[rows, cols] = header.shape.as_slice() else {
            return Err(bad(format!("its shape is {:?}, not 2-D", header.shape)));
        };
        let data_offset = std::io::Seek::stream_position(&mut file).map_err(io(path))?;
        let len = file.metadata().map_err(io(path))?.len();
        if len != data_offset + (rows * cols * F64) as u64 {
            return Err(bad(format!(
                "the file has {len} bytes, not the header's {data_offset} plus {rows}×{cols} f64"
            )));
        }
        Ok(NpyField {
            file,
            path: path.to_path_buf(),
            shape: (rows, cols),
            data_offset,
        })
    }

    /// Creates a field of `shape`, zeros, whose rows are then written with
    /// [`NpyField::write_rows`].
    pub fn create(path: &Path, shape: (usize, usize)) -> Result<NpyField, GraphError> {
        let file = File::create(path).map_err(io(path))?;
        ndarray_npy::write_zeroed_npy::<f64, _>(&file, [shape.0, shape.1]).map_err(|e| {
            GraphError::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            }
        })?;
        drop(file);
        let field = NpyField::open(path)?;
        // Reopen for writing too.
        let file = File::options()
            .read(true)
            .write(true)
            .open(path)
            .map_err(io(path))?;
        Ok(NpyField { file, ..field })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn offset(&self, rows: &Range<usize>, buffer_len: usize) -> Result<u64, GraphError> {
        let (n, cols) = self.shape;
        if rows.end > n || buffer_len != rows.len() * cols {
            return Err(GraphError::BadField {
                path: self.path.display().to_string(),
                problem: format!(
                    "rows {rows:?} of a {n}×{cols} field do not fit a buffer of {buffer_len} \
                     values"
                ),
            });
        }
        Ok(self.data_offset + (rows.start * cols * F64) as u64)
    }

    /// Reads rows `rows` into `buffer` (rows.len() × columns values), in one
    /// read at their offset: safe to call from several threads at once.
    pub fn read_rows(&self, rows: Range<usize>, buffer: &mut [f64]) -> Result<(), GraphError> {
        let offset = self.offset(&rows, buffer.len())?;
        let mut bytes = vec![0_u8; buffer.len() * F64];
        self.file
            .read_exact_at(&mut bytes, offset)
            .map_err(io(&self.path))?;
        for (value, chunk) in buffer.iter_mut().zip(bytes.chunks_exact(F64)) {
            *value = f64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        }
        Ok(())
    }

    /// Writes `values` (rows.len() × columns) as rows `rows`, at their offset.
    pub fn write_rows(&self, rows: Range<usize>, values: &[f64]) -> Result<(), GraphError> {
        let offset = self.offset(&rows, values.len())?;
        let mut bytes = Vec::with_capacity(values.len() * F64);
        for value in values {
            bytes
                .write_all(&value.to_le_bytes())
                .expect("writing to a Vec");
        }
        self.file
            .write_all_at(&bytes, offset)
            .map_err(io(&self.path))
    }
}

/// A whole field, read into memory: for small ones (exercise 7's input and
/// result, the tests), never for a stack that is meant to stay on disk.
pub fn read_array(path: &Path) -> Result<Array2<f64>, GraphError> {
    let field = NpyField::open(path)?;
    let mut values = vec![0.0; field.shape.0 * field.shape.1];
    field.read_rows(0..field.shape.0, &mut values)?;
    Ok(Array2::from_shape_vec(field.shape, values).expect("rows × columns values"))
}

/// `a`, written whole as a new field at `path`.
pub fn write_array(path: &Path, a: ArrayView2<f64>) -> Result<(), GraphError> {
    let field = NpyField::create(path, a.dim())?;
    let a = a.as_standard_layout();
    field.write_rows(0..a.nrows(), a.as_slice().expect("standard layout"))
}

/// A stand-in for the original's weather data: `days` fields of
/// rows × columns, `day-00.npy`, `day-01.npy`, ... in `dir`, written a block
/// of rows at a time (the memory used is one block, whatever the size). A
/// smooth field plus a day-to-day change, deterministic.
pub fn write_stack(
    dir: &Path,
    days: usize,
    shape: (usize, usize),
) -> Result<Vec<PathBuf>, GraphError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let (rows, cols) = shape;
    let block = (4 << 20) / (cols * F64).max(1); // about 4 MiB of rows at a time
    let block = block.clamp(1, rows.max(1));
    let mut paths = Vec::with_capacity(days);
    for day in 0..days {
        let path = dir.join(format!("day-{day:02}.npy"));
        let field = NpyField::create(&path, shape)?;
        let mut values = vec![0.0; block * cols];
        for start in (0..rows).step_by(block) {
            let range = start..(start + block).min(rows);
            let values = &mut values[..range.len() * cols];
            for (k, value) in values.iter_mut().enumerate() {
                let (i, j) = (start + k / cols, k % cols);
                *value = temperature(day, i, j, shape);
            }
            field.write_rows(range, values)?;
        }
        paths.push(path);
    }
    Ok(paths)
}

/// Kelvin at (i, j) on day `day`: warm at the equator (the middle row), a
/// daily shift, and a ripple along the longitude.
pub fn temperature(day: usize, i: usize, j: usize, (rows, cols): (usize, usize)) -> f64 {
    let latitude = (i as f64 + 0.5) / rows as f64 * std::f64::consts::PI;
    let longitude = j as f64 / cols.max(1) as f64 * std::f64::consts::TAU;
    250.0 + 45.0 * latitude.sin() + 0.3 * day as f64 + 2.0 * (longitude * 3.0 + day as f64).cos()
}

/// The most memory this process has held at once (its peak resident set),
/// in bytes, as the kernel counts it (`getrusage`).
pub fn peak_rss_bytes() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a rusage into the pointer, which points to
    // one; RUSAGE_SELF is always valid.
    let status = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    if status != 0 {
        return 0;
    }
    // SAFETY: getrusage succeeded, so it filled the struct (and it was zeroed).
    let usage = unsafe { usage.assume_init() };
    // Linux counts it in KiB.
    usage.ru_maxrss.max(0) as u64 * 1024
}
