//! The pure parts of `bench`: no Python, no cargo, no timing.

use std::collections::BTreeMap;

use super::agree::{Tolerance, disagreements};
use super::floor::Floor;
use super::peers::{self, Side};
use super::record::{self, Record};
use super::size::{self, Size};
use super::table::{self, Report};
use super::{binaries, chart, header, machine, venv};

const SIZE: Size = Size { n: 4, m: 3, d: 2 };

fn record(side: Side, variant: &str, seconds: f64, checksum: f64) -> Record {
    Record {
        side,
        variant: variant.into(),
        size: SIZE,
        seconds,
        warmup_seconds: Some(seconds * 2.0),
        checksum: Some(checksum),
        samples: vec![Some(1.0), Some(2.5), Some(0.0)],
    }
}

#[test]
fn sizes_parse_and_refuse_nonsense() {
    let sizes = size::parse_list("2000x2000x50, 5000×5000×50,2000x2000x50").unwrap();
    assert_eq!(sizes.len(), 2, "repeats are dropped");
    assert_eq!(sizes[1].to_string(), "5000x5000x50");
    assert_eq!(sizes[1].pretty(), "5000×5000×50");
    for bad in ["2000x2000", "2000x0x50", "axbxc", ""] {
        assert!(size::parse_list(bad).is_err(), "{bad:?} should be refused");
    }
}

#[test]
fn parses_records_and_info_lines_from_either_side() {
    let stdout = r#"
{"side": "python", "info": {"numpy": "2.4.6"}}
{"side":"rust-native","variant":"trick","size":"4x3x2","seconds":0.5,"warmup_seconds":0.75,"checksum":12.5,"samples":[1.0,2.5,null]}
OMP: Info #276: a library's stray print
{"side": "python", "variant": "numpy_trick", "size": "4x3x2", "seconds": 0.25, "checksum": 12.5, "samples": [1.0, 2.5, 0.0]}
"#;
    let output = record::parse(stdout).unwrap();
    assert_eq!(output.records.len(), 2);
    let rust = &output.records[0];
    assert_eq!(
        (rust.side, rust.variant.as_str(), rust.size),
        (Side::RustNative, "trick", SIZE)
    );
    assert_eq!(rust.samples, vec![Some(1.0), Some(2.5), None]);
    assert_eq!(output.records[1].warmup_seconds, None);
    assert_eq!(output.info[&Side::Python]["numpy"], "2.4.6");
    assert_eq!(
        output.other_lines,
        vec!["OMP: Info #276: a library's stray print"]
    );

    let unknown = record::parse(r#"{"side":"julia","variant":"x","size":"1x1x1","seconds":1}"#);
    assert!(unknown.unwrap_err().to_string().contains("julia"));
    let incomplete = record::parse(r#"{"side":"python","variant":"x","seconds":1}"#);
    assert!(incomplete.is_err(), "a record without a size must not pass");
}

#[test]
fn best_of_keeps_the_fastest_run_and_the_slowest_warmup() {
    let records = [
        record(Side::Python, "numpy_trick", 0.3, 1.0),
        record(Side::Python, "numpy_trick", 0.2, 1.0),
        record(Side::RustBaseline, "trick", 0.1, 1.0),
    ];
    let best = record::best_of(&records);
    let trick = best[&(Side::Python, "numpy_trick".to_string(), SIZE)];
    assert_eq!((trick.seconds, trick.runs), (0.2, 2));
    assert_eq!(trick.slowest_warmup, Some(0.6));
    assert_eq!(best.len(), 2);
}

#[test]
fn best_of_gives_the_median_of_the_rounds() {
    let records = [0.5, 0.1, 0.3, 0.2].map(|s| record(Side::Python, "numpy_trick", s, 1.0));
    let best = record::best_of(&records[..3]);
    let trick = best[&(Side::Python, "numpy_trick".to_string(), SIZE)];
    assert_eq!((trick.seconds, trick.median), (0.1, 0.3));
    let even = record::best_of(&records)[&(Side::Python, "numpy_trick".to_string(), SIZE)];
    assert!((even.median - 0.25).abs() < 1e-12, "{even:?}");
}

#[test]
fn a_cell_run_in_several_rounds_gives_its_median_in_brackets() {
    let records = [0.3, 0.2, 0.25].map(|s| record(Side::Python, "scipy_cdist", s, 1.0));
    let best = record::best_of(&records);
    let report = report(
        &peers::PARALLEL,
        &[SIZE],
        &best,
        SIZE,
        "cargo xtask bench --compare python --lab parallel",
    );
    let markdown = table::markdown(&report);
    assert!(markdown.contains("| 200 (250) | 1.0 |"), "{markdown}");
    assert!(markdown.contains("in brackets the median"), "{markdown}");
}

#[test]
fn agreement_names_the_variant_that_differs() {
    let reference = record(Side::Python, "numpy_trick", 0.2, 1000.0);
    let close = record(Side::RustNative, "direct", 0.1, 1000.0 * (1.0 + 1e-12));
    assert!(
        disagreements(
            &[reference.clone(), close.clone()],
            "numpy_trick",
            Tolerance::DEFAULT
        )
        .is_empty()
    );

    let wrong_sum = record(Side::RustBaseline, "trick_fused_tail", 0.1, 1000.1);
    let mut wrong_sample = record(Side::Python, "numba_parallel", 0.1, 1000.0);
    wrong_sample.samples[2] = Some(1e-6); // the reference has 0.0: beyond the 1e-9 atol
    let problems = disagreements(
        &[
            reference,
            close,
            wrong_sum.clone(),
            wrong_sample.clone(),
            wrong_sum,
        ],
        "numpy_trick",
        Tolerance::DEFAULT,
    );
    assert_eq!(problems.len(), 2, "one line per variant: {problems:#?}");
    assert!(
        problems[0].contains("`trick_fused_tail` (rust-baseline)")
            && problems[0].contains("checksum")
    );
    assert!(
        problems[1].contains("`numba_parallel` (python)") && problems[1].contains("r[n-1,m-1]")
    );

    let alone = disagreements(
        &[record(Side::RustNative, "direct", 0.1, 1.0)],
        "numpy_trick",
        Tolerance::DEFAULT,
    );
    assert!(alone[0].contains("no `numpy_trick` result"), "{alone:?}");
}

#[test]
fn table_has_a_row_per_side_and_variant_and_ratios_to_the_reference() {
    let big = Size { n: 8, m: 8, d: 2 };
    let mut records = vec![
        record(Side::Python, "numpy_trick", 0.004, 1.0),
        record(Side::Python, "numpy_broadcast", 0.0123, 1.0),
        record(Side::RustNative, "direct", 0.001, 1.0),
    ];
    for (side, variant, seconds) in [
        (Side::Python, "numpy_trick", 0.2),
        (Side::RustNative, "direct", 0.05),
    ] {
        let mut at_big = record(side, variant, seconds, 1.0);
        at_big.size = big;
        records.push(at_big);
    }
    let best = record::best_of(&records);
    let sizes = [SIZE, big];
    let report = Report {
        context: vec!["Machine: a test.".into()],
        notes: vec!["A note.".into()],
        ..report(
            &peers::VECTORIZATION,
            &sizes,
            &best,
            big,
            "cargo xtask bench --compare python",
        )
    };
    let rows = table::rows(&report);
    let names: Vec<(Side, &str)> = rows.iter().map(|r| (r.side, r.label)).collect();
    assert_eq!(names.len(), 3, "only variants that ran: {names:?}");
    assert_eq!(names[0].0, Side::Python);
    assert!(
        names[0].1.starts_with("NumPy broadcast"),
        "the lab's order: {names:?}"
    );
    assert_eq!(rows[2].side, Side::RustNative);
    assert_eq!(rows[2].ratio, Some(0.25));

    let markdown = table::markdown(&report);
    assert!(markdown.starts_with("<!-- Generated by `cargo xtask bench --compare python`"));
    assert!(
        markdown.contains("| side | variant | 4×3×2 | 8×8×2 | ratio at 8×8×2 |"),
        "{markdown}"
    );
    assert!(markdown.contains("|---|---|---:|---:|---:|"), "{markdown}");
    assert!(
        markdown.contains(" | 12.3 | — | — |"),
        "broadcast did not run at 8×8×2:\n{markdown}"
    );
    assert!(
        markdown.contains(
            "| Rust (native) | direct kernel `sq_euclidean_direct` | 1.00 | 50.0 | 0.25 |"
        ),
        "{markdown}"
    );
    assert!(markdown.contains("- Machine: a test.") && markdown.contains("\nA note.\n"));
}

#[test]
fn times_and_ratios_keep_three_significant_digits() {
    let cases = [
        (0.1234, "123"),
        (0.01234, "12.3"),
        (0.001234, "1.23"),
        (0.0001234, "0.123"),
    ];
    for (seconds, shown) in cases {
        assert_eq!(table::format_ms(seconds), shown);
    }
    assert_eq!(table::format_ratio(0.1234), "0.12");
    assert_eq!(table::format_ratio(7.25), "7.2");
    assert_eq!(table::format_ratio(23.4), "23");
}

#[test]
fn requirements_must_pin_and_missing_names_what_to_install() {
    let pins = venv::parse_pins("# comment\nnumpy==2.4.6\n\nnumba == 0.68.1  # JIT\n").unwrap();
    assert_eq!(
        pins,
        vec![
            ("numpy".into(), "2.4.6".into()),
            ("numba".into(), "0.68.1".into())
        ]
    );
    assert!(venv::parse_pins("scipy>=1.0\n").is_err());
    let installed = BTreeMap::from([
        ("numpy".to_string(), Some("2.4.6".to_string())),
        ("numba".to_string(), Some("0.60.0".to_string())),
    ]);
    assert_eq!(
        venv::missing(&pins, &installed),
        vec!["numba==0.68.1 (have 0.60.0)"]
    );
    assert_eq!(
        venv::missing(&pins[..1], &BTreeMap::new()),
        vec!["numpy==2.4.6"]
    );
}

#[test]
fn finds_the_example_in_cargos_json_lines() {
    // cargo's lines as it writes them (cargo_metadata reads the fields cargo always sets).
    let artifact = |name: &str, kind: &str, executable: &str| {
        format!(
            r#"{{"reason":"compiler-artifact","package_id":"path+file:///w/lab#0.1.0","manifest_path":"/w/lab/Cargo.toml","target":{{"name":"{name}","kind":["{kind}"],"crate_types":["bin"],"src_path":"/w/lab/src/lib.rs","edition":"2024"}},"profile":{{"opt_level":"3","debuginfo":0,"debug_assertions":false,"overflow_checks":false,"test":false}},"features":[],"filenames":[],"executable":{executable},"fresh":false}}"#
        )
    };
    let stdout = &[
        artifact("vectorization_solution", "lib", "null"),
        artifact(
            "compare",
            "example",
            r#""/w/target/release/examples/compare""#,
        ),
        r#"{"reason":"build-finished","success":true}"#.to_string(),
    ]
    .join("\n");
    let exe = binaries::example_executable(stdout, "compare").unwrap();
    assert_eq!(exe.to_str(), Some("/w/target/release/examples/compare"));
    assert!(binaries::example_executable(stdout, "other").is_none());
}

#[test]
fn dates_come_from_days_since_the_epoch() {
    assert_eq!(machine::civil_from_days(0), (1970, 1, 1));
    assert_eq!(machine::civil_from_days(11_016), (2000, 2, 29));
    assert_eq!(machine::civil_from_days(20_779), (2026, 11, 22));
}

#[test]
fn chart_draws_one_labelled_bar_per_row() {
    let temp = tempfile::Builder::new()
        .prefix("xtask-bench-chart-")
        .suffix(".svg")
        .tempfile()
        .unwrap();
    let path = temp.path();
    let bars = [
        chart::Bar {
            side: Side::Python,
            label: "NumPy `trick`".into(),
            seconds: 0.113,
        },
        chart::Bar {
            side: Side::RustNative,
            label: "direct".into(),
            seconds: 0.0185,
        },
    ];
    chart::write_svg(path, "a title", &bars).unwrap();
    let svg = std::fs::read_to_string(path).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
    for text in [
        "a title",
        "Python · NumPy trick",
        "Rust (native) · direct",
        "113 ms",
        "18.5 ms",
    ] {
        assert!(svg.contains(text), "the chart lacks {text:?}");
    }
    assert!(chart::write_svg(path, "empty", &[]).is_err());
}

#[test]
fn the_c_line_names_the_compiler_flags_and_threads_or_its_absence() {
    let info: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
        r#"{"numpy": "2.4.6", "c_compiler": "cc (Debian 12.2.0-14) 12.2.0",
            "c_flags": "-O3 -march=native -fopenmp", "c_omp_threads": 2}"#,
    )
    .unwrap();
    assert_eq!(
        header::c_line(Some(&info)).as_deref(),
        Some(
            "C: cc (Debian 12.2.0-14) 12.2.0, `-O3 -march=native -fopenmp`; OpenMP saw 2 thread(s)."
        )
    );
    let none = serde_json::from_str(r#"{"c_compiler": "none"}"#).unwrap();
    assert!(
        header::c_line(Some(&none))
            .unwrap()
            .contains("no C compiler")
    );
    let without = serde_json::from_str(r#"{"numpy": "2.4.6"}"#).unwrap();
    assert_eq!(
        header::c_line(Some(&without)),
        None,
        "no C peer asked for: no line"
    );
    assert_eq!(header::c_line(None), None);
}

#[test]
fn every_lab_entry_is_consistent_and_names_what_its_two_sides_run() {
    let root = crate::workspace::root();
    for peers in peers::ALL {
        let lab = peers.lab;
        assert_eq!(peers::for_lab(lab).map(|p| p.lab), Some(lab));
        for list in [peers.sizes, peers.quick_sizes] {
            size::parse_list(&list.join(",")).unwrap();
        }
        assert!(peers.sizes.contains(&peers.ratio_size), "{lab}: ratio size");
        assert!(
            peers.what.contains(" r_ij"),
            "{lab}: the chart's title is `what` up to r_ij"
        );
        let python = |name: &str| peers.variant(peers::Language::Python, name).is_some();
        assert!(
            python(peers.reference),
            "{lab}: the reference is a Python variant"
        );
        assert!(peers.jit_variant.is_none_or(python), "{lab}: jit variant");
        // Each variant's name must be one its side prints: the script's VARIANTS keys,
        // the example's table of functions (a name missing there never gets a row).
        let script = std::fs::read_to_string(root.join(peers.script)).unwrap();
        let example = root
            .join(peers.script)
            .parent()
            .and_then(|python| python.parent())
            .unwrap()
            .join("examples")
            .join(peers.example)
            .join("main.rs");
        let example = std::fs::read_to_string(&example).unwrap();
        let mut seen = std::collections::BTreeSet::new();
        for variant in peers.variants {
            assert!(
                seen.insert((variant.language == peers::Language::Rust, variant.name)),
                "{lab}: `{}` twice",
                variant.name
            );
            let (text, quoted) = match variant.language {
                peers::Language::Python => (&script, format!("\"{}\":", variant.name)),
                peers::Language::Rust => (&example, format!("\"{}\",", variant.name)),
            };
            assert!(
                text.contains(&quoted),
                "{lab}: `{}` is not a variant of its side",
                variant.name
            );
        }
    }
    assert!(peers::for_lab("03-parallel").is_some(), "lab 3 has peers");
}

#[test]
fn the_labs_pins_agree_so_that_the_shared_venv_satisfies_them_all() {
    let root = crate::workspace::root();
    let mut pinned: BTreeMap<String, (String, &str)> = BTreeMap::new();
    for peers in peers::ALL {
        let text = std::fs::read_to_string(root.join(peers.requirements)).unwrap();
        for (name, version) in venv::parse_pins(&text).unwrap() {
            let key = name.to_lowercase().replace('_', "-");
            if let Some((other, lab)) = pinned.get(&key) {
                assert_eq!(
                    &version, other,
                    "{name}: {} pins {version}, {lab} pins {other}: one .venv cannot have both",
                    peers.lab
                );
            }
            pinned.insert(key, (version, peers.lab));
        }
    }
    for needed in ["numpy", "scipy", "numba", "dask"] {
        assert!(pinned.contains_key(needed), "{needed} is pinned");
    }
}

#[test]
fn the_python_line_names_each_labs_packages() {
    let info: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
        r#"{"python": "3.11.7", "numpy": "2.4.6", "scipy": "1.17.1", "numexpr": "2.14.2",
            "numba": "0.68.1", "numba_threading_layer": "omp", "dask": "2026.8.0"}"#,
    )
    .unwrap();
    let get = |key: &str| {
        info.get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("?")
            .to_string()
    };
    assert_eq!(
        header::python_line(&peers::VECTORIZATION, &get, "openblas"),
        "Python 3.11.7: NumPy 2.4.6 (BLAS: openblas), SciPy 1.17.1, numexpr 2.14.2, \
         numba 0.68.1 (threading layer omp)."
    );
    assert_eq!(
        header::python_line(&peers::PARALLEL, &get, "openblas"),
        "Python 3.11.7: NumPy 2.4.6 (BLAS: openblas), SciPy 1.17.1, \
         numba 0.68.1 (threading layer omp), dask 2026.8.0."
    );
}

#[test]
fn lab_3s_table_is_relative_to_cdist_and_leaves_out_what_did_not_run() {
    let big = Size {
        n: 5000,
        m: 5000,
        d: 50,
    };
    let mut records = vec![
        record(Side::Python, "scipy_cdist", 0.01, 1.0),
        record(Side::Python, "numba1_cscs", 0.02, 1.0),
        record(Side::RustBaseline, "iter", 0.03, 1.0),
    ];
    for (side, variant, seconds) in [
        (Side::Python, "scipy_cdist", 0.4),
        (Side::RustNative, "blocked", 0.02),
    ] {
        let mut at_big = record(side, variant, seconds, 1.0);
        at_big.size = big;
        records.push(at_big);
    }
    let best = record::best_of(&records);
    let sizes = [SIZE, big];
    let report = report(
        &peers::PARALLEL,
        &sizes,
        &best,
        big,
        "cargo xtask bench --compare python --lab parallel",
    );
    let markdown = table::markdown(&report);
    assert!(
        markdown.contains("(below 1: faster than SciPy's `cdist`)"),
        "{markdown}"
    );
    assert!(
        markdown
            .contains("| Rust (native) | blocked kernel `cityblock_blocked` | — | 20.0 | 0.05 |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| Rust (default build) | serial `cityblock_iter` | 30.0 | — | — |"),
        "serial only at the small size:\n{markdown}"
    );
    assert_eq!(table::rows(&report).len(), 4, "{markdown}");
}

#[test]
fn with_the_machines_limits_the_table_gives_each_variants_fraction_of_the_floor() {
    let records = [
        record(Side::Python, "numpy_trick", 0.004, 1.0),
        record(Side::RustNative, "direct", 0.002, 1.0),
    ];
    let best = record::best_of(&records);
    let report = Report {
        floor: Some((Floor::SqEuclidean, 0.001)),
        ..report(
            &peers::VECTORIZATION,
            &[SIZE],
            &best,
            SIZE,
            "cargo xtask bench --book",
        )
    };
    let markdown = table::markdown(&report);
    assert!(markdown.contains(" of the floor |"), "{markdown}");
    assert!(markdown.contains("| 1.0 | 25 % |"), "{markdown}");
    assert!(markdown.contains("| 0.50 | 50 % |"), "{markdown}");
    assert!(markdown.contains("The floor, 1.00 ms,"), "{markdown}");
}

/// A report of `best` for the table tests: method "How.", no floor, context or notes.
fn report<'a>(
    peers: &'a peers::LabPeers,
    sizes: &'a [Size],
    best: &'a BTreeMap<record::Key, record::Best>,
    ratio_size: Size,
    command: &str,
) -> Report<'a> {
    Report {
        peers,
        sizes,
        best,
        ratio_size,
        floor: None,
        command: command.into(),
        method: "How.".into(),
        context: vec![],
        notes: vec![],
    }
}
