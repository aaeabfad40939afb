//! What each lab compares: its Python script and Rust example, the variants on each side (in
//! the order the table lists them), the sizes, and the reference the others must agree with.
//! Lab 6 adds its entry to [`ALL`].

use super::floor::Floor;

/// Which language a variant is written in. Rust variants run twice: in the baseline build and
/// in the `target-cpu=native` build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Python,
    Rust,
}

/// One process of a comparison round. Its key is the `side` of its JSON lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    Python,
    /// The default build, as `cargo run --release` gives: compiled for the x86-64 baseline
    /// (SSE2), except where a kernel picks its instructions at run time.
    RustBaseline,
    /// Built with `-C target-cpu=native`: the course's "forgot the -march flag" lesson.
    RustNative,
}

impl Side {
    /// The order of the table's rows and of each comparison round.
    pub const ALL: [Side; 3] = [Side::Python, Side::RustBaseline, Side::RustNative];

    pub fn key(self) -> &'static str {
        match self {
            Side::Python => "python",
            Side::RustBaseline => "rust-baseline",
            Side::RustNative => "rust-native",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Side::Python => "Python",
            Side::RustBaseline => "Rust (default build)",
            Side::RustNative => "Rust (native)",
        }
    }

    pub fn language(self) -> Language {
        match self {
            Side::Python => Language::Python,
            Side::RustBaseline | Side::RustNative => Language::Rust,
        }
    }

    pub fn from_key(key: &str) -> Option<Side> {
        Side::ALL.into_iter().find(|side| side.key() == key)
    }
}

#[derive(Debug)]
pub struct Variant {
    pub language: Language,
    /// The name in the JSON lines.
    pub name: &'static str,
    /// What the table and the chart say.
    pub label: &'static str,
}

#[derive(Debug)]
pub struct LabPeers {
    /// The lab's directory name under exercises/ and solutions/.
    pub lab: &'static str,
    /// What is computed, for the table's first line and the chart's title.
    pub what: &'static str,
    /// The data both sides read (the Python script writes it once per size).
    pub data: &'static str,
    /// The Python side, relative to the workspace root: `data`, `info` and `run` subcommands.
    pub script: &'static str,
    /// Pinned `name==version` lines for the shared venv.
    pub requirements: &'static str,
    /// The Rust side: `cargo run --release -p PACKAGE --example EXAMPLE`.
    pub package: &'static str,
    pub example: &'static str,
    pub sizes: &'static [&'static str],
    pub quick_sizes: &'static [&'static str],
    /// The size the ratios (and the chart) are taken at, when it was run; else the largest.
    pub ratio_size: &'static str,
    /// The variant every other one is checked against, and the ratios are relative to.
    pub reference: &'static str,
    /// The reference in a few words, for the table's "below 1: faster than …".
    pub reference_short: &'static str,
    /// The Python packages the table's header names after NumPy: (info key, label), in
    /// order; numba's gets its threading layer.
    pub python_packages: &'static [(&'static str, &'static str)],
    /// A variant whose first call includes a JIT compile, worth reporting.
    pub jit_variant: Option<&'static str>,
    pub variants: &'static [Variant],
    /// Footnotes under the table.
    pub notes: &'static [&'static str],
    /// The operation's floor, where its work is exact (FMAs): then a `--book` run's table gives
    /// each variant's fraction of it.
    pub floor: Option<Floor>,
}

impl LabPeers {
    pub fn variant(&self, language: Language, name: &str) -> Option<&Variant> {
        self.variants
            .iter()
            .find(|v| v.language == language && v.name == name)
    }
}

const fn python(name: &'static str, label: &'static str) -> Variant {
    Variant {
        language: Language::Python,
        name,
        label,
    }
}

const fn rust(name: &'static str, label: &'static str) -> Variant {
    Variant {
        language: Language::Rust,
        name,
        label,
    }
}

pub const VECTORIZATION: LabPeers = LabPeers {
    lab: "02-vectorization",
    what: "squared Euclidean distance matrix r_ij = Σ_k (x_ik − y_jk)²",
    data: "x (n×d) and y (m×d) uniform in [0, 10), NumPy's `default_rng(699)`",
    script: "solutions/02-vectorization/python/edm_peers.py",
    requirements: "solutions/02-vectorization/python/requirements.txt",
    package: "vectorization-solution",
    example: "compare",
    // The course's sizes (book/src/README.md, the running example) and the CSCS notebook's
    // 2000×2000×50: about four minutes for five rounds on two cores.
    sizes: &[
        "500x500x500",
        "2000x2000x50",
        "5000x5000x50",
        "10000x10000x3",
    ],
    quick_sizes: &["300x200x20", "1000x1000x50"],
    ratio_size: "5000x5000x50",
    reference: "numpy_trick",
    reference_short: "NumPy",
    python_packages: &[
        ("scipy", "SciPy"),
        ("numexpr", "numexpr"),
        ("numba", "numba"),
    ],
    jit_variant: Some("numba_parallel"),
    variants: &[
        python(
            "numpy_broadcast",
            "NumPy broadcast `((x[:,None]-y[None])**2).sum(-1)`",
        ),
        python(
            "numpy_broadcast_einsum",
            "NumPy broadcast, einsum `ijk,ijk->ij`",
        ),
        python("numpy_trick", "NumPy trick `abs(x2 + y2 - 2*x@y.T)`"),
        python("numexpr_trick", "NumPy trick, numexpr tail"),
        python("scipy_cdist", "SciPy `cdist(x, y, 'sqeuclidean')`"),
        python(
            "numba_parallel",
            "numba `@njit(parallel=True)`, prange rows",
        ),
        python("c_direct", "C kernel, gcc -O3 -march=native -fopenmp"),
        rust("broadcast", "broadcast `sq_euclidean_broadcast`"),
        rust(
            "broadcast_einsum",
            "broadcast, fold `sq_euclidean_broadcast_einsum`",
        ),
        rust("trick", "trick `sq_euclidean_trick`"),
        rust("trick_fused_tail", "trick, fused tail"),
        rust("trick_faer", "trick, fused tail, faer's product"),
        rust("trick_openblas", "trick, fused tail, OpenBLAS's product"),
        rust("trick_fused_kernel", "trick in the kernel"),
        rust("trick_checked", "trick, checked"),
        rust("direct", "direct kernel `sq_euclidean_direct`"),
        rust(
            "trick_fused_kernel_into",
            "trick in the kernel, into a reused output",
        ),
        rust("direct_into", "direct kernel, into a reused output"),
    ],
    notes: &[
        "—: not run. The broadcast variants allocate (n, m, d) temporaries; both sides skip them \
         above 2 GiB per temporary.",
        "SciPy's `cdist` is single-threaded; everything else may use every thread.",
        "The C kernel (`edm_direct.c`, kept with the instructors' comparison scripts: the Rust direct kernel's \
         tiles and blocking in C) is called from the Python process through ctypes; it writes \
         into a fresh `np.empty` array.",
        "\"Into a reused output\": one output array, allocated once, written by every call \
         (NumPy's `out=`); every other variant returns a fresh array.",
        "The Rust trick's product `x·yᵀ` is ndarray's `dot` (matrixmultiply) except in the rows \
         that name another library: faer 0.23, or OpenBLAS through `cblas_dgemm` (Debian's \
         `libopenblas0-pthread`, loaded at run time: the library ndarray's `blas` feature \
         links, an older release of the one NumPy bundles; its idle threads sleep at once, \
         `OPENBLAS_THREAD_TIMEOUT=4`, instead of spinning on the cores the next variant \
         uses); —: not installed.",
    ],
    floor: Some(Floor::SqEuclidean),
};

pub const PARALLEL: LabPeers = LabPeers {
    lab: "03-parallel",
    what: "Cityblock distance matrix r_ij = Σ_k |x_ik − y_jk|",
    data: "x (n×d) and y (m×d) uniform in [0, 10), NumPy's `default_rng(699)`",
    script: "solutions/03-parallel/python/cityblock_peers.py",
    requirements: "solutions/03-parallel/python/requirements.txt",
    package: "parallel-solution",
    example: "compare_parallel",
    // The course's sizes (book/src/README.md, the running example) and the CSCS notebook's
    // 2000×2000×50.
    sizes: &[
        "500x500x500",
        "2000x2000x50",
        "5000x5000x50",
        "10000x10000x3",
    ],
    quick_sizes: &["300x200x20", "1000x1000x50"],
    ratio_size: "5000x5000x50",
    reference: "scipy_cdist",
    reference_short: "SciPy's `cdist`",
    python_packages: &[("scipy", "SciPy"), ("numba", "numba"), ("dask", "dask")],
    jit_variant: Some("numba_parallel"),
    variants: &[
        python("scipy_cdist", "SciPy `cdist(x, y, 'cityblock')`"),
        python(
            "numba_parallel",
            "numba `@njit(parallel=True)`, prange rows",
        ),
        // The chart's labels are cut beyond about 60 characters, side included.
        python(
            "numba1_cscs",
            "CSCS numba1, prange over k, no `parallel=True`",
        ),
        python(
            "numba2_cscs",
            "CSCS numba2, `norm(x[i]-y[j], 1)`, no `parallel=True`",
        ),
        python(
            "dask_cdist",
            "dask: `delayed(cdist)` per chunk of rows, threads",
        ),
        python(
            "multiprocessing_rows",
            "multiprocessing `Pool.map` over chunks of rows (ULHPC)",
        ),
        python(
            "c_blocked",
            "C blocked kernel, gcc -O3 -march=native -fopenmp",
        ),
        python("c_loop", "C i-j-k loop, `omp parallel for` over rows"),
        rust("iter", "serial `cityblock_iter`"),
        rust("par_rows", "parallel over rows `cityblock_par_rows`"),
        rust(
            "par_columns",
            "parallel over columns `cityblock_par_columns`",
        ),
        rust("join", "divide and conquer `cityblock_join`"),
        rust("blocked", "blocked kernel `cityblock_blocked`"),
    ],
    notes: &[
        "CSCS numba1 and numba2 are the notebook's functions as written, bug included: \
         `@jit(nopython=True)` without `parallel=True`, so their `prange` (over k in numba1, \
         over j of `np.linalg.norm(x[i] - y[j], 1)` in numba2) runs serially.",
        "—: not run. The serial variants (Rust's `cityblock_iter`, CSCS numba1 and numba2) \
         run only up to 2000×2000×50.",
        "SciPy's `cdist` is single-threaded; the dask variant runs one `cdist` per thread (it \
         releases the GIL), on one chunk of rows each, and concatenates them; everything else \
         may use every thread.",
        "multiprocessing: a fresh `Pool` of one process per thread (fork) for every call, as in \
         the ULHPC notebook; each process gets one chunk of rows of x and a copy of y and sends \
         its rows of the result back, all pickled. Each row is NumPy's \
         `np.abs(row - y).sum(axis=1)`.",
        "The C kernels (kept with the instructors' comparison scripts: `cityblock_blocked.c`, the Rust blocked \
         kernel's tiles and blocking in C, and `cityblock_loop.c`, the plain loop) are called \
         from the Python process through ctypes; they write into a fresh `np.empty` array.",
    ],
    // Cityblock has no FMA: its floor counts steps `s += |x − y|` at the probe's Cityblock rate.
    floor: Some(Floor::Cityblock),
};

/// Every lab with peers, in lab order.
pub const ALL: &[&LabPeers] = &[&VECTORIZATION, &PARALLEL];

pub fn for_lab(lab: &str) -> Option<&'static LabPeers> {
    ALL.iter().copied().find(|peers| peers.lab == lab)
}
