//! Terminal output: colour decisions, the model colours, and table styling
//! shared by every command that prints a table.

use std::io::IsTerminal;

use clap::ValueEnum;
use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use serde::Serialize;

use crate::framework::ModelColour;

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always colour, even when piped.
    Always,
    /// Never colour.
    Never,
}

/// Output settings resolved once per run from flags and environment.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Whether escape codes may be written to standard output.
    pub color: bool,
    /// Table width in columns.
    pub width: u16,
    /// Suppress informational messages.
    pub quiet: bool,
}

impl Style {
    /// Resolves colour from the flag, `NO_COLOR` and whether stdout is a
    /// terminal; width from the terminal or `COLUMNS`, else 80.
    pub fn resolve(choice: ColorChoice, quiet: bool) -> Style {
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<u16>().ok())
            .filter(|w| *w >= 40)
            .or_else(|| {
                if tty {
                    comfy_table::Table::new().width()
                } else {
                    None
                }
            })
            .unwrap_or(80);
        Style {
            color,
            width,
            quiet,
        }
    }

    /// A plain style for tests: no colour, 80 columns.
    pub fn plain() -> Style {
        Style {
            color: false,
            width: 80,
            quiet: false,
        }
    }

    /// A new table in the house style.
    pub fn table(&self) -> Table {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(self.width);
        if self.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        t
    }

    /// Wraps text in an ANSI colour when colour is on.
    pub fn paint(&self, text: &str, colour: ModelColour) -> String {
        if !self.color {
            return text.to_owned();
        }
        let code = match colour {
            ModelColour::Orange => "38;5;208",
            ModelColour::Green => "38;5;35",
            ModelColour::Blue => "38;5;33",
            ModelColour::Grey => "38;5;245",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// Bold text when colour is on.
    pub fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// Wraps text at word boundaries to `width` columns, indenting continuation
/// lines.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let limit = if lines.is_empty() {
            width
        } else {
            width.saturating_sub(indent.chars().count())
        };
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > limit {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    lines.push(cur);
    let mut out = lines.remove(0);
    for l in lines {
        out.push('\n');
        out.push_str(indent);
        out.push_str(&l);
    }
    out
}

/// Wraps every line of `text` separately (keeping its line breaks),
/// indenting continuations to line up after a leading list marker.
pub fn wrap_lines(text: &str, width: usize) -> String {
    text.lines()
        .map(|line| {
            let lead = line.len() - line.trim_start().len();
            let marker = if line.trim_start().starts_with("- ") {
                2
            } else {
                0
            };
            let indent = " ".repeat(lead + marker);
            format!(
                "{}{}",
                &line[..lead],
                wrap(line.trim_start(), width.saturating_sub(lead), &indent)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Keeps the given columns at their content's width, so short words and
/// ids never break across lines; the other columns wrap instead.
pub fn keep_whole(t: &mut Table, columns: &[usize]) {
    for &i in columns {
        if let Some(c) = t.column_mut(i) {
            c.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
        }
    }
}

/// A comfy-table cell coloured for a model.
pub fn model_cell(text: &str, colour: ModelColour) -> Cell {
    Cell::new(text).fg(table_colour(colour))
}

fn table_colour(colour: ModelColour) -> Color {
    match colour {
        ModelColour::Orange => Color::AnsiValue(208),
        ModelColour::Green => Color::AnsiValue(35),
        ModelColour::Blue => Color::AnsiValue(33),
        ModelColour::Grey => Color::AnsiValue(245),
    }
}

/// Output formats for read commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// A table for people.
    #[default]
    Table,
    /// JSON for scripts (a stable, documented shape).
    Json,
    /// Markdown, for pasting into documents.
    Markdown,
}

/// Pretty JSON with a trailing newline.
pub fn json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
    s.push('\n');
    s
}
