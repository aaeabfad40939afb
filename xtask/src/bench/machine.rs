//! The facts a measurement is worthless without: which CPU (and whether it has AVX2 and
//! AVX-512), how many cores, when, with which compiler, and how busy the machine was.

use std::fs;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

pub struct Machine {
    /// `AMD EPYC (family 25, model 1)`: the model name alone can hide the generation.
    pub cpu: String,
    /// The instruction sets that decide the kernels: avx2, fma, avx512f.
    pub flags: Vec<(&'static str, bool)>,
    pub cores: usize,
    pub memory_gib: Option<f64>,
    pub rustc: String,
}

pub fn describe(root: &Path) -> Machine {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let field = |name: &str| {
        cpuinfo
            .lines()
            .find(|line| line.split(':').next().is_some_and(|key| key.trim() == name))
            .and_then(|line| line.split_once(':'))
            .map(|(_, value)| value.trim().to_string())
    };
    let cpu = match (field("model name"), field("cpu family"), field("model")) {
        (Some(name), Some(family), Some(model)) => {
            format!("{name} (family {family}, model {model})")
        }
        (Some(name), ..) => name,
        _ => std::env::consts::ARCH.to_string(),
    };
    let present = field("flags").unwrap_or_default();
    let flags = ["avx2", "fma", "avx512f"]
        .map(|flag| (flag, present.split_whitespace().any(|f| f == flag)))
        .to_vec();
    let memory_gib = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|meminfo| {
            let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib / (1024.0 * 1024.0))
        });
    // Under `cargo +toolchain xtask`, rustup's RUSTUP_TOOLCHAIN makes `rustc` the same one.
    let rustc =
        std::process::Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
            .arg("--version")
            .current_dir(root)
            .output()
            .ok()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "rustc (version unknown)".into());
    Machine {
        cpu,
        flags,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        memory_gib,
        rustc,
    }
}

impl Machine {
    /// `AMD EPYC (family 25, model 1); avx2 yes, fma yes, avx512f no; 2 cores, 23 GiB`.
    pub fn summary(&self) -> String {
        let flags: Vec<String> = self
            .flags
            .iter()
            .map(|(flag, on)| format!("{flag} {}", if *on { "yes" } else { "no" }))
            .collect();
        let memory = self
            .memory_gib
            .map(|gib| format!(", {gib:.0} GiB"))
            .unwrap_or_default();
        format!(
            "{}; {}; {} cores{memory}",
            self.cpu,
            flags.join(", "),
            self.cores
        )
    }
}

/// The 1-minute load average (`uptime`'s first number): other work on the machine.
pub fn load_average() -> Option<f64> {
    fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Today's date, UTC, as YYYY-MM-DD.
pub fn today() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153; // March = 0
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
