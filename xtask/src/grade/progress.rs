//! What the instructor sees while grading: in a terminal, a bar across all labs of all
//! submissions and a line per worker saying what it does; elsewhere (CI logs, pipes) one line
//! per finished submission. Silent when disabled (the golden tests).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use super::model::{SubmissionGrade, show};

pub struct Progress {
    enabled: bool,
    bars: Option<Bars>,
    submissions: usize,
    finished: AtomicUsize,
}

struct Bars {
    multi: MultiProgress,
    main: ProgressBar,
    workers: Vec<ProgressBar>,
}

impl Progress {
    /// `submissions` with `labs` labs each, graded by `workers` workers.
    pub fn new(enabled: bool, submissions: usize, labs: usize, workers: usize) -> Progress {
        let total = submissions * labs;
        let bars = (enabled && std::io::stdout().is_terminal()).then(|| {
            let multi = MultiProgress::new();
            let main = multi.add(ProgressBar::new(total as u64));
            main.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} labs graded ({elapsed})")
                    .expect("the template is valid"),
            );
            let workers = (0..workers)
                .map(|index| {
                    let bar = multi.add(ProgressBar::new_spinner());
                    bar.set_style(
                        ProgressStyle::with_template("{spinner} {prefix}: {msg}")
                            .expect("the template is valid"),
                    );
                    bar.set_prefix(format!("worker {}", index + 1));
                    bar.set_message("waiting for the warm-up");
                    bar.enable_steady_tick(Duration::from_millis(120));
                    bar
                })
                .collect();
            Bars {
                multi,
                main,
                workers,
            }
        });
        Progress {
            enabled,
            bars,
            submissions,
            finished: AtomicUsize::new(0),
        }
    }

    pub fn note(&self, line: &str) {
        self.println(line);
    }

    pub fn working(&self, worker: usize, what: &str) {
        if let Some(bar) = self.bars.as_ref().and_then(|bars| bars.workers.get(worker)) {
            bar.set_message(what.to_string());
        }
    }

    pub fn lab_done(&self) {
        if let Some(bars) = &self.bars {
            bars.main.inc(1);
        }
    }

    pub fn submission_done(&self, grade: &SubmissionGrade) {
        let done = self.finished.fetch_add(1, Ordering::SeqCst) + 1;
        self.println(&format!(
            "[{done}/{}] {}: {} / {} ({}, {:.1} s)",
            self.submissions,
            grade.name,
            show(grade.points),
            show(grade.max),
            grade.summary(),
            grade.seconds
        ));
    }

    fn println(&self, line: &str) {
        match &self.bars {
            Some(bars) => {
                let _ = bars.multi.println(line);
            }
            None if self.enabled => println!("{line}"),
            None => {}
        }
    }

    pub fn done(&self) {
        if let Some(bars) = &self.bars {
            for bar in &bars.workers {
                bar.finish_and_clear();
            }
            bars.main.finish_and_clear();
            let _ = bars.multi.clear();
        }
    }
}
