// Compiles the exercise crate's C and Fortran, the one copy of the given code,
// with the exercise's own build logic: the two crates link the same kernels.
include!("../../exercises/06-ffi/native.rs");

fn main() {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    build_native(&std::path::Path::new(&manifest).join("../../exercises/06-ffi"));
}
