//! The cell lines that the solutions' measurement programs print with `--json`, for
//! `cargo xtask bench --book` (which reads them in `xtask/src/bench/book/cells.rs`): one JSON
//! object per line, every timed sample of one cell of one table; and the `--flag N` counts,
//! `--sizes` lists and timings those programs share.

use std::fmt::Write;

/// `{"table": …, "row": …, "column": …, "seconds": [...]}`, the samples in seconds.
pub fn line(table: &str, row: &str, column: &str, seconds: &[f64]) -> String {
    let samples: Vec<String> = seconds.iter().map(|s| format!("{s:e}")).collect();
    format!(
        "{{\"table\": {}, \"row\": {}, \"column\": {}, \"seconds\": [{}]}}",
        string(table),
        string(row),
        string(column),
        samples.join(", ")
    )
}

/// The count after `flag` on a measurement program's command line (`--runs 5`), or `default`
/// when the flag is absent; a value that is not a count stops the program with a message.
pub fn count_arg(args: &[String], flag: &str, default: usize) -> usize {
    let Some(value) = args
        .iter()
        .position(|a| a == flag)
        .and_then(|at| args.get(at + 1))
    else {
        return default;
    };
    value
        .parse()
        .unwrap_or_else(|_| panic!("{flag} {value}: expected a count"))
}

/// `{"note": …}`: a line printed under the tables.
pub fn note(text: &str) -> String {
    format!("{{\"note\": {}}}", string(text))
}

/// `text` as a JSON string: quoted, with quotes, backslashes and control characters escaped.
fn string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(quoted, "\\u{:04x}", c as u32);
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// The sizes after `--sizes` on a measurement program's command line (`500x500x500,5000x5000x50`:
/// n × m × d each), or `default` when the flag is absent; a size that is not three counts stops
/// the program with a message.
pub fn sizes_arg(args: &[String], default: &str) -> Vec<[usize; 3]> {
    let list = args
        .iter()
        .position(|a| a == "--sizes")
        .and_then(|at| args.get(at + 1))
        .map_or(default, String::as_str);
    list.split(',')
        .map(|size| {
            let counts: Option<Vec<usize>> = size.split('x').map(|v| v.parse().ok()).collect();
            match counts.as_deref() {
                Some(&[n, m, d]) => [n, m, d],
                _ => panic!("--sizes: {size} is not NxMxD"),
            }
        })
        .collect()
}

/// `runs` timings of `f`, in seconds, after one untimed call (the first touch of fresh memory
/// and a cold cache are not what a table compares).
pub fn timed_runs(runs: usize, mut f: impl FnMut()) -> Vec<f64> {
    f();
    (0..runs)
        .map(|_| {
            let start = std::time::Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_arg_is_read_after_its_flag_or_defaults() {
        let args: Vec<String> = ["prog", "--runs", "3", "--json"].map(String::from).into();
        assert_eq!(count_arg(&args, "--runs", 5), 3);
        assert_eq!(count_arg(&args, "--mib", 1024), 1024);
        let bad: Vec<String> = ["prog", "--runs", "x"].map(String::from).into();
        assert!(std::panic::catch_unwind(|| count_arg(&bad, "--runs", 5)).is_err());
    }

    #[test]
    fn a_cell_line_holds_its_names_and_every_sample() {
        assert_eq!(
            line("T", "one call", "Rust", &[0.5, 0.25]),
            r#"{"table": "T", "row": "one call", "column": "Rust", "seconds": [5e-1, 2.5e-1]}"#
        );
    }

    #[test]
    fn quotes_backslashes_and_control_characters_are_escaped() {
        assert_eq!(
            note("a \"b\" \\ c\n\t"),
            r#"{"note": "a \"b\" \\ c\n\u0009"}"#
        );
    }

    #[test]
    fn sizes_are_read_from_the_flag_or_the_default() {
        let args: Vec<String> = ["prog", "--sizes", "2x3x4,5x6x7"].map(String::from).into();
        assert_eq!(sizes_arg(&args, "1x1x1"), [[2, 3, 4], [5, 6, 7]]);
        assert_eq!(sizes_arg(&args[..1], "1x1x1"), [[1, 1, 1]]);
    }
}
