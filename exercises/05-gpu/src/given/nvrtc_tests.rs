//! The unit tests of NVRTC's compiles, cubins, ptxas's report and the PTX
//! fallback, on small kernels of their own. They need NVRTC (the PyPI wheel
//! in `.venv`), not a GPU: without it they report themselves skipped.

use std::fmt;

use super::*;

/// 65,600 bytes of static shared memory: over the 48 KiB (0xc000) a block may have
/// statically on every architecture, so ptxas refuses it; PTX does not care.
const TOO_MUCH_SHARED: KernelFile = KernelFile {
    path: "tests/too_much_shared.cu",
    source: r#"
extern "C" __global__ void too_much_shared(double *out) {
    __shared__ double tile[8200];
    tile[threadIdx.x] = threadIdx.x;
    __syncthreads();
    out[threadIdx.x] = tile[(threadIdx.x + 1) % 8200];
}
"#,
    kernels: &["too_much_shared"],
};

/// 512 bytes of shared memory and a barrier: within every limit.
const SMALL: KernelFile = KernelFile {
    path: "tests/small.cu",
    source: r#"
extern "C" __global__ void small(double *out) {
    __shared__ double tile[64];
    tile[threadIdx.x] = threadIdx.x;
    __syncthreads();
    out[threadIdx.x] = tile[63 - threadIdx.x];
}
"#,
    kernels: &["small"],
};

/// The message of the [`GpuError::Ptxas`] that `result` must be, for
/// `TOO_MUCH_SHARED` and `arch`.
fn ptxas_error(result: Result<impl fmt::Debug, GpuError>, arch: &str) -> String {
    let error = result.expect_err("ptxas must refuse 65,600 bytes of static shared memory");
    assert!(
        matches!(&error, GpuError::Ptxas { file, arch: at, .. }
                if file == TOO_MUCH_SHARED.path && at == arch),
        "expected GpuError::Ptxas for {} and {arch}, got {error:?}",
        TOO_MUCH_SHARED.path
    );
    error.to_string()
}

#[test]
fn too_much_static_shared_memory_is_a_ptxas_error_naming_the_file_and_the_architecture() {
    if !nvrtc_or_skip() {
        return;
    }
    // What CI compiled before: PTX for NVRTC's default, with no ptxas to object.
    assert!(compile(&TOO_MUCH_SHARED, None).is_ok());
    ptxas_error(check_limits(&TOO_MUCH_SHARED), CHECKED_ARCHS[0]);
    for arch in CHECKED_ARCHS {
        let message = ptxas_error(compile_cubin(&TOO_MUCH_SHARED, arch), arch);
        for needle in [TOO_MUCH_SHARED.path, arch, "too much shared data"] {
            assert!(message.contains(needle), "no `{needle}` in: {message}");
        }
    }
}

#[test]
fn resources_keeps_ptxas_s_error_though_its_verbose_log_drops_it() {
    if !nvrtc_or_skip() {
        return;
    }
    let message = ptxas_error(resources(&TOO_MUCH_SHARED, "sm_90"), "sm_90");
    assert!(message.contains("too much shared data"), "{message}");
}

#[test]
fn a_c_error_is_a_compile_error_even_for_a_real_architecture() {
    if !nvrtc_or_skip() {
        return;
    }
    const BROKEN: KernelFile = KernelFile {
        path: "tests/broken.cu",
        source: "extern \"C\" __global__ void broken(double *out) { out[0] = nope; }",
        kernels: &["broken"],
    };
    match compile_cubin(&BROKEN, "sm_90") {
        Err(GpuError::Compile { file, log }) => {
            assert_eq!(file, BROKEN.path);
            assert!(log.contains("nope"), "{log}");
        }
        other => panic!("expected GpuError::Compile, got {other:?}"),
    }
}

#[test]
fn a_kernel_within_the_limits_compiles_to_an_elf_cubin_with_its_resources() {
    if !nvrtc_or_skip() {
        return;
    }
    for arch in CHECKED_ARCHS {
        let cubin = compile_cubin(&SMALL, arch).unwrap_or_else(|error| panic!("{error}"));
        assert!(cubin.starts_with(b"\x7fELF"), "a cubin is an ELF file");
        let found = resources(&SMALL, arch).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(found.len(), 1, "{found:?}");
        let small = &found[0];
        assert_eq!((small.kernel.as_str(), small.shared_bytes), ("small", 512));
        assert_eq!((small.spill_stores, small.spill_loads), (0, 0));
        assert!((1..=255).contains(&small.registers), "{small:?}");
    }
}

#[test]
fn the_verbose_log_is_read_per_kernel_skipping_device_functions() {
    let log = "\
ptxas info    : 0 bytes gmem
ptxas info    : Compiling entry function 'first' for 'sm_80'
ptxas info    : Function properties for first
ptxas         .     16 bytes stack frame, 8 bytes spill stores, 4 bytes spill loads
ptxas info    : Function properties for helper
ptxas         .     96 bytes stack frame, 96 bytes spill stores, 96 bytes spill loads
ptxas info    : Used 255 registers, used 1 barriers, 8320 bytes smem, 360 bytes cmem[0]
ptxas info    : Compile time = 1.000 ms
ptxas info    : Compiling entry function 'second' for 'sm_80'
ptxas info    : Function properties for second
ptxas         .     0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
ptxas info    : Used 20 registers, used 0 barriers, 360 bytes cmem[0]
";
    let first = KernelResources {
        kernel: "first".into(),
        registers: 255,
        spill_stores: 8,
        spill_loads: 4,
        shared_bytes: 8320,
        stack_bytes: 16,
    };
    let second = KernelResources {
        kernel: "second".into(),
        registers: 20,
        ..Default::default()
    };
    assert_eq!(parse_resources(log), [first, second]);
    assert_eq!(parse_resources("nvrtc: error: something else"), []);
}

#[test]
fn a_cubin_is_loaded_first_and_then_nothing_falls_back() {
    if !nvrtc_or_skip() {
        return;
    }
    let (kind, fallback) = load_with_fallback(&SMALL, "sm_90", |image| match image {
        Image::Cubin(_) => Ok::<_, String>("cubin"),
        Image::Ptx(_) => Ok("ptx"),
    })
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!((kind, fallback), ("cubin", None));
    assert_eq!(
        KernelCode::new("sm_90", vec![]).to_string(),
        "cubin for sm_90"
    );
}

#[test]
fn a_cubin_the_driver_refuses_falls_back_to_ptx_and_says_why() {
    if !nvrtc_or_skip() {
        return;
    }
    let (ptx, fallback) = load_with_fallback(&SMALL, "sm_90", |image| match image {
        Image::Cubin(_) => Err("CUDA_ERROR_NO_BINARY_FOR_GPU".to_string()),
        Image::Ptx(ptx) => Ok(ptx.to_src()),
    })
    .unwrap_or_else(|error| panic!("{error}"));
    assert!(ptx.contains(".entry small"), "{ptx}");
    let fallback = fallback.expect("a fallback, with its reason");
    for needle in [SMALL.path, "sm_90", "CUDA_ERROR_NO_BINARY_FOR_GPU"] {
        assert!(fallback.contains(needle), "no `{needle}` in: {fallback}");
    }
    let code = KernelCode::new("sm_90", vec![fallback]).to_string();
    assert!(
        code.starts_with("PTX, compiled by the driver for sm_90 (because "),
        "{code}"
    );
}

#[test]
fn an_architecture_nvrtc_does_not_know_falls_back_to_ptx() {
    if !nvrtc_or_skip() {
        return;
    }
    let (kind, fallback) = load_with_fallback(&SMALL, "sm_1", |image| match image {
        Image::Cubin(_) => Ok::<_, String>("cubin"),
        Image::Ptx(_) => Ok("ptx"),
    })
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(kind, "ptx");
    assert!(fallback.is_some_and(|why| why.contains("no cubin for sm_1")));
}

#[test]
fn when_the_ptx_fails_too_ptxas_s_error_is_the_answer() {
    if !nvrtc_or_skip() {
        return;
    }
    let mut tried = Vec::new();
    let error = load_with_fallback(&TOO_MUCH_SHARED, "sm_90", |image| {
        tried.push(matches!(image, Image::Ptx(_)));
        Err::<(), _>("CUDA_ERROR_INVALID_PTX")
    })
    .map(drop);
    ptxas_error(error, "sm_90");
    assert_eq!(
        tried,
        [true],
        "no cubin to load; the PTX was tried, and refused"
    );
}

#[test]
fn without_nvrtc_the_message_says_where_it_looked_and_how_to_get_it_here() {
    use support::platform::Platform;
    let nowhere = GpuError::NoNvrtc {
        searched: Vec::new(),
        hidden: false,
    }
    .to_string();
    assert!(
        nowhere.contains("no .venv with its wheel") && !nowhere.contains("[]"),
        "an empty search says what was missing, not `[]`: {nowhere}"
    );
    let pip = ".venv/bin/pip install -r exercises/05-gpu/requirements.txt";
    for platform in [
        Platform::Debian,
        Platform::Fedora,
        Platform::Wsl,
        Platform::Other,
    ] {
        let fix = crate::error::nvrtc_fix(platform);
        assert!(fix.contains(pip), "{platform:?}: {fix}");
        assert!(
            !fix.contains("cargo xtask check"),
            "students have no check: {fix}"
        );
    }
    let mac = crate::error::nvrtc_fix(Platform::MacOs);
    assert!(
        mac.contains("no macOS build") && mac.contains("Linux") && !mac.contains("pip"),
        "no wheel to install on macOS: {mac}"
    );
    let hidden = GpuError::NoNvrtc {
        searched: Vec::new(),
        hidden: true,
    }
    .to_string();
    assert!(hidden.contains("GPU_NO_NVRTC is set"), "{hidden}");
}
