extern crate ffi_solution as ffi;
include!("../../../exercises/06-ffi/benches/ffi.rs");
