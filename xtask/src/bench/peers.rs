//! What each lab compares: its Python script and Rust example, the variants on each side (in
//! the order the table lists them), the sizes, and the reference the others must agree with.
//! Labs 3 and 6 add their entry to [`ALL`].

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
    /// The default build: the x86-64 baseline (SSE2), as `cargo run --release` gives.
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
            Side::RustBaseline => "Rust (baseline)",
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
    /// A variant whose first call includes a JIT compile, worth reporting.
    pub jit_variant: Option<&'static str>,
    pub variants: &'static [Variant],
    /// Footnotes under the table.
    pub notes: &'static [&'static str],
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
    // The course's sizes (DESIGN.md §6) and the CSCS notebook's 2000×2000×50: about four
    // minutes for five rounds on two cores.
    sizes: &[
        "500x500x500",
        "2000x2000x50",
        "5000x5000x50",
        "10000x10000x3",
    ],
    quick_sizes: &["300x200x20", "1000x1000x50"],
    ratio_size: "5000x5000x50",
    reference: "numpy_trick",
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
        "The C kernel (`solutions/02-vectorization/c/edm_direct.c`, the Rust direct kernel's \
         tiles and blocking in C) is called from the Python process through ctypes; it writes \
         into a fresh `np.empty` array.",
        "\"Into a reused output\": one output array, allocated once, written by every call \
         (NumPy's `out=`); every other variant returns a fresh array.",
    ],
};

/// Every lab with peers, in lab order.
pub const ALL: &[&LabPeers] = &[&VECTORIZATION];

pub fn for_lab(lab: &str) -> Option<&'static LabPeers> {
    ALL.iter().copied().find(|peers| peers.lab == lab)
}
