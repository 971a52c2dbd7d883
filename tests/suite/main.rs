//! The integration suite: one test binary, one module per feature. Tests run
//! the real `spj` binary in a temporary folder and compare its exact output
//! (with temporary paths masked) against reviewed insta snapshots.

mod case;
mod check;
mod cli;
mod common;
mod escaping;
mod examples;
mod framework;
mod hostile;
mod interview;
mod render;
