//! The structured interview: walks a case section by section, factor by
//! factor, then through the narratives, asking for each rating, the
//! evidence note and the sources, and saving every answer atomically the
//! moment it is given.
//!
//! The logic talks to a [`Prompter`], not to the terminal, so tests drive
//! it with scripted answers. Navigation commands (`:skip`, `:back`,
//! `:jump ID`, `:quit`, `:help`, `:edit`, and `:clear` at a text prompt)
//! are interpreted here, so every prompter behaves the same.
//!
//! An answer that changes nothing is not saved: every save adds a history
//! entry and turns a final case into an amended one, so merely walking
//! through a finished case must leave it as it was.

pub mod terminal;

use std::collections::BTreeSet;

use crate::case::check::check;
use crate::case::{EditSession, Source, SourceKind};
use crate::date::Date;
use crate::error::Result;
use crate::findings::Severity;
use crate::framework::{Factor, ModelColour, Section};
use crate::output::Style;

/// Input and output for the interview.
pub trait Prompter {
    /// Shows text to the assessor.
    fn say(&mut self, text: &str) -> Result<()>;
    /// Asks for one line; `None` at end of input.
    fn line(&mut self, prompt: &str) -> Result<Option<String>>;
    /// Opens an editor on `initial` and returns the edited text, or why
    /// there is none.
    fn edit(&mut self, initial: &str) -> Result<Edited>;
}

/// What came back from [`Prompter::edit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edited {
    /// The text as the editor left it.
    Text(String),
    /// No text to use; the message says why (and where any text was kept)
    /// for the assessor, and the interview asks for the item again.
    NotUsed(String),
}

/// A prompter fed from a list of lines, for tests and scripted mode.
#[derive(Debug, Default)]
pub struct ScriptedPrompter {
    /// Remaining input lines.
    pub input: std::collections::VecDeque<String>,
    /// Everything shown, prompts included.
    pub transcript: String,
}

impl ScriptedPrompter {
    /// A prompter that will answer with these lines, in order.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(lines: I) -> ScriptedPrompter {
        ScriptedPrompter {
            input: lines.into_iter().map(Into::into).collect(),
            transcript: String::new(),
        }
    }
}

impl Prompter for ScriptedPrompter {
    fn say(&mut self, text: &str) -> Result<()> {
        self.transcript.push_str(text);
        self.transcript.push('\n');
        Ok(())
    }

    fn line(&mut self, prompt: &str) -> Result<Option<String>> {
        self.transcript.push_str(prompt);
        let l = self.input.pop_front();
        if let Some(l) = &l {
            self.transcript.push_str(l);
        }
        self.transcript.push('\n');
        Ok(l)
    }

    fn edit(&mut self, _initial: &str) -> Result<Edited> {
        Ok(Edited::NotUsed(
            "No editor in a scripted interview; type the text instead.".into(),
        ))
    }
}

/// Which items to visit.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Start at this section.
    pub section: Option<String>,
    /// Only this factor.
    pub factor: Option<String>,
    /// Only items not yet complete.
    pub unrated: bool,
}

/// An item of the interview.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Factor(usize, usize),
    Narrative(usize),
}

/// How an item ended.
enum Flow {
    Next,
    Back,
    Jump(String),
    Quit,
}

/// What the assessor typed at a prompt.
enum Input {
    Text(String),
    Empty,
    Flow(Flow),
    Help,
    Edit,
}

const HELP: &str = "Commands at any prompt: Enter keeps the current answer · :skip next item · \
:back previous item · :jump ID go to a section, factor or narrative · :quit stop (answers are \
already saved) · :edit open $EDITOR for text · :clear empty an evidence note or narrative · \
:help this text";

fn parse_input(line: Option<String>) -> Input {
    let Some(line) = line else {
        return Input::Flow(Flow::Quit);
    };
    let t = line.trim();
    match t {
        "" => Input::Empty,
        ":skip" | ":s" | ":next" => Input::Flow(Flow::Next),
        ":back" | ":b" => Input::Flow(Flow::Back),
        ":quit" | ":q" | ":exit" => Input::Flow(Flow::Quit),
        ":help" | ":h" | "?" => Input::Help,
        ":edit" | ":e" => Input::Edit,
        _ => match t.strip_prefix(":jump ").or_else(|| t.strip_prefix(":j ")) {
            Some(id) => Input::Flow(Flow::Jump(id.trim().to_owned())),
            None => Input::Text(line.trim_end_matches(['\r', '\n']).to_owned()),
        },
    }
}

/// The interview over one case.
pub struct Interview<'a> {
    session: &'a mut EditSession,
    prompter: &'a mut dyn Prompter,
    style: Style,
    items: Vec<Item>,
}

impl<'a> Interview<'a> {
    /// Prepares an interview of `session` in `scope`.
    pub fn new(
        session: &'a mut EditSession,
        prompter: &'a mut dyn Prompter,
        style: Style,
        scope: &Scope,
    ) -> Result<Interview<'a>> {
        let fw = session.fw().clone();
        if let Some(f) = &scope.factor {
            crate::case::require_factor(&fw, f)?;
        }
        if let Some(s) = &scope.section
            && !fw.sections.iter().any(|x| &x.id == s)
        {
            let ids: Vec<&str> = fw.sections.iter().map(|x| x.id.as_str()).collect();
            return Err(crate::error::Error::invalid(
                format!("unknown section `{s}`"),
                format!("sections: {}", ids.join(", ")),
            ));
        }
        let mut items = Vec::new();
        let mut started = scope.section.is_none();
        for (si, s) in fw.sections.iter().enumerate() {
            if scope.section.as_deref() == Some(s.id.as_str()) {
                started = true;
            }
            for (fi, f) in s.factors.iter().enumerate() {
                if scope.factor.as_ref().is_none_or(|x| x == &f.id) && started {
                    items.push(Item::Factor(si, fi));
                }
            }
        }
        if scope.factor.is_none() {
            items.extend((0..fw.narratives.len()).map(Item::Narrative));
        }
        let mut iv = Interview {
            session,
            prompter,
            style,
            items,
        };
        if scope.unrated {
            let incomplete = iv.incomplete();
            let keep: Vec<bool> = iv
                .items
                .iter()
                .map(|i| incomplete.contains(&iv.key(i)))
                .collect();
            let mut flags = keep.into_iter();
            iv.items.retain(|_| flags.next().unwrap_or(false));
        }
        Ok(iv)
    }

    fn key(&self, item: &Item) -> String {
        let fw = self.session.fw();
        match item {
            Item::Factor(s, f) => format!("ratings.{}", fw.sections[*s].factors[*f].id),
            Item::Narrative(n) => format!("narratives.{}", fw.narratives[*n].id),
        }
    }

    /// Keys (`ratings.<id>`, `narratives.<id>`) of items with missing work.
    fn incomplete(&self) -> BTreeSet<String> {
        let c = check(&self.session.file, self.session.fw());
        c.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .filter_map(|f| {
                let mut parts = f.field.splitn(3, '.');
                let (a, b) = (parts.next()?, parts.next()?);
                matches!(a, "ratings" | "narratives").then(|| format!("{a}.{b}"))
            })
            .collect()
    }

    fn progress(&self) -> String {
        let fw = self.session.fw();
        let total = fw.factors().count() + fw.narratives.len();
        let open = self.incomplete().len();
        let done = total.saturating_sub(open);
        format!("Progress: {done} of {total} items complete (items done, not risk)")
    }

    /// Runs the interview until the end or `:quit`.
    pub fn run(&mut self) -> Result<()> {
        if self.items.is_empty() {
            self.prompter
                .say("Nothing to ask: every item in scope is complete.")?;
            return Ok(());
        }
        let incomplete = self.incomplete();
        let mut i = self
            .items
            .iter()
            .position(|it| incomplete.contains(&self.key(it)))
            .unwrap_or(0);
        if i > 0 {
            self.prompter.say(&format!(
                "Resuming at the first unfinished item ({} of {}).",
                i + 1,
                self.items.len()
            ))?;
        }
        self.prompter.say(HELP)?;
        while i < self.items.len() {
            let item = self.items[i].clone();
            let flow = match item {
                Item::Factor(s, f) => self.factor(s, f)?,
                Item::Narrative(n) => self.narrative(n)?,
            };
            match flow {
                Flow::Next => i += 1,
                Flow::Back => i = i.saturating_sub(1),
                Flow::Quit => {
                    self.prompter.say(&format!(
                        "Stopped. Every answer given has been saved. {}",
                        self.progress()
                    ))?;
                    return Ok(());
                }
                Flow::Jump(id) => match self.find(&id) {
                    Some(j) => i = j,
                    None => self
                        .prompter
                        .say(&format!("No item `{id}` in this interview."))?,
                },
            }
        }
        self.prompter.say(&format!(
            "End of the interview. {}\nNext: `spj check {}` and `spj render {}`.",
            self.progress(),
            self.session.file.path.display(),
            self.session.file.path.display()
        ))?;
        Ok(())
    }

    fn find(&self, id: &str) -> Option<usize> {
        let fw = self.session.fw();
        self.items.iter().position(|it| match it {
            Item::Factor(s, f) => fw.sections[*s].id == id || fw.sections[*s].factors[*f].id == id,
            Item::Narrative(n) => fw.narratives[*n].id == id,
        })
    }

    fn paint(&self, text: &str, colour: ModelColour) -> String {
        self.style.paint(text, colour)
    }

    fn ask(&mut self, prompt: &str) -> Result<Input> {
        loop {
            let input = parse_input(self.prompter.line(prompt)?);
            if let Input::Help = input {
                self.prompter.say(HELP)?;
                continue;
            }
            return Ok(input);
        }
    }

    fn factor(&mut self, si: usize, fi: usize) -> Result<Flow> {
        let fw = self.session.fw().clone();
        let section: &Section = &fw.sections[si];
        let factor: &Factor = &section.factors[fi];
        let colour = fw
            .model(&factor.model)
            .map_or(ModelColour::Grey, |m| m.colour);
        let model_label = fw
            .model(&factor.model)
            .map_or(factor.model.clone(), |m| m.label.clone());
        let mut intro = format!(
            "\n{}\n{}\n{} [{}] ({})\n{}\n",
            self.progress(),
            self.style.bold(&section.title),
            self.paint(&self.style.bold(&factor.label), colour),
            self.paint(&model_label, colour),
            factor.id,
            factor.description.trim()
        );
        if !factor.prompts.is_empty() {
            intro.push_str("Prompts:\n");
            for p in &factor.prompts {
                intro.push_str(&format!("  - {}\n", p.trim()));
            }
        }
        if !factor.guidance.trim().is_empty() {
            intro.push_str(&format!("Guidance: {}\n", factor.guidance.trim()));
        }
        self.prompter.say(&crate::output::wrap_lines(
            intro.trim_end(),
            usize::from(self.style.width),
        ))?;

        for dim in fw.factor_dimensions(factor) {
            loop {
                let rating = self
                    .session
                    .file
                    .case
                    .ratings
                    .entry(factor.id.clone())
                    .or_default()
                    .clone();
                let current = rating.code(&dim.id).map(str::to_owned);
                let required = fw.is_required(dim, |o| rating.code(o).map(str::to_owned));
                if !required && current.is_none() {
                    break;
                }
                let codes: Vec<String> = dim
                    .codes
                    .iter()
                    .map(|c| format!("{} {}", c.code, c.label))
                    .collect();
                let mut prompt = format!("{} ({})", dim.label, codes.join(" · "));
                if !required {
                    prompt.push_str(" [no longer applies: '-' clears it]");
                }
                if let Some(c) = &current {
                    prompt.push_str(&format!(" [current: {c}]"));
                }
                prompt.push_str(": ");
                match self.ask(&prompt)? {
                    Input::Flow(f) => return Ok(f),
                    Input::Empty | Input::Edit | Input::Help => break,
                    Input::Text(t) if t.trim() == "-" => {
                        if current.is_some() {
                            self.set_code(&factor.id, &dim.id, None)?;
                        }
                        break;
                    }
                    Input::Text(t) => match dim
                        .codes
                        .iter()
                        .find(|c| c.code.eq_ignore_ascii_case(t.trim()))
                    {
                        Some(c) => {
                            if current.as_deref() != Some(c.code.as_str()) {
                                self.set_code(&factor.id, &dim.id, Some(c.code.clone()))?;
                            }
                            break;
                        }
                        None => self.prompter.say(&format!(
                            "`{}` is not a code here; choose one of: {}",
                            t.trim(),
                            codes.join(", ")
                        ))?,
                    },
                }
            }
        }

        let current = self
            .session
            .file
            .case
            .ratings
            .get(&factor.id)
            .map(|r| r.evidence.clone())
            .unwrap_or_default();
        match self.text("Evidence note", &current)? {
            TextOutcome::Flow(f) => return Ok(f),
            TextOutcome::Keep => {}
            TextOutcome::Set(t) => {
                self.session
                    .file
                    .case
                    .ratings
                    .entry(factor.id.clone())
                    .or_default()
                    .evidence = t;
                self.session
                    .save(&format!("interview {} evidence", factor.id))?;
            }
        }
        if let Some(f) = self.sources(&factor.id)? {
            return Ok(f);
        }
        Ok(Flow::Next)
    }

    fn set_code(&mut self, factor: &str, dim: &str, code: Option<String>) -> Result<()> {
        let r = self
            .session
            .file
            .case
            .ratings
            .entry(factor.to_owned())
            .or_default();
        r.rating.insert(dim.to_owned(), code.clone());
        self.session.save(&format!(
            "interview {factor} {dim}={}",
            code.as_deref().unwrap_or("-")
        ))
    }

    fn text(&mut self, what: &str, current: &str) -> Result<TextOutcome> {
        if current.trim().is_empty() {
            self.prompter.say(&format!("{what}: none yet."))?;
        } else {
            self.prompter
                .say(&format!("{what} (current):\n{}", indent(current)))?;
        }
        self.prompter.say(
            "Type the text; finish with a line holding only '.'. Enter or '.' on the first line \
             keeps the current text; :clear empties it; :edit opens your editor.",
        )?;
        let mut lines: Vec<String> = Vec::new();
        loop {
            let prompt = if lines.is_empty() { "> " } else { "| " };
            let raw = self.prompter.line(prompt)?;
            // Navigation is honoured only on the first line, so evidence
            // text can itself start with a colon.
            if lines.is_empty() {
                match raw.as_deref().map(str::trim) {
                    // Finishing before typing anything is taken as "no
                    // change": replacing a note with nothing on one
                    // keystroke is too easy a way to lose it.
                    Some(".") => return Ok(TextOutcome::Keep),
                    Some(":clear") => {
                        let outcome = changed(current, String::new());
                        if let TextOutcome::Set(_) = outcome {
                            self.prompter.say(&format!("{what}: cleared."))?;
                        }
                        return Ok(outcome);
                    }
                    _ => {}
                }
                match parse_input(raw.clone()) {
                    Input::Flow(f) => return Ok(TextOutcome::Flow(f)),
                    Input::Empty => return Ok(TextOutcome::Keep),
                    Input::Help => {
                        self.prompter.say(HELP)?;
                        continue;
                    }
                    Input::Edit => match self.prompter.edit(current)? {
                        Edited::Text(t) => return Ok(changed(current, t)),
                        Edited::NotUsed(why) => {
                            // Asked again: the assessor can retry, type
                            // the text, or move on.
                            self.prompter.say(&why)?;
                            continue;
                        }
                    },
                    Input::Text(_) => {}
                }
            }
            match raw {
                None => break,
                Some(l) if l.trim_end() == "." => break,
                Some(l) => lines.push(l.trim_end_matches(['\r', '\n']).to_owned()),
            }
        }
        Ok(changed(current, lines.join("\n")))
    }

    /// Asks which sources to add to (or remove from) the rating. Ids are
    /// added, as `spj record --source` adds, rather than replacing the
    /// list: typing one new id must not silently drop the others. `-ID`
    /// removes one, as `--remove-source` does.
    fn sources(&mut self, factor: &str) -> Result<Option<Flow>> {
        loop {
            let case = &self.session.file.case;
            let current = case
                .ratings
                .get(factor)
                .map(|r| r.sources.clone())
                .unwrap_or_default();
            let mut register = String::from("Sources register:");
            if case.sources.is_empty() {
                register.push_str(" empty.");
            }
            for s in &case.sources {
                register.push_str(&format!(
                    "\n  {} ({}) {}",
                    s.id,
                    s.kind.as_str(),
                    s.description
                ));
            }
            self.prompter.say(&register)?;
            let prompt = format!(
                "Sources for this rating [current: {}]; ids to add (separated by spaces), \
                 -ID removes one, '+' registers a new source, Enter keeps the list: ",
                if current.is_empty() {
                    "none".to_owned()
                } else {
                    current.join(" ")
                }
            );
            match self.ask(&prompt)? {
                Input::Flow(f) => return Ok(Some(f)),
                Input::Empty | Input::Edit | Input::Help => return Ok(None),
                Input::Text(t) if t.trim() == "+" => {
                    if let Some(f) = self.add_source()? {
                        return Ok(Some(f));
                    }
                }
                Input::Text(t) => {
                    let mut add: Vec<String> = Vec::new();
                    let mut remove: Vec<String> = Vec::new();
                    for word in t.split([' ', ',']).filter(|s| !s.is_empty()) {
                        match word.strip_prefix('-') {
                            Some(id) if !id.is_empty() => remove.push(id.to_owned()),
                            _ => add.push(word.to_owned()),
                        }
                    }
                    let registered = &self.session.file.case.sources;
                    let unknown: Vec<&str> = add
                        .iter()
                        .filter(|id| !registered.iter().any(|s| &s.id == *id))
                        .map(String::as_str)
                        .collect();
                    if !unknown.is_empty() {
                        self.prompter.say(&format!(
                            "Not in the register: {}. Use '+' to add a source.",
                            unknown.join(", ")
                        ))?;
                        continue;
                    }
                    if let Some(id) = remove.iter().find(|id| !current.contains(id)) {
                        self.prompter.say(&format!(
                            "`{id}` is not among this rating's sources, so there is nothing to \
                             remove; nothing was changed."
                        ))?;
                        continue;
                    }
                    let mut ids = current.clone();
                    for id in add {
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                    ids.retain(|id| !remove.contains(id));
                    if ids == current {
                        return Ok(None);
                    }
                    self.session
                        .file
                        .case
                        .ratings
                        .entry(factor.to_owned())
                        .or_default()
                        .sources = ids.clone();
                    self.session
                        .save(&format!("interview {factor} sources={}", ids.join(",")))?;
                    self.prompter.say(&format!(
                        "Sources for this rating now: {}.",
                        if ids.is_empty() {
                            "none".to_owned()
                        } else {
                            ids.join(" ")
                        }
                    ))?;
                    return Ok(None);
                }
            }
        }
    }

    fn add_source(&mut self) -> Result<Option<Flow>> {
        let kinds: Vec<&str> = SourceKind::ALL.iter().map(|k| k.as_str()).collect();
        let kind = loop {
            match self.ask(&format!("Kind ({}): ", kinds.join(", ")))? {
                Input::Flow(f) => return Ok(Some(f)),
                Input::Text(t) => match SourceKind::ALL
                    .iter()
                    .find(|k| k.as_str() == t.trim().to_lowercase())
                {
                    Some(k) => break *k,
                    None => self.prompter.say("Choose one of the kinds listed.")?,
                },
                _ => return Ok(None),
            }
        };
        let description = loop {
            match self.ask("Description (no identifying details): ")? {
                Input::Flow(f) => return Ok(Some(f)),
                Input::Text(t) if !t.trim().is_empty() => break t.trim().to_owned(),
                _ => self.prompter.say("A description is needed.")?,
            }
        };
        let date = loop {
            match self.ask("Date (YYYY-MM-DD, Enter for none): ")? {
                Input::Flow(f) => return Ok(Some(f)),
                Input::Text(t) => match t.trim().parse::<Date>() {
                    Ok(d) => break Some(d),
                    Err(e) => self.prompter.say(&e)?,
                },
                _ => break None,
            }
        };
        let hours = loop {
            match self.ask("Hours (Enter for none): ")? {
                Input::Flow(f) => return Ok(Some(f)),
                Input::Text(t) => match t.trim().parse::<f64>() {
                    Ok(h) if h.is_finite() && h > 0.0 && h <= 1000.0 => break Some(h),
                    _ => self
                        .prompter
                        .say("Give hours as a positive number, for example 1.5.")?,
                },
                _ => break None,
            }
        };
        let id = crate::case::next_source_id(&self.session.file.case);
        self.session.file.case.sources.push(Source {
            id: id.clone(),
            kind,
            description,
            date,
            hours,
        });
        self.session.save(&format!("interview source add {id}"))?;
        self.prompter.say(&format!("Added source {id}."))?;
        Ok(None)
    }

    fn narrative(&mut self, ni: usize) -> Result<Flow> {
        let n = self.session.fw().narratives[ni].clone();
        let mut intro = format!(
            "\n{}\n{} ({})\n",
            self.progress(),
            self.style.bold(&n.title),
            n.id
        );
        for p in &n.prompts {
            intro.push_str(&format!("  - {}\n", p.trim()));
        }
        if !n.guidance.trim().is_empty() {
            intro.push_str(&format!("Guidance: {}\n", n.guidance.trim()));
        }
        self.prompter.say(&crate::output::wrap_lines(
            intro.trim_end(),
            usize::from(self.style.width),
        ))?;
        let current = self
            .session
            .file
            .case
            .narratives
            .get(&n.id)
            .cloned()
            .unwrap_or_default();
        match self.text(&n.title, &current)? {
            TextOutcome::Flow(f) => Ok(f),
            TextOutcome::Keep => Ok(Flow::Next),
            TextOutcome::Set(t) => {
                self.session.file.case.narratives.insert(n.id.clone(), t);
                self.session
                    .save(&format!("interview narrative {}", n.id))?;
                Ok(Flow::Next)
            }
        }
    }
}

enum TextOutcome {
    Flow(Flow),
    Keep,
    Set(String),
}

/// `Set` only if `new` differs from `current` other than in trailing
/// whitespace: editors add a final newline, and saving text that has not
/// really changed would still add a history entry and amend a final case.
fn changed(current: &str, new: String) -> TextOutcome {
    let new = new.trim_end();
    if new == current.trim_end() {
        TextOutcome::Keep
    } else {
        TextOutcome::Set(new.to_owned())
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
