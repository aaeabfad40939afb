//! The command line of the students' commands: `progress`, `hint`, `watch`. Parsed with
//! lexopt (no dependencies, no proc macros), so that a student's first command builds fast.

use std::ffi::OsString;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Result, bail};
use lexopt::prelude::*;

use crate::{hint, progress, speed, watch, workspace};

/// Seconds one test executable may run before it is killed, unless `--timeout` says otherwise.
const DEFAULT_TIMEOUT: u64 = 120;

const HELP: &str = "\
The students' commands for the HPC-in-Rust labs.

Usage: cargo xtask <COMMAND>

Commands:
  progress [--lab LAB]...        Run every lab's tests against your exercises and show what
                                 to do next (--lab: only these labs)
  hint LAB [EXERCISE] [N]        Show hint N (default 1) for EXERCISE (default: the first one
                                 whose tests do not all pass yet) of LAB
  watch [LAB]                    Rerun your current exercise's tests each time you save a file
                                 of the lab (default: the first lab not finished); Ctrl-C stops
  speed [LAB]... [--rounds N]    Time your kernels whose speed is part of the task (lab.toml
                                 [speed]) against this machine's limit, once their tests pass
                                 [default rounds: 5]

LAB is a number (1), a directory (01-strides) or a package (strides).

Options (every command):
  --timeout SECONDS              Seconds one test executable may run before it is killed
                                 [default: 120]
  -h, --help                     Print this help
";

/// A parsed command line.
#[derive(Debug, PartialEq)]
pub enum Command {
    Progress {
        labs: Vec<String>,
        timeout: Duration,
    },
    Hint(hint::Args),
    Watch {
        lab: Option<String>,
        timeout: Duration,
    },
    Speed {
        labs: Vec<String>,
        rounds: usize,
        timeout: Duration,
    },
    Help,
}

/// Parses `args` (without the program's name) and runs the command; errors are printed.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let outcome = parse(args).and_then(|command| {
        let root = workspace::root();
        match command {
            Command::Progress { labs, timeout } => progress::run(&root, &labs, timeout),
            Command::Hint(args) => hint::run(&root, &args),
            Command::Watch { lab, timeout } => watch::run(&root, lab.as_deref(), timeout),
            Command::Speed {
                labs,
                rounds,
                timeout,
            } => speed::run(
                &root,
                &speed::Args {
                    labs,
                    rounds,
                    timeout,
                },
            ),
            Command::Help => {
                print!("{HELP}");
                Ok(())
            }
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Errors are for people: the message and its causes, no backtrace.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The command `args` ask for.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command> {
    let mut parser = lexopt::Parser::from_args(args);
    let name = match parser.next()? {
        Some(Value(name)) => name.string()?,
        Some(Short('h') | Long("help")) | None => return Ok(Command::Help),
        Some(other) => bail!("{} (expected a command)\n\n{HELP}", other.unexpected()),
    };
    let mut timeout = DEFAULT_TIMEOUT;
    let mut rounds = 5;
    let mut labs = Vec::new();
    let mut values = Vec::new();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("timeout") => timeout = parser.value()?.parse()?,
            Long("lab") if name == "progress" => labs.push(parser.value()?.string()?),
            Long("rounds") if name == "speed" => rounds = parser.value()?.parse()?,
            Short('h') | Long("help") => return Ok(Command::Help),
            Value(value) => values.push(value.string()?),
            other => return Err(other.unexpected().into()),
        }
    }
    let timeout = Duration::from_secs(timeout);
    let mut values = values.into_iter();
    let command = match name.as_str() {
        "progress" => Command::Progress { labs, timeout },
        "hint" => {
            let Some(lab) = values.next() else {
                bail!(
                    "`hint` needs a lab: cargo xtask hint <lab> [exercise] [n], e.g. cargo xtask hint 1"
                );
            };
            let exercise = values.next();
            let number = match values.next() {
                Some(n) => Some(
                    n.parse()
                        .map_err(|_| anyhow::anyhow!("the hint's number is 1, 2, …, not `{n}`"))?,
                ),
                None => None,
            };
            Command::Hint(hint::Args {
                lab,
                exercise,
                number,
                timeout,
            })
        }
        "watch" => Command::Watch {
            lab: values.next(),
            timeout,
        },
        "speed" => Command::Speed {
            labs: values.by_ref().collect(),
            rounds,
            timeout,
        },
        other => bail!("no command `{other}` here\n\n{HELP}"),
    };
    if let Some(extra) = values.next() {
        bail!("unexpected argument `{extra}` for `{name}`\n\n{HELP}");
    }
    Ok(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(line: &str) -> Result<Command> {
        parse(line.split_whitespace().map(OsString::from))
    }

    #[test]
    fn reads_each_command_with_its_arguments() {
        assert_eq!(
            parsed("progress --lab 1 --lab strides --timeout 5").unwrap(),
            Command::Progress {
                labs: vec!["1".into(), "strides".into()],
                timeout: Duration::from_secs(5),
            }
        );
        assert_eq!(
            parsed("hint 01-strides views 2").unwrap(),
            Command::Hint(hint::Args {
                lab: "01-strides".into(),
                exercise: Some("views".into()),
                number: Some(2),
                timeout: Duration::from_secs(DEFAULT_TIMEOUT),
            })
        );
        assert_eq!(
            parsed("watch").unwrap(),
            Command::Watch {
                lab: None,
                timeout: Duration::from_secs(DEFAULT_TIMEOUT),
            }
        );
        assert_eq!(
            parsed("speed 3 2 --rounds 7").unwrap(),
            Command::Speed {
                labs: vec!["3".into(), "2".into()],
                rounds: 7,
                timeout: Duration::from_secs(DEFAULT_TIMEOUT),
            }
        );
        assert_eq!(parsed("").unwrap(), Command::Help);
        assert_eq!(parsed("watch --help").unwrap(), Command::Help);
    }

    #[test]
    fn refuses_what_it_cannot_read_saying_why() {
        let error = |line: &str| format!("{:#}", parsed(line).unwrap_err());
        assert!(error("hint").contains("needs a lab"));
        assert!(error("hint 1 views two").contains("not `two`"));
        assert!(error("watch 1 2").contains("unexpected argument `2`"));
        assert!(error("grade").contains("no command `grade`"));
        assert!(error("watch --lab 1").contains("--lab"));
    }
}
