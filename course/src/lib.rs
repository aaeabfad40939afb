//! The students' commands for the labs, and what they share with the instructor's `xtask`.
//!
//! - `cargo xtask progress`: which exercises pass, and what to do next ([`progress`]).
//! - `cargo xtask hint <lab> [exercise] [n]`: a hint for the next exercise ([`hint`]).
//! - `cargo xtask watch [lab]`: reruns the current exercise's tests on every save ([`watch`]).
//! - `cargo xtask speed [lab]`: times the kernels whose speed counts ([`speed`]).
//!
//! In the student handout `cargo xtask` runs this crate's binary (`.cargo/config.toml`); in the
//! instructor's tree it runs xtask, which forwards these commands here ([`cli::run`]).

pub mod cargo;
pub mod cli;
pub mod floor;
pub mod hint;
pub mod junit;
pub mod libtest;
pub mod process;
pub mod progress;
pub mod python;
pub mod report;
pub mod speed;
pub mod testrun;
pub mod ui;
pub mod watch;
pub mod workspace;
