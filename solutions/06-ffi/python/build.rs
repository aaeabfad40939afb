//! Outside maturin (`cargo build`, `cargo test`), pyo3 links libpython: this adds its
//! directory to the run-time search path, so test binaries find the same libpython that
//! pyo3 linked against (PYO3_PYTHON, or the first python3 on PATH). maturin sets
//! PYO3_BUILD_EXTENSION_MODULE, and then an extension links no libpython at all.
fn main() {
    println!("cargo:rerun-if-env-changed=PYO3_BUILD_EXTENSION_MODULE");
    if std::env::var_os("PYO3_BUILD_EXTENSION_MODULE").is_none() {
        pyo3_build_config::add_libpython_rpath_link_args();
    }
}
