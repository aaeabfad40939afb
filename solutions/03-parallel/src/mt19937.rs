//! Exercise 5: the notebook's data, bit for bit.
//!
//! The ULHPC notebook makes its matrices with `np.random.seed(699)` and
//! `np.random.rand(rows * cols)`. That is NumPy's *legacy* generator: the
//! Mersenne Twister MT19937 (Matsumoto and Nishimura, 1998), seeded with
//! `init_genrand(699)`, each double built from two 32-bit outputs with 53
//! random bits. Reproduce it and the lab's A and B are exactly the
//! notebook's, so every result can be checked against the notebook's.
//!
//! # The specification
//!
//! All words are `u32`, and all arithmetic is modulo 2³² (C's unsigned
//! arithmetic). The constants below carry the paper's names.
//!
//! **State**: `N` = 624 words `x[0..N]`, and the index of the next word to
//! output.
//!
//! **Seeding** (`init_genrand(seed)`), with `f = INIT_MULTIPLIER` = 1812433253:
//!
//! ```text
//! x[0] = seed
//! x[i] = f · (x[i-1] XOR (x[i-1] >> 30)) + i        for i = 1, 2, ..., N - 1
//! ```
//!
//! after which the index says "twist before the next output".
//!
//! **The twist** regenerates all N words, in place, for i = 0, 1, ..., N - 1
//! in that order (indices modulo N), with `M` = 397 and `a = MATRIX_A` =
//! 0x9908b0df:
//!
//! ```text
//! y    = (x[i] AND UPPER_MASK) OR (x[i+1] AND LOWER_MASK)
//! x[i] = x[i+M] XOR (y >> 1) XOR (a if y is odd, else 0)
//! ```
//!
//! then the next output is word 0.
//!
//! **An output** takes the word at the index, advances the index, and
//! *tempers* the word with (u, s, b, t, c, l) = (11, 7, 0x9d2c5680, 15,
//! 0xefc60000, 18), the `TEMPER_*` constants:
//!
//! ```text
//! y = y XOR (y >> u)
//! y = y XOR ((y << s) AND b)
//! y = y XOR ((y << t) AND c)
//! y = y XOR (y >> l)
//! ```
//!
//! **A double** (NumPy's `random_sample`) takes the top 27 bits `a` of one
//! output and the top 26 bits `b` of the next: `(a · 2²⁶ + b) / 2⁵³`.
//!
//! Tests: `cargo test -p parallel --test mt19937`.

use ndarray::Array2;

// ANCHOR: spec
/// n: words of state.
const N: usize = 624;
/// m: the offset of the word mixed in by the twist.
const M: usize = 397;
/// a: the twist's matrix constant, mixed in when the combined word is odd.
const MATRIX_A: u32 = 0x9908_b0df;
/// The top bit of a word (w - r = 1 bit)...
const UPPER_MASK: u32 = 0x8000_0000;
/// ...and the other r = 31 bits.
const LOWER_MASK: u32 = 0x7fff_ffff;
/// f: the multiplier of the seeding recurrence.
const INIT_MULTIPLIER: u32 = 1_812_433_253;
/// u: tempering, step 1, shifts right by 11.
const TEMPER_U: u32 = 11;
/// s and b: tempering, step 2, shifts left by 7 and masks with b.
const TEMPER_S: u32 = 7;
const TEMPER_B: u32 = 0x9d2c_5680;
/// t and c: tempering, step 3, shifts left by 15 and masks with c.
const TEMPER_T: u32 = 15;
const TEMPER_C: u32 = 0xefc6_0000;
/// l: tempering, step 4, shifts right by 18.
const TEMPER_L: u32 = 18;
// ANCHOR_END: spec

// ANCHOR: state
/// The 32-bit Mersenne Twister, as NumPy's `RandomState` runs it.
#[derive(Clone)]
pub struct Mt19937 {
    state: [u32; N],
    /// The next word of `state` to temper and return; `N` means "twist first".
    index: usize,
}
// ANCHOR_END: state

impl Mt19937 {
    // ANCHOR: seed
    /// `init_genrand(seed)`: what `np.random.seed(seed)` does for an integer seed.
    ///
    /// # Examples
    ///
    /// The same seed gives the same stream:
    ///
    /// ```
    /// use parallel_solution::mt19937::Mt19937;
    ///
    /// let (mut a, mut b) = (Mt19937::new(699), Mt19937::new(699));
    /// assert_eq!(a.next_u32(), b.next_u32());
    /// ```
    pub fn new(seed: u32) -> Self {
        let mut state = [0u32; N];
        state[0] = seed;
        for i in 1..N {
            let previous = state[i - 1];
            state[i] = INIT_MULTIPLIER
                .wrapping_mul(previous ^ (previous >> 30))
                .wrapping_add(i as u32);
        }
        Mt19937 { state, index: N }
    }
    // ANCHOR_END: seed

    // ANCHOR: twist
    /// Regenerates all 624 words of state at once.
    fn twist(&mut self) {
        for i in 0..N {
            let y = (self.state[i] & UPPER_MASK) | (self.state[(i + 1) % N] & LOWER_MASK);
            let mag = if y & 1 == 1 { MATRIX_A } else { 0 };
            self.state[i] = self.state[(i + M) % N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }
    // ANCHOR_END: twist

    // ANCHOR: next_u32
    /// The next 32-bit output, tempered.
    ///
    /// # Examples
    ///
    /// The first output for the reference implementation's default seed, 5489
    /// (also C++'s `std::mt19937`):
    ///
    /// ```
    /// use parallel_solution::mt19937::Mt19937;
    ///
    /// assert_eq!(Mt19937::new(5489).next_u32(), 3_499_211_612);
    /// ```
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> TEMPER_U;
        y ^= (y << TEMPER_S) & TEMPER_B;
        y ^= (y << TEMPER_T) & TEMPER_C;
        y ^= y >> TEMPER_L;
        y
    }
    // ANCHOR_END: next_u32

    // ANCHOR: next_f64
    /// A double uniform in [0, 1) with 53 random bits: the top 27 bits of one
    /// output and the top 26 of the next (`random_sample` in NumPy).
    ///
    /// # Examples
    ///
    /// NumPy's `np.random.seed(699); np.random.rand(2)`, bit for bit:
    ///
    /// ```
    /// use parallel_solution::mt19937::Mt19937;
    ///
    /// let mut rng = Mt19937::new(699);
    /// assert_eq!(rng.next_f64(), 0.08254747798415263);
    /// assert_eq!(rng.next_f64(), 0.7373811632818851);
    /// ```
    pub fn next_f64(&mut self) -> f64 {
        let a = u64::from(self.next_u32() >> 5);
        let b = u64::from(self.next_u32() >> 6);
        (a * (1 << 26) + b) as f64 / (1u64 << 53) as f64
    }
    // ANCHOR_END: next_f64

    // ANCHOR: rand
    /// `np.random.rand(rows * cols).reshape((rows, cols))`: row-major order.
    pub fn rand(&mut self, rows: usize, cols: usize) -> Array2<f64> {
        Array2::from_shape_simple_fn((rows, cols), || self.next_f64())
    }
    // ANCHOR_END: rand
}

// ANCHOR: notebook_matrices
/// The ULHPC notebook's A and B: `np.random.seed(699)`, then two
/// `np.random.rand(rows * cols).reshape((rows, cols))` from the same stream.
pub fn notebook_matrices(rows: usize, cols: usize) -> (Array2<f64>, Array2<f64>) {
    let mut rng = Mt19937::new(699);
    let a = rng.rand(rows, cols);
    let b = rng.rand(rows, cols);
    (a, b)
}
// ANCHOR_END: notebook_matrices
