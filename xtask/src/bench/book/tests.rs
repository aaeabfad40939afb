//! The pure parts of `--book`: the plan, the file names, the header, the cells and tables,
//! and reading criterion's samples. Nothing here measures.

use std::path::Path;

use super::super::floor::{Floor, sizes_of};
use super::cells::{Found, Gathered, parse_lines};
use super::criterion::{first_line_naming, per_iteration};
use super::data::{Dataset, GENERATED, format_cell, format_duration, summarize};
use super::header::{Limits, MachineHeader, parse_limits};
use super::mpi;
use super::plan::{COMPARISONS, Comparison, Files, MEASUREMENTS, Source, select, slug};

fn header() -> MachineHeader {
    MachineHeader {
        machine: "Test CPU (family 1, model 2); avx2 yes, fma yes, avx512f no; 2 cores, 8 GiB"
            .into(),
        cores: 2,
        date: "2026-12-06".into(),
        rustc: "rustc 1.95.0".into(),
        load_before: Some(0.5),
        limits: Limits {
            vector_unit: "avx2+fma".into(),
            threads: 2,
            fma_gflops: vec![100.0, 120.0, 110.0],
            cityblock_gsteps: vec![30.0, 40.0],
            write_bytes: 1 << 30,
            write_gbps: vec![10.0, 12.0],
        },
        quick: false,
    }
}

#[test]
fn every_measurement_has_a_unique_name_a_page_and_sources() {
    let mut names: Vec<&str> = MEASUREMENTS.iter().map(|m| m.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), MEASUREMENTS.len(), "duplicate names");
    for m in MEASUREMENTS {
        assert!(!m.pages.is_empty(), "{} is included by no page", m.name);
        assert!(!m.sources.is_empty(), "{} measures nothing", m.name);
        assert!(m.rounds >= 1, "{}: no round", m.name);
        // The lab's number leads, so the files sort by chapter.
        assert!(
            m.name[..2].chars().all(|c| c.is_ascii_digit()),
            "{}",
            m.name
        );
    }
}

#[test]
fn the_pages_that_include_a_measurement_exist_and_include_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace");
    for m in MEASUREMENTS {
        for page in m.pages {
            let path = root.join("book/src/labs").join(page);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let include = format!("{{{{#include ../measured/{}.md}}}}", m.name);
            assert!(
                text.contains(&include),
                "{page} does not include {}",
                m.name
            );
        }
    }
}

#[test]
fn every_python_source_exists_with_its_requirements() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace");
    for m in MEASUREMENTS {
        for source in m.sources {
            if let Source::Python {
                script,
                requirements,
                ..
            } = source
            {
                assert!(root.join(script).is_file(), "{}: {script}", m.name);
                assert!(
                    root.join(requirements).is_file(),
                    "{}: {requirements}",
                    m.name
                );
            }
        }
    }
}

#[test]
fn a_quick_run_never_writes_into_the_book() {
    let root = Path::new("/r");
    let quick = Files::new(root, true);
    let full = Files::new(root, false);
    assert_eq!(quick.table("x"), root.join("target/compare/quick/x.md"));
    assert_eq!(
        quick.data("x"),
        root.join("target/compare/quick/data/x.json")
    );
    assert_eq!(full.table("x"), root.join("book/src/labs/measured/x.md"));
    assert_eq!(
        full.data("x"),
        root.join("book/src/labs/measured/data/x.json")
    );
    assert_eq!(
        full.machine(),
        root.join("book/src/labs/measured/data/machine.json")
    );
}

#[test]
fn criterion_homes_differ_per_config_and_round() {
    let files = Files::new(Path::new("/r"), false);
    let home = files.criterion_home("02-x", &super::plan::NATIVE_HUGE, 2);
    assert_eq!(
        home,
        Path::new("/r/target/compare/criterion/02-x/native-build-huge-pages-round2")
    );
    assert_eq!(
        slug("default build, huge pages"),
        "default-build-huge-pages"
    );
}

#[test]
fn select_takes_names_then_prefixes_and_refuses_unknown_names() {
    let all = select(&[]).unwrap();
    assert_eq!(all.measurements.len(), MEASUREMENTS.len());
    assert_eq!(all.comparisons, COMPARISONS);
    let lab4 = select(&["04".to_string()]).unwrap();
    assert!(!lab4.measurements.is_empty());
    assert!(lab4.measurements.iter().all(|m| m.name.starts_with("04")));
    assert!(lab4.comparisons.is_empty());
    // A whole name picks that file alone, not the files it is a prefix of.
    let compare3 = select(&["03-parallel".to_string()]).unwrap();
    assert!(compare3.measurements.is_empty());
    assert_eq!(
        compare3.comparisons,
        [Comparison::Python { lab: "03-parallel" }]
    );
    let lab3 = select(&["03".to_string()]).unwrap();
    assert_eq!(lab3.measurements.len(), 3);
    assert_eq!(lab3.comparisons.len(), 2, "{lab3:?}");
    assert!(select(&["99".to_string()]).is_err());
}

#[test]
fn summary_gives_best_median_and_spread() {
    let s = summarize(&[3.0, 1.0, 2.0, f64::NAN]).unwrap();
    assert_eq!((s.best, s.median, s.samples), (1.0, 2.0, 3));
    assert_eq!(s.spread, 1.0); // (3 − 1) / 2
    assert_eq!(summarize(&[1.0, 2.0, 3.0, 4.0]).unwrap().median, 2.5);
    assert!(summarize(&[]).is_none());
}

#[test]
fn durations_pick_a_readable_unit() {
    assert_eq!(format_duration(7.6e-9), "7.60 ns");
    assert_eq!(format_duration(0.0276), "27.6 ms");
    assert_eq!(format_duration(0.137), "137 ms");
    assert_eq!(format_duration(4.9), "4.90 s");
    let s = summarize(&[0.010, 0.012]).unwrap();
    assert_eq!(format_cell(&s), "11.0 ms (best 10.0 ms, ±9 %, n = 2)");
}

#[test]
fn cells_of_later_rounds_join_the_same_cell_in_first_seen_order() {
    let found = |row: &str, column: &str, s: f64| Found {
        table: "t".into(),
        row: row.into(),
        column: column.into(),
        seconds: vec![s],
    };
    let mut gathered = Gathered::default();
    gathered.add(found("b", "x", 1.0));
    gathered.add(found("a", "y", 2.0));
    gathered.add(found("b", "x", 3.0));
    let tables = gathered.into_tables();
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].rows, ["b", "a"]);
    assert_eq!(tables[0].columns, ["x", "y"]);
    assert_eq!(tables[0].cell("b", "x").unwrap().seconds, [1.0, 3.0]);
    let markdown = tables[0].markdown(|_| None);
    assert!(
        markdown.contains("| a |  | 2.00 s (best 2.00 s, ±0 %, n = 1) |"),
        "{markdown}"
    );
}

#[test]
fn programs_print_cells_and_notes_among_other_lines() {
    let stdout = "one call: 1.2 s\n\
        {\"table\": \"t\", \"row\": \"r\", \"column\": \"c\", \"seconds\": [0.5]}\n\
        {\"note\": \"why\"}\n";
    let printed = parse_lines(stdout).unwrap();
    assert_eq!(printed.cells.len(), 1);
    assert_eq!(printed.notes, ["why"]);
    assert!(parse_lines("{\"table\": \"t\", \"seconds\": 1}").is_err());
}

#[test]
fn criterion_samples_become_seconds_per_iteration() {
    assert_eq!(
        per_iteration(&[2.0, 0.0, 4.0], &[2e9, 1.0, 2e9]),
        [1.0, 0.5]
    );
}

#[test]
fn the_header_names_the_machine_and_its_best_limits() {
    let text = header().markdown();
    assert!(text.contains("Test CPU"), "{text}");
    assert!(text.contains("2026-12-06 with rustc 1.95.0"), "{text}");
    assert!(
        text.contains("peak FMA rate 120.0 GFLOP/s (avx2+fma vectors; median 110.0)"),
        "{text}"
    );
    assert!(
        text.contains("write bandwidth 12.0 GB/s (a 1024 MiB buffer"),
        "{text}"
    );
    assert!(!text.contains("--quick"));
    let quick = MachineHeader {
        quick: true,
        ..header()
    };
    assert!(quick.markdown().contains("not the book's numbers"));
}

#[test]
fn the_probe_line_is_read_among_others() {
    let stdout = "Compiling…\n{\"probe\":\"machine_limits\",\"vector_unit\":\"avx512f\",\"lanes\":8,\
        \"accumulators\":12,\"threads\":2,\"fma_gflops\":[1.0,2.0],\"write_bytes\":1024,\
        \"write_gbps\":[3.0]}\n";
    let limits = parse_limits(stdout).unwrap();
    assert_eq!(limits.vector_unit, "avx512f");
    assert_eq!(limits.fma_gflops, [1.0, 2.0]);
    assert!(
        limits.cityblock_gsteps.is_empty(),
        "a probe line from before the Cityblock rate still reads"
    );
    assert!(parse_limits("nothing").is_err());
}

#[test]
fn without_a_cityblock_rate_there_is_no_cityblock_floor_and_the_header_says_nothing_of_it() {
    let mut old = header();
    old.limits.cityblock_gsteps.clear();
    let size = sizes_of("cityblock_1000x1000x40").unwrap();
    assert_eq!(Floor::Cityblock.seconds(size, old.floor_limits()), None);
    assert!(
        Floor::SqEuclidean
            .seconds(size, old.floor_limits())
            .is_some()
    );
    assert!(!old.markdown().contains("Cityblock"));
    assert!(
        header()
            .markdown()
            .contains("peak Cityblock rate 40.0 G steps/s")
    );
}

#[test]
fn a_dataset_survives_its_json_and_renders_the_same() {
    let mut gathered = Gathered::default();
    gathered.add(Found {
        table: "t".into(),
        row: "r".into(),
        column: "c".into(),
        seconds: vec![0.1, 0.2],
    });
    let dataset = Dataset {
        name: "01-x".into(),
        command: "`cargo xtask bench --book --only 01-x`".into(),
        method: "How.".into(),
        machine: header(),
        tables: gathered.into_tables(),
        notes: vec!["A note.".into()],
    };
    let json = serde_json::to_string(&dataset).unwrap();
    let back: Dataset = serde_json::from_str(&json).unwrap();
    assert_eq!(back, dataset);
    let text = back.markdown(None);
    assert!(text.starts_with(GENERATED), "{text}");
    assert!(text.contains("- A note."), "{text}");
    assert_eq!(text, dataset.markdown(None));
}

#[test]
fn the_mpi_programs_line_gives_the_ranks_and_the_serial_kernel() {
    let stdout =
        "some banner\n2000x2000x50: 2 ranks 66.2 ms, serial kernel 107.0 ms, speed-up 1.61\n";
    let cells = mpi::parse(stdout, "2000x2000x50").unwrap();
    assert_eq!(cells.len(), 2);
    assert_eq!(cells[1].row, "2 rank(s)");
    assert!((cells[1].seconds[0] - 0.0662).abs() < 1e-12);
    assert!((cells[0].seconds[0] - 0.107).abs() < 1e-12);
    assert_eq!(cells[1].column, "2000x2000x50");
    assert!(mpi::parse(stdout, "4000x4000x50").is_err());
}

#[test]
fn criterion_reports_give_the_order_the_bench_ran_in() {
    let stdout = "edm_5/trick_checked   time: [1 ms 1 ms 1 ms]\n\
                  Benchmarking edm_5/trick: Warming up\n\
                  edm_5/trick            time: [2 ms 2 ms 2 ms]\n";
    assert_eq!(first_line_naming(stdout, "edm_5/trick_checked"), Some(0));
    assert_eq!(first_line_naming(stdout, "edm_5/trick"), Some(1));
    assert_eq!(first_line_naming(stdout, "edm_5/direct"), None);
}

#[test]
fn the_floor_is_the_work_at_the_peak_plus_one_write_of_the_result() {
    // The test header's limits: 120 GFLOP/s, 12 GB/s (the best runs).
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.max(1e-12);
    // 2·1000·1000·60 flops = 1 ms; 1000×1000 entries of 8 bytes = 0.667 ms.
    let limits = header().floor_limits();
    let edm = Floor::SqEuclidean
        .seconds(sizes_of("edm_1000x1000x60").unwrap(), limits)
        .unwrap();
    assert!(close(edm, 1e-3 + 8e6 / 12e9), "{edm}");
    // (100, 60) by (60, 100): 1.2e6 flops = 10 µs; a 100×100 result = 6.67 µs.
    let matmul = Floor::MatMul
        .seconds(sizes_of("matmul_100x60x100").unwrap(), limits)
        .unwrap();
    assert!(close(matmul, 1e-5 + 8e4 / 12e9), "{matmul}");
    // 1000·1000·40 Cityblock steps at 40 G steps/s = 1 ms, and the same write.
    let cityblock = Floor::Cityblock
        .seconds(sizes_of("cityblock_1000x1000x40").unwrap(), limits)
        .unwrap();
    assert!(close(cityblock, 1e-3 + 8e6 / 12e9), "{cityblock}");
    assert_eq!(sizes_of("default build"), None);
    assert_eq!(sizes_of("edm_10x10"), None);
}

#[test]
fn a_table_with_a_floor_shows_it_first_and_each_cells_fraction_of_it() {
    let mut gathered = Gathered::default();
    gathered.add(Found {
        table: "native build".into(),
        row: "direct".into(),
        column: "edm_1000x1000x60".into(),
        seconds: vec![1e-3 / 0.3 * (1.0 + 8e6 / 12e9 / 1e-3)],
    });
    let dataset = Dataset {
        name: "02-x".into(),
        command: "`cargo xtask bench --book --only 02-x`".into(),
        method: "How.".into(),
        machine: header(),
        tables: gathered.into_tables(),
        notes: vec![],
    };
    let text = dataset.markdown(Some(Floor::SqEuclidean));
    assert!(text.contains("| *floor* | *1.67 ms* |"), "{text}");
    assert!(text.contains("n = 1; 30 % of the floor) |"), "{text}");
    assert!(text.contains("The floor row:"), "{text}");
    let without = dataset.markdown(None);
    assert!(!without.contains("floor"), "{without}");
}
