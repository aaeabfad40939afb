//! Reading NumPy's `.npy` files (a copy of lab 2's examples/compare/npy.rs): lab 1's
//! lesson on disk. A short header says the dtype, the layout and the shape; the buffer
//! follows, as it was in memory.

use std::fs;
use std::path::Path;

use ndarray::Array2;

/// A 2-D array of little-endian f64 in C order (what `np.save` writes for
/// `rng.random((n, d))`); anything else is refused with the reason.
pub fn read_matrix(path: &Path) -> Result<Array2<f64>, String> {
    let bytes = fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
    let what = |problem: &str| format!("{}: {problem}", path.display());
    let (header, data) = split_header(&bytes).ok_or_else(|| what("not a .npy file"))?;
    // The header is a Python dict literal, e.g.
    // {'descr': '<f8', 'fortran_order': False, 'shape': (2000, 50), }
    if !header.contains("'descr': '<f8'") {
        return Err(what(&format!("need little-endian f64 ('<f8'): {header}")));
    }
    if !header.contains("'fortran_order': False") {
        return Err(what(&format!("need C order: {header}")));
    }
    let shape = header
        .split_once("'shape': (")
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(dims, _)| dims.split(',').map(str::trim).filter(|d| !d.is_empty()))
        .ok_or_else(|| what(&format!("no shape in {header}")))?
        .map(|dim| {
            dim.parse::<usize>()
                .map_err(|_| what(&format!("bad shape in {header}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let [rows, cols] = shape[..] else {
        return Err(what(&format!("need a 2-D array, got shape {shape:?}")));
    };
    if data.len() != rows * cols * size_of::<f64>() {
        return Err(what(&format!(
            "{} data bytes for shape ({rows}, {cols})",
            data.len()
        )));
    }
    let values = data
        .chunks_exact(size_of::<f64>())
        .map(|bytes| f64::from_le_bytes(bytes.try_into().expect("chunks of 8")))
        .collect();
    Array2::from_shape_vec((rows, cols), values).map_err(|error| what(&error.to_string()))
}

/// The header text and the data after it. Version 1 has a 2-byte header
/// length, versions 2 and 3 a 4-byte one.
fn split_header(bytes: &[u8]) -> Option<(&str, &[u8])> {
    let rest = bytes.strip_prefix(b"\x93NUMPY")?;
    let (&major, rest) = rest.split_first()?;
    let rest = rest.get(1..)?; // minor version
    let (len, rest) = match major {
        1 => (
            u16::from_le_bytes(rest.get(..2)?.try_into().ok()?) as usize,
            &rest[2..],
        ),
        2 | 3 => (
            u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize,
            &rest[4..],
        ),
        _ => return None,
    };
    let header = std::str::from_utf8(rest.get(..len)?).ok()?;
    Some((header, &rest[len..]))
}
