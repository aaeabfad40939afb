use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::super::course::{Files, read_tree};
use super::*;

fn files(entries: &[(&str, &str)]) -> Files {
    entries
        .iter()
        .map(|(path, text)| (PathBuf::from(path), text.as_bytes().to_vec()))
        .collect()
}

/// (line, pattern) of what `source`, as `src/lib.rs`, has beyond an empty stub.
fn found(source: &str) -> Vec<(usize, String)> {
    scan("01-lab", &files(&[("lib.rs", source)]), &Files::new())
        .into_iter()
        .map(|finding| (finding.line, finding.pattern))
        .collect()
}

fn at(expected: &[(usize, &str)]) -> Vec<(usize, String)> {
    expected
        .iter()
        .map(|(line, pattern)| (*line, pattern.to_string()))
        .collect()
}

#[test]
fn process_exit_full_and_short() {
    let source = "\
fn full() {
    std::process::exit(0);
}
fn leading() { ::std::process::abort() }
use std::process;
fn module() { process::exit(1) }
use std::process::exit;
fn name() {
    exit(2)
}
use std::process::abort as quit;
fn renamed() { quit() }
fn from_libc() { unsafe { libc::_exit(0); libc::exit(0) } }
";
    assert_eq!(
        found(source),
        at(&[
            (2, "process::exit"),
            (4, "process::exit"),
            (5, "std::process"),
            (6, "process::exit"),
            (7, "process::exit"),
            (9, "process::exit"),
            (11, "process::exit"),
            (12, "process::exit"),
            (13, "process::exit"),
            (13, "process::exit"),
        ])
    );
}

#[test]
fn imports_in_groups_globs_and_chains() {
    let source = "\
use std::{io::Write, process::{self, Command}};
fn a() { process::exit(0) }
use std::net::*;
fn b() { TcpStream::connect(\"x:1\"); }
use std::env as environment;
fn c() { environment::current_dir(); }
use process::Stdio;
fn d() -> Stdio { todo!() }
";
    assert_eq!(
        found(source),
        at(&[
            (1, "std::process"),
            (1, "std::process"),
            (2, "process::exit"),
            (3, "std::net"),
            (4, "std::net"),
            (6, "filesystem"),
            (7, "std::process"),
            (8, "std::process"),
        ])
    );
}

#[test]
fn macros_hide_nothing() {
    let source = "\
macro_rules! bye {
    () => {
        ::std::process::exit(0)
    };
}
fn f() {
    let v = vec![1, { std::process::abort(); 2 }];
    println!(\"{}\", std::fs::read_to_string(\"/etc/passwd\").unwrap());
}
use std::process::exit;
macro_rules! quietly { () => { exit(0) } }
";
    assert_eq!(
        found(source),
        at(&[
            (3, "process::exit"),
            (7, "process::exit"),
            (8, "filesystem"),
            (10, "process::exit"),
            (11, "process::exit"),
        ])
    );
}

#[test]
fn libtest_like_strings() {
    let source = r###"
fn f() {
    println!("test result: ok. 3 passed; 0 failed");
    let a = "nothing to see";
    print!("running 12 tests\n");
    let b = r#"x ... ok"#;
    let c = b"3 passed;";
    eprintln!(
        "{}", "running 1 test"
    );
    let fine = "running late; tests passed";
}
"###;
    assert_eq!(
        found(source),
        at(&[
            (3, "libtest-like output"),
            (5, "libtest-like output"),
            (6, "libtest-like output"),
            (7, "libtest-like output"),
            (9, "libtest-like output"),
        ])
    );
}

#[test]
fn raw_output_handles() {
    let source = "\
use std::io::{self, Write};
use std::os::fd::FromRawFd;
fn f() {
    io::stdout().write_all(b\"x\").unwrap();
    writeln!(std::io::stderr(), \"x\").unwrap();
    let file = unsafe { std::fs::File::from_raw_fd(1) };
    unsafe { libc::write(1, std::ptr::null(), 0) };
    unsafe { libc::dup2(3, 2) };
    println!(\"captured, fine\");
}
";
    assert_eq!(
        found(source),
        at(&[
            (4, "raw stdout"),
            (5, "raw stdout"),
            (6, "filesystem"),
            (7, "raw stdout"),
            (8, "raw stdout"),
        ])
    );
}

#[test]
fn network_processes_and_hooks() {
    let source = "\
fn f() {
    let s = std::net::TcpStream::connect(\"127.0.0.1:80\");
    let o = std::process::Command::new(\"sh\").output();
    std::panic::set_hook(Box::new(|_| {}));
}
use std::panic;
fn g() { let _ = panic::take_hook(); }
fn h() { unsafe { libc::dlsym(libc::RTLD_DEFAULT, c\"main\".as_ptr()) }; }
";
    assert_eq!(
        found(source),
        at(&[
            (2, "std::net"),
            (3, "std::process"),
            (4, "panic hook"),
            (7, "panic hook"),
            (8, "dlopen"),
        ])
    );
}

#[test]
fn filesystem_access() {
    let source = "\
use std::fs::{File, OpenOptions};
fn f(dir: &std::path::Path) {
    let a = File::open(\"x\");
    let b = OpenOptions::new();
    let c = dir.read_dir();
    let d = std::env::current_dir();
    let e = std::env::var(\"HOME\");
    let threads = std::env::var(\"RAYON_NUM_THREADS\");
    let g = std::env::var_os(name());
    let h = env!(\"CARGO_MANIFEST_DIR\");
    let package = env!(\"CARGO_PKG_NAME\");
    let args: Vec<String> = std::env::args().collect();
}
";
    assert_eq!(
        found(source),
        at(&[
            (1, "filesystem"),
            (1, "filesystem"),
            (3, "filesystem"),
            (4, "filesystem"),
            (5, "filesystem"),
            (6, "filesystem"),
            (7, "filesystem"),
            (9, "filesystem"),
            (10, "filesystem"),
        ])
    );
}

#[test]
fn paths_and_includes() {
    let source = "\
#[path = \"../../../tests/strides.rs\"]
mod tests;
#[cfg_attr(unix, path = \"elsewhere.rs\")]
mod other;
const TESTS: &str = include_str!(\"../tests/strides.rs\");
const BYTES: &[u8] = include_bytes!(\"../Cargo.toml\");
include!(\"generated.rs\");
#[doc = include_str!(\"../README.md\")]
struct S;
";
    assert_eq!(
        found(source),
        at(&[
            (1, "#[path]"),
            (3, "#[path]"),
            (5, "include!"),
            (6, "include!"),
            (7, "include!"),
            (8, "include!")
        ])
    );
}

#[test]
fn symbols_and_linker_tricks() {
    let source = "\
extern crate libc;
unsafe extern \"C\" {
    fn exit(code: i32) -> !;
}
extern {
    #[link_name = \"abort\"]
    fn stop();
}
#[unsafe(no_mangle)]
pub extern \"C\" fn main() {}
#[no_mangle]
fn other() {}
#[export_name = \"main\"]
fn third() {}
#[unsafe(link_section = \".init_array\")]
#[used]
static INIT: extern \"C\" fn() = init;
#[link(name = \"c\")]
unsafe extern \"C\" {}
pub extern \"C\" fn callback() {}
";
    assert_eq!(
        found(source),
        at(&[
            (1, "extern crate"),
            (2, "extern block"),
            (5, "extern block"),
            (6, "#[link_name]"),
            (9, "#[no_mangle]"),
            (11, "#[no_mangle]"),
            (13, "#[export_name]"),
            (15, "#[link_section]"),
            (16, "#[used]"),
            (18, "#[link]"),
            (19, "extern block"),
        ])
    );
}

#[test]
fn assembly() {
    let source = "\
use std::arch::asm;
fn f() {
    unsafe { asm!(\"nop\") };
    unsafe { core::arch::asm!(\"nop\") };
}
std::arch::global_asm!(\"\");
";
    assert_eq!(found(source), at(&[(3, "asm"), (4, "asm"), (6, "asm")]));
}

#[test]
fn ordinary_code_is_not_reported() {
    let source = "\
use std::collections::HashMap;
struct Command;
fn exit(code: i32) -> i32 { code }
fn f<'exit>(x: &'exit str) {
    let process = 3;
    let fs = exit(process);
    let s = Command;
    println!(\"{fs} {}\", \"hello, world\");
    let v: Vec<String> = std::env::args().collect();
    let p = std::path::Path::new(\"x\").join(\"y\");
    let t = std::thread::spawn(|| 1).join();
}
fn main() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
";
    assert_eq!(found(source), Vec::new());
}

/// Lines are right where the same names come earlier in comments, strings, fields,
/// lifetimes and doc comments.
#[test]
fn lines_skip_lookalikes() {
    let source = "\
//! Mentions exit and std::process::exit.
use std::process::exit;
/// exit
struct Foo<'exit> { exit: &'exit str }
fn f(exit_code: i32) -> Foo<'static> {
    /* exit(0) /* nested exit */ */
    let s = \"exit\";
    let c = 'x';
    let foo = Foo { exit: s };
    let Foo { exit } = foo;
    let _ = r#\"exit\"#;
    exit(0)
}
";
    assert_eq!(
        found(source),
        at(&[(2, "process::exit"), (12, "process::exit")])
    );
}

#[test]
fn the_stubs_code_is_not_reported() {
    let stub = "\
use std::fs::File;
pub fn load() { let f = File::open(\"data.npy\"); }
";
    let same = scan(
        "04-lab",
        &files(&[("npy.rs", stub)]),
        &files(&[("npy.rs", stub)]),
    );
    assert_eq!(same, Vec::new());

    let more = "\
use std::fs::File;
pub fn load() { let f = File::open(\"data.npy\"); }
pub fn peek() { let f = File::open(\"../tests/npy.rs\"); }
";
    let extra = scan(
        "04-lab",
        &files(&[("npy.rs", more)]),
        &files(&[("npy.rs", stub)]),
    );
    assert_eq!(extra.len(), 1, "{extra:#?}");
    assert_eq!(extra[0].file, "exercises/04-lab/src/npy.rs");
    assert_eq!(
        (extra[0].line, extra[0].pattern.as_str()),
        (3, "filesystem")
    );
    assert!(extra[0].why.contains("beyond the 2"), "{}", extra[0].why);

    // The same count elsewhere: another file of the stub is no excuse.
    let moved = scan(
        "04-lab",
        &files(&[("other.rs", stub)]),
        &files(&[("npy.rs", stub)]),
    );
    assert_eq!(moved.len(), 2);
}

#[test]
fn unparsable_and_other_files() {
    let submitted = files(&[
        ("lib.rs", "pub fn f( {"),
        ("cuda/kernel.cu", "std::process::exit(0);"),
        ("bin/tool.rs", "fn main() { std::process::exit(0) }"),
    ]);
    let findings = scan("05-gpu", &submitted, &Files::new());
    let got: Vec<(&str, usize, &str)> = findings
        .iter()
        .map(|f| (f.file.as_str(), f.line, f.pattern.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("exercises/05-gpu/src/bin/tool.rs", 1, "process::exit"),
            ("exercises/05-gpu/src/lib.rs", 0, "does not parse"),
        ]
    );
    let binary = scan(
        "05-gpu",
        &Files::from([("lib.rs".into(), vec![0xff, 0xfe])]),
        &Files::new(),
    );
    assert_eq!(binary[0].pattern, "does not parse");
}

fn course_dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(kind)
}

/// Every lab's `src/` under `exercises/` or `solutions/`.
fn labs(kind: &str) -> Vec<(String, Files)> {
    let mut labs: Vec<(String, Files)> = std::fs::read_dir(course_dir(kind))
        .expect("the course")
        .map(|entry| entry.expect("the course"))
        .filter(|entry| entry.path().join("src").is_dir())
        .map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            (
                name,
                read_tree(&entry.path().join("src"), &|_| true).expect("src"),
            )
        })
        .collect();
    labs.sort_by(|a, b| a.0.cmp(&b.0));
    labs
}

#[test]
fn the_real_stubs_against_themselves() {
    let stubs = labs("exercises");
    assert!(stubs.len() >= 6, "{} labs", stubs.len());
    for (lab, stub) in &stubs {
        assert_eq!(scan(lab, stub, stub), Vec::new(), "{lab}");
    }
}

/// On the course's own code (stubs and solutions, against nothing), each finding's line holds
/// the token it was found at: the line numbers are right.
#[test]
fn real_lines_hold_their_tokens() {
    for kind in ["exercises", "solutions"] {
        for (lab, src) in labs(kind) {
            for (path, bytes) in &src {
                if path.extension().is_none_or(|ext| ext != "rs") {
                    continue;
                }
                for found in scan_file(bytes) {
                    let first = found.anchor.lines().next().unwrap_or("");
                    assert!(
                        found.line > 0 && found.code.contains(first),
                        "{kind}/{lab}/src/{}: {found:?}",
                        path.display()
                    );
                }
            }
        }
    }
}

#[test]
fn the_real_solutions_are_honest() {
    let stubs: BTreeMap<String, Files> = labs("exercises").into_iter().collect();
    let forging = [
        rules::PROCESS_EXIT,
        rules::LIBTEST,
        rules::PATH_ATTR,
        rules::INCLUDE,
        rules::NET,
        rules::ASM,
    ];
    let mut wrong = Vec::new();
    for (lab, solution) in labs("solutions") {
        let stub = stubs.get(&lab).cloned().unwrap_or_default();
        for finding in scan(&lab, &solution, &stub) {
            println!(
                "{}:{}: {}: {}",
                finding.file, finding.line, finding.pattern, finding.why
            );
            if !forging.contains(&finding.pattern.as_str()) {
                continue;
            }
            // The solutions share the instructor's own files with the exercises, by
            // `#[path = "../../../exercises/<lab>/src/…"]` and `include!`: no submission can.
            let path = Path::new(&finding.file)
                .strip_prefix(format!("exercises/{lab}/src"))
                .expect("in src");
            let code = String::from_utf8_lossy(&solution[path])
                .lines()
                .nth(finding.line - 1)
                .unwrap_or("")
                .to_string();
            let shares = matches!(finding.pattern.as_str(), "#[path]" | "include!")
                && code.contains(&format!("exercises/{lab}/src/"));
            if !shares {
                wrong.push(finding);
            }
        }
    }
    assert_eq!(wrong, Vec::new());
}

#[test]
fn macro_bodies_hide_no_attributes_or_externs() {
    let source = r#"
macro_rules! sneaky {
    () => {
        #[unsafe(no_mangle)]
        pub extern "C" fn main() {}
        extern "C" { fn write(fd: i32, buf: *const u8, n: usize) -> isize; }
        #[path = "x.rs"] mod x;
        /// test result: ok (a doc comment: no output)
        fn f() { std::arch::asm!("nop"); unsafe { libc::syscall(60, 0) }; }
        extern crate std as other;
    };
}
"#;
    assert_eq!(
        found(source),
        at(&[
            (4, "#[no_mangle]"),
            (6, "extern block"),
            (7, "#[path]"),
            (9, "asm"),
            (9, "process::exit"),
            (10, "extern crate"),
        ])
    );
}

#[test]
fn extern_blocks_name_what_they_declare() {
    let source =
        "unsafe extern \"C\" {\n    fn cbdm(x: *const f64);\n    fn exit(code: i32) -> !;\n}\n";
    let findings = scan("06-ffi", &files(&[("c_kernel.rs", source)]), &Files::new());
    assert_eq!(findings.len(), 1);
    assert!(
        findings[0].why.contains("`extern \"C\" { cbdm, exit }`"),
        "{}",
        findings[0].why
    );
}

proptest::proptest! {
    /// Whatever a student hands in, the scan answers (most of this is not Rust: the lexer).
    #[test]
    fn any_text_is_scanned(text in "\\PC{0,300}") {
        let _ = Lines::of(&text);
        let _ = scan("01-lab", &files(&[("lib.rs", &text)]), &Files::new());
    }

    /// Rust-like pieces in any order, unterminated literals and comments included.
    #[test]
    fn any_tokens_are_lexed(pieces in proptest::collection::vec(proptest::sample::select(vec![
        "\"", "'", "r#\"", "\"#", "b'", "br\"", "c\"", "/*", "*/", "//", "\n", "\\", "'a",
        "exit", "r#exit", "std::process::exit(0);", "{", "}", "fn f() {", "1.5e3", "#", "é",
    ]), 0..40)) {
        let text = pieces.concat();
        let _ = Lines::of(&text);
        let _ = scan("01-lab", &files(&[("lib.rs", &text)]), &Files::new());
    }
}
