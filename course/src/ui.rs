//! What the user sees while steps run: a spinner with the current step in a terminal, plain
//! lines elsewhere (CI logs have no use for redraws).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::report::Tally;

pub struct Ui {
    bar: Option<ProgressBar>,
    total: usize,
    index: usize,
    started: Instant,
}

impl Ui {
    pub fn new(total: usize) -> Ui {
        let bar = std::io::stdout().is_terminal().then(|| {
            let bar = ProgressBar::new(total as u64);
            let style = ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg} ({elapsed})")
                .expect("the template is valid");
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Ui {
            bar,
            total,
            index: 0,
            started: Instant::now(),
        }
    }

    pub fn start(&mut self, what: &str) {
        self.index += 1;
        self.started = Instant::now();
        match &self.bar {
            Some(bar) => {
                bar.set_position(self.index as u64 - 1);
                bar.set_message(what.to_string());
            }
            None => println!("[{}/{}] {what} ...", self.index, self.total),
        }
    }

    /// One line per finished step, above the spinner.
    pub fn finish(&self, what: &str, tally: &Tally) {
        let mark = if tally.failures.is_empty() {
            "✔"
        } else {
            "✗"
        };
        let mut line = format!(
            "{mark} [{}/{}] {what}: {} passed",
            self.index, self.total, tally.passed
        );
        if !tally.failures.is_empty() {
            line += &format!(", {} failed", tally.failures.len());
        }
        line += &format!(" ({:.1} s)", self.started.elapsed().as_secs_f64());
        self.println(&line);
    }

    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| println!("{line}")),
            None => println!("{line}"),
        }
    }

    /// Runs `f` with the spinner hidden, for work that prints its own progress.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub fn done(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
