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
        let mut state = [0u32; N];
        state[0] = seed;
        for i in 1..N {
            let previous = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(previous ^ (previous >> 30))
                .wrapping_add(i as u32);
        }
        Mt19937 { state, index: N }
    }
    // ANCHOR_END: seed

    /// Regenerates all 624 words of state at once.
    fn twist(&mut self) {
        for i in 0..N {
            let y = (self.state[i] & UPPER_MASK) | (self.state[(i + 1) % N] & LOWER_MASK);
            let mag = if y & 1 == 1 { MATRIX_A } else { 0 };
            self.state[i] = self.state[(i + M) % N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    // ANCHOR: next_u32
    /// The next 32-bit output, tempered.
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^= y >> 18;
        y
    }
    // ANCHOR_END: next_u32

    // ANCHOR: next_f64
    /// A double uniform in [0, 1) with 53 random bits: the top 27 bits of one
    /// output and the top 26 of the next (`random_sample` in NumPy).
    pub fn next_f64(&mut self) -> f64 {
        let a = u64::from(self.next_u32() >> 5);
        let b = u64::from(self.next_u32() >> 6);
        (a * (1 << 26) + b) as f64 / (1u64 << 53) as f64
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
