//! Exercise 5: NumPy's legacy random stream, bit for bit (src/mt19937.rs).
//! Run: cargo test -p parallel --test mt19937

use std::process::Command;

use parallel::mt19937::{Mt19937, notebook_matrices};
use support::numpy::numpy_python;

#[test]
fn the_reference_generator_starts_with_3499211612() {
    // 5489 is the reference implementation's default seed (C++'s std::mt19937).
    let mut rng = Mt19937::new(5489);
    assert_eq!(
        rng.next_u32(),
        3_499_211_612,
        "first output for seed 5489: it is word 0 after the first twist, tempered; check the \
         seeding (INIT_MULTIPLIER, xor with >> 30, + i, modulo 2^32), that the first call \
         twists, and the four tempering steps (TEMPER_U, _S and _B, _T and _C, _L)"
    );
}

#[test]
fn the_ten_thousandth_output_is_4123659995() {
    // The C++ standard's check for std::mt19937: it needs several twists.
    let mut rng = Mt19937::new(5489);
    let tenth_thousand = (0..10_000).map(|_| rng.next_u32()).last();
    assert_eq!(
        tenth_thousand,
        Some(4_123_659_995),
        "the first outputs can be right with a twist that goes wrong further on: the twist \
         works in place, i = 0, 1, ..., 623 in order, indices mod 624 (from i = 227 on, \
         word i + 397 is one that this twist has already regenerated), and index goes back to 0"
    );
}

#[test]
fn doubles_are_numpys_for_seed_699() {
    // np.random.seed(699); np.random.rand(5)
    let expected = [
        0.08254747798415263,
        0.7373811632818851,
        0.7122969178467622,
        0.5915507932995844,
        0.9431002975325178,
    ];
    let mut rng = Mt19937::new(699);
    let got: Vec<f64> = (0..5).map(|_| rng.next_f64()).collect();
    assert_eq!(
        got, expected,
        "a double takes two outputs: (a >> 5) * 2^26 + (b >> 6), divided by 2^53"
    );
}

#[test]
fn the_notebook_matrices_are_the_notebooks() {
    let (a, b) = notebook_matrices(500, 500);
    assert_eq!(a.dim(), (500, 500));
    // Values printed by NumPy from the notebook's A and B.
    assert_eq!(a[[0, 0]], 0.08254747798415263, "A[0, 0]");
    assert_eq!(
        a[[499, 499]],
        0.7632249693646235,
        "A[499, 499]: row-major order"
    );
    assert_eq!(
        b[[0, 0]],
        0.57251588149312,
        "B[0, 0]: B continues the same stream after A's 250 000 values"
    );
    assert_eq!(b[[499, 499]], 0.1507664907342292, "B[499, 499]");
}

#[test]
fn the_matrix_product_exercise_reproduces_the_ulhpc_reference() {
    // The ULHPC "replacing loops" notebook: seed 699, A (250, 300), B (300, 250),
    // and its recorded (A @ B)[0, 0] and sum.
    let mut rng = Mt19937::new(699);
    let a = rng.rand(250, 300);
    let b = rng.rand(300, 250);
    let c = a.dot(&b);
    assert!(
        (c[[0, 0]] - 77.61853166805913).abs() < 1e-12,
        "(A @ B)[0, 0] = {} (the notebook: 77.61853166805913)",
        c[[0, 0]]
    );
    assert!(
        (c.sum() - 4696020.344534248).abs() < 1e-6,
        "sum of A @ B = {} (the notebook: 4696020.344534248)",
        c.sum()
    );
}

#[test]
fn agrees_with_numpy_itself() {
    // NumPy first: without it the test is skipped, whatever the state of the exercise.
    let Some(python) = numpy_python("exercises/03-parallel/requirements.txt") else {
        return;
    };
    let script = "import numpy as np; np.random.seed(699); \
                  print('\\n'.join(repr(float(v)) for v in np.random.rand(2000)))";
    let output = Command::new(&python)
        .args(["-c", script])
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", python.display()));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{} failed: {stderr}",
        python.display()
    );
    let mut rng = Mt19937::new(699);
    let ours: Vec<f64> = (0..2000).map(|_| rng.next_f64()).collect();
    let theirs: Vec<f64> = String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| line.parse().expect("a float printed by repr"))
        .collect();
    assert_eq!(theirs.len(), ours.len());
    for (i, (o, t)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(
            o.to_bits(),
            t.to_bits(),
            "value {i}: ours {o:e}, NumPy's {t:e}"
        );
    }
}
