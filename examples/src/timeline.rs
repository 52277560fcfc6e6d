//! `Timeline`: the numbered steps the examples print, with indented details under each.

use std::io::{self, Write};

/// Writes `N. what happened` lines and indented details to `out`.
#[derive(Debug)]
pub struct Timeline<'a, W: Write + ?Sized> {
    out: &'a mut W,
    step: u32,
}

impl<'a, W: Write + ?Sized> Timeline<'a, W> {
    /// A timeline on `out`, starting at step 1.
    pub fn new(out: &'a mut W) -> Self {
        Self { out, step: 0 }
    }

    /// Prints the next numbered step.
    pub fn step(&mut self, text: impl std::fmt::Display) -> io::Result<()> {
        self.step += 1;
        writeln!(self.out, "{}. {text}", self.step)
    }

    /// Prints a detail of the current step.
    pub fn detail(&mut self, text: impl std::fmt::Display) -> io::Result<()> {
        writeln!(self.out, "   {text}")
    }

    /// Prints an unnumbered line.
    pub fn line(&mut self, text: impl std::fmt::Display) -> io::Result<()> {
        writeln!(self.out, "{text}")
    }
}
