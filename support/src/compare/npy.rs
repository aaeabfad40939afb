//! Reading NumPy's `.npy` files, lab 1's lesson on disk: a short header says
//! the dtype, the layout and the shape; the buffer follows, as it was in
//! memory. `ndarray-npy` parses the header and checks it against the type
//! asked for.

use std::path::Path;

use ndarray::Array2;
use ndarray_npy::read_npy;

/// A 2-D array of f64 (what `np.save` writes for `rng.random((n, d))`), in
/// the layout the file has; anything else (another dtype, another number of
/// dimensions, a truncated file) is refused with the reason, naming the file.
pub fn read_matrix(path: &Path) -> Result<Array2<f64>, String> {
    read_npy(path).map_err(|error| format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, array};
    use ndarray_npy::write_npy;

    /// A fresh file name in the temporary directory, for one test.
    fn temp_file(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("support-npy-{}-{name}.npy", std::process::id()))
    }

    #[test]
    fn reads_back_what_numpy_format_holds() {
        let path = temp_file("matrix");
        let a = array![[1.0, 2.5, -3.0], [4.0, 5.0, 6.0]];
        write_npy(&path, &a).unwrap();
        let read = read_matrix(&path);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(read, Ok(a));
    }

    #[test]
    fn refuses_another_dtype_or_rank_naming_the_file() {
        let path = temp_file("ints");
        write_npy(&path, &array![[1i64, 2], [3, 4]]).unwrap();
        let ints = read_matrix(&path);
        write_npy(&path, &Array1::<f64>::zeros(3)).unwrap();
        let vector = read_matrix(&path);
        std::fs::remove_file(&path).unwrap();
        for refused in [ints, vector] {
            let message = refused.unwrap_err();
            assert!(
                message.starts_with(&path.display().to_string()),
                "{message}"
            );
        }
        let missing = read_matrix(Path::new("no/such/file.npy")).unwrap_err();
        assert!(missing.starts_with("no/such/file.npy: "), "{missing}");
    }
}
