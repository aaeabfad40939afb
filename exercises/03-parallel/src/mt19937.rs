//! Exercise 5: the notebook's data, bit for bit.
//!
//! The ULHPC notebook makes its matrices with `np.random.seed(699)` and
//! `np.random.rand(rows * cols)`. That is NumPy's *legacy* generator: the
//! Mersenne Twister MT19937 (Matsumoto and Nishimura, 1998), seeded with
//! `init_genrand(699)`, each double built from two 32-bit outputs with 53
//! random bits. Reproduce it and the lab's A and B are exactly the
//! notebook's, so every result can be checked against the notebook's.
//!
//! Tests: `cargo test -p parallel --test mt19937`.

use ndarray::Array2;

/// Words of state.
const N: usize = 624;
/// The offset of the word mixed in by the twist.
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

/// The 32-bit Mersenne Twister, as NumPy's `RandomState` runs it.
#[derive(Clone)]
pub struct Mt19937 {
    state: [u32; N],
    /// The next word of `state` to temper and return; `N` means "twist first".
    index: usize,
}

impl Mt19937 {
    // ANCHOR: seed
    /// `init_genrand(seed)`: what `np.random.seed(seed)` does for an integer seed.
    pub fn new(seed: u32) -> Self {
        // TODO: state[0] = seed; state[i] = 1812433253 * (state[i-1] ^ (state[i-1] >> 30)) + i,
        // with wrapping arithmetic; index = N (twist before the first output).
        let _ = (N, seed);
        todo!("init_genrand({seed})")
    }
    // ANCHOR_END: seed

    /// Regenerates all 624 words of state at once.
    fn twist(&mut self) {
        // TODO: for each i: y = upper bit of state[i] | lower 31 bits of state[i + 1];
        // state[i] = state[i + M] ^ (y >> 1) ^ (MATRIX_A if y is odd); indices mod N.
        let _ = (M, MATRIX_A, UPPER_MASK, LOWER_MASK, &mut self.state);
        todo!("regenerate the state")
    }

    // ANCHOR: next_u32
    /// The next 32-bit output, tempered.
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        // TODO: take state[index], advance index, temper the value (shifts 11, 7, 15, 18).
        todo!("the next tempered output")
    }
    // ANCHOR_END: next_u32

    // ANCHOR: next_f64
    /// A double uniform in [0, 1) with 53 random bits: the top 27 bits of one
    /// output and the top 26 of the next (`random_sample` in NumPy).
    pub fn next_f64(&mut self) -> f64 {
        // TODO: two outputs a and b: ((a >> 5) * 2^26 + (b >> 6)) / 2^53.
        let _ = self.next_u32();
        todo!("a double from two outputs")
    }
    // ANCHOR_END: next_f64

    /// `np.random.rand(rows * cols).reshape((rows, cols))`: row-major order.
    pub fn rand(&mut self, rows: usize, cols: usize) -> Array2<f64> {
        Array2::from_shape_simple_fn((rows, cols), || self.next_f64())
    }
}

/// The ULHPC notebook's A and B: `np.random.seed(699)`, then two
/// `np.random.rand(rows * cols).reshape((rows, cols))` from the same stream.
pub fn notebook_matrices(rows: usize, cols: usize) -> (Array2<f64>, Array2<f64>) {
    let mut rng = Mt19937::new(699);
    let a = rng.rand(rows, cols);
    let b = rng.rand(rows, cols);
    (a, b)
}
