//! The patterns: what each matches, its short and stable name, and why it has no place in an
//! exercise. Paths come here resolved through the file's `use` items (`imports`).

pub const PROCESS_EXIT: &str = "process::exit";
pub const LIBTEST: &str = "libtest-like output";
pub const RAW_STDOUT: &str = "raw stdout";
pub const NET: &str = "std::net";
pub const PROCESS: &str = "std::process";
pub const FILESYSTEM: &str = "filesystem";
pub const PATH_ATTR: &str = "#[path]";
pub const INCLUDE: &str = "include!";
pub const EXTERN_BLOCK: &str = "extern block";
pub const EXTERN_CRATE: &str = "extern crate";
pub const ASM: &str = "asm";
pub const PANIC_HOOK: &str = "panic hook";
pub const DLOPEN: &str = "dlopen";
pub const UNPARSED: &str = "does not parse";

/// What a pattern found: its name and why it is worth a look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub pattern: &'static str,
    pub why: String,
}

fn hit(pattern: &'static str, why: String) -> Option<Hit> {
    Some(Hit { pattern, why })
}

/// The first argument of a call or a macro, as far as the rules care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// A string literal, decoded.
    Str(String),
    /// Something else: a variable, a constant, a macro.
    Other,
    Missing,
}

/// A path, full (`std::process::exit`), as the file's imports resolve it.
pub fn path(path: &[String]) -> Option<Hit> {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    let (pattern, why) = match p.as_slice() {
        ["std", "process", "exit" | "abort", ..]
        | [
            "libc",
            "exit" | "_exit" | "_Exit" | "quick_exit" | "abort" | "kill" | "raise" | "syscall",
            ..,
        ] => (
            PROCESS_EXIT,
            "can end the process: a test that ends its own process can forge a pass",
        ),
        // A return value, no more.
        ["std", "process", "ExitCode" | "Termination", ..] => return None,
        ["std", "process", ..] | ["std", "os", _, "process", ..] => (
            PROCESS,
            "runs or controls processes, which no exercise needs",
        ),
        ["std", "net", ..] | ["std", "os", _, "net", ..] => {
            (NET, "reaches the network, which no exercise needs")
        }
        ["std", "fs", ..]
        | ["std", "os", _, "fs", ..]
        | [
            "std",
            "env",
            "current_dir" | "set_current_dir" | "current_exe" | "temp_dir" | "home_dir",
            ..,
        ] => (
            FILESYSTEM,
            "reaches the filesystem, where the instructor's tests and the grader's files are",
        ),
        ["std", "io", "stdout" | "stderr", ..]
        | [
            "libc",
            "write" | "dup" | "dup2" | "dup3" | "STDOUT_FILENO" | "STDERR_FILENO" | "printf"
            | "puts" | "putchar" | "fputs" | "fprintf" | "dprintf" | "fwrite",
            ..,
        ]
        | [.., "from_raw_fd" | "borrow_raw" | "from_raw_handle"] => (
            RAW_STDOUT,
            "writes to the process's own output, past libtest's capture, where it can pass for \
             the test harness's lines",
        ),
        ["libc", "dlopen" | "dlsym" | "dlvsym" | "dladdr", ..] => (
            DLOPEN,
            "loads a library or looks up a symbol as the code runs: symbol tricks can reach the \
             test harness's own code",
        ),
        ["std", "panic", "set_hook" | "take_hook" | "update_hook", ..] => (
            PANIC_HOOK,
            "replaces the panic hook, which can hide the messages of failing tests",
        ),
        _ => return None,
    };
    hit(pattern, format!("`{}` {why}", p.join("::")))
}

/// `std::env::var("HOME")` and the like: the variables that say where things are on disk (or
/// any variable, when the name is not a plain literal).
pub fn env_var(path: &[String], arg: &Arg) -> Option<Hit> {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    if !matches!(p.as_slice(), ["std", "env", "var" | "var_os"]) {
        return None;
    }
    let name = match arg {
        Arg::Str(name) if !locates(name) => return None,
        Arg::Str(name) => format!("\"{name}\""),
        Arg::Other | Arg::Missing => "…".into(),
    };
    hit(
        FILESYSTEM,
        format!(
            "`{}({name})` looks for places on disk, where the instructor's tests and the \
             grader's files are",
            p.join("::")
        ),
    )
}

/// Whether an environment variable names a place on disk.
fn locates(name: &str) -> bool {
    const PLACES: [&str; 14] = [
        "HOME",
        "PWD",
        "OLDPWD",
        "TMPDIR",
        "TMP",
        "TEMP",
        "USERPROFILE",
        "PATH",
        "OUT_DIR",
        "CARGO",
        "CARGO_HOME",
        "CARGO_MANIFEST_DIR",
        "CARGO_TARGET_DIR",
        "CARGO_TARGET_TMPDIR",
    ];
    PLACES.contains(&name) || name.starts_with("CARGO_BIN_EXE") || name.starts_with("XDG_")
}

/// A macro call, by its path as resolved.
pub fn macro_call(path: &[String], arg: &Arg) -> Option<Hit> {
    let name = path.last()?.as_str();
    match name {
        "include" | "include_str" | "include_bytes" => hit(
            INCLUDE,
            format!(
                "`{name}!` pastes another file into the crate as it compiles, such as the \
                 instructor's tests"
            ),
        ),
        "asm" | "global_asm" | "naked_asm" => hit(
            ASM,
            format!(
                "`{name}!`: inline assembly is beyond what any exercise asks or the grader checks"
            ),
        ),
        "env" | "option_env" => {
            let var = match arg {
                Arg::Str(var) if !locates(var) => return None,
                Arg::Str(var) => format!("\"{var}\""),
                Arg::Other | Arg::Missing => "…".into(),
            };
            hit(
                FILESYSTEM,
                format!(
                    "`{name}!({var})` is a place on disk, near the instructor's tests and the \
                     grader's files"
                ),
            )
        }
        _ => None,
    }
}

/// A method that reaches the filesystem whatever its receiver's type is named.
pub fn method(name: &str) -> Option<Hit> {
    match name {
        "read_dir" | "read_link" | "canonicalize" | "symlink_metadata" | "try_exists" => hit(
            FILESYSTEM,
            format!("`.{name}()` reaches the filesystem, where the instructor's tests are"),
        ),
        _ => None,
    }
}

/// An attribute, by its name (`path` for `#[path = "…"]`).
pub fn attribute(name: &str) -> Option<Hit> {
    let linker = "symbol and linker tricks can replace the test harness's own code (its `main`)";
    let (pattern, why) = match name {
        "path" => (
            PATH_ATTR,
            "`#[path]` makes a module of any file on disk, such as the instructor's tests"
                .to_string(),
        ),
        "link" => (
            "#[link]",
            format!("`#[link]` links a native library: {linker}"),
        ),
        "link_name" => (
            "#[link_name]",
            format!("`#[link_name]` binds any symbol: {linker}"),
        ),
        "no_mangle" => (
            "#[no_mangle]",
            format!("`#[no_mangle]` exports a bare symbol: {linker}"),
        ),
        "export_name" => (
            "#[export_name]",
            format!("`#[export_name]` names a symbol: {linker}"),
        ),
        "link_section" => (
            "#[link_section]",
            format!(
                "`#[link_section]` places data where the linker runs it (constructors): {linker}"
            ),
        ),
        "used" => (
            "#[used]",
            format!("`#[used]` keeps a static the code never reads: {linker}"),
        ),
        _ => return None,
    };
    hit(pattern, why)
}

/// Whether an attribute's arguments are attributes themselves: `unsafe(no_mangle)`,
/// `cfg_attr(unix, path = "…")`.
pub fn nests_attributes(name: &str) -> bool {
    matches!(name, "unsafe" | "cfg_attr")
}

/// `names`: what the block declares, when known (the lab's own C functions are fine; `exit`,
/// `write` or `main` are not).
pub fn extern_block(abi: Option<&str>, names: &[String]) -> Hit {
    let abi = abi.map(|abi| format!(" \"{abi}\"")).unwrap_or_default();
    let names = match names.len() {
        0 => "…".to_string(),
        1..=6 => names.join(", "),
        more => format!("{}, … ({more} in all)", names[..5].join(", ")),
    };
    Hit {
        pattern: EXTERN_BLOCK,
        why: format!(
            "`extern{abi} {{ {names} }}` declares foreign symbols, which can reach the C library \
             or the test harness around the checks"
        ),
    }
}

pub fn extern_crate(name: &str) -> Hit {
    Hit {
        pattern: EXTERN_CRATE,
        why: format!("`extern crate {name}` brings in a crate by hand, beyond the lab's manifest"),
    }
}

/// A string that reads like libtest's own lines: printed, it can forge test results.
pub fn literal(value: &str) -> Option<Hit> {
    let marker = ["test result:", " ... ok", "passed;"]
        .into_iter()
        .find(|marker| value.contains(marker))
        .or(running_tests(value).then_some("running N tests"))?;
    hit(
        LIBTEST,
        format!(
            "a string with `{marker}` in it reads like libtest's output: printed, it can forge test results"
        ),
    )
}

/// `running 3 tests`.
fn running_tests(value: &str) -> bool {
    value.match_indices("running ").any(|(at, word)| {
        let rest = &value[at + word.len()..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        digits > 0 && rest[digits..].starts_with(" test")
    })
}

/// A path that names a module (`fs`, `process`): used alone, it is a variable of that name.
pub fn is_module(path: &[String]) -> bool {
    let last = path.last().map(String::as_str).unwrap_or("");
    matches!(
        last,
        "process" | "net" | "fs" | "io" | "env" | "panic" | "os" | "unix" | "fd" | "libc"
    )
}

/// Names worth trying under a glob import (`use std::fs::*;` then `File::open`).
pub fn glob_name(name: &str) -> bool {
    const NAMES: [&str; 37] = [
        "exit",
        "abort",
        "_exit",
        "Command",
        "Stdio",
        "Child",
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "File",
        "OpenOptions",
        "read_dir",
        "read_to_string",
        "read",
        "write",
        "remove_file",
        "remove_dir",
        "remove_dir_all",
        "create_dir",
        "create_dir_all",
        "copy",
        "rename",
        "metadata",
        "hard_link",
        "symlink",
        "stdout",
        "stderr",
        "current_dir",
        "set_current_dir",
        "current_exe",
        "set_hook",
        "take_hook",
        "dup",
        "dup2",
        "dup3",
        "STDOUT_FILENO",
        "STDERR_FILENO",
    ];
    NAMES.contains(&name)
}
