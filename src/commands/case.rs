//! `spj new`, `record`, `source`, `narrative set`, `status` and `migrate`:
//! the commands that create and change case files.

use std::io::IsTerminal;
use std::path::Path;

use crate::case::{self, CaseStatus, Comments, EditSession, NewCase, Source};
use crate::cli::{
    MigrateCommand, NarrativeCommand, NewCommand, RecordCommand, SourceCommand, StatusArg,
    StatusCommand,
};
use crate::commands::Ctx;
use crate::date::Date;
use crate::error::{Error, IoContext, Result};
use crate::exit;
use crate::output::Format;

fn comments(drop: bool) -> Comments {
    if drop { Comments::Drop } else { Comments::Keep }
}

fn parse_date(flag: &str, s: &str) -> Result<Date> {
    s.parse()
        .map_err(|e: String| Error::invalid(format!("{flag}: {e}"), "write dates as YYYY-MM-DD"))
}

/// Reads text from a file, or standard input for `-` (with a prompt when it
/// is a terminal). Empty text is refused: an empty pipe or a mistaken file
/// must not silently wipe an assessor's words; clearing takes an explicit
/// `--text ""` or `--evidence ""`.
pub fn read_input(path: &Path, clear_hint: &str) -> Result<String> {
    let stdin = path == Path::new("-");
    let shown = if stdin { Path::new("<stdin>") } else { path };
    let too_large = || {
        Error::invalid(
            format!(
                "`{}` is larger than {} MiB",
                shown.display(),
                crate::yaml::MAX_FILE_BYTES / (1024 * 1024)
            ),
            "a narrative or evidence note this long belongs in a separate document; cite it as a source",
        )
    };
    let bytes = if stdin {
        if std::io::stdin().is_terminal() {
            eprintln!("Type the text, then press Ctrl-D on a new line to finish.");
        }
        crate::yaml::read_capped(std::io::stdin().lock(), shown, too_large)?
    } else {
        let file = std::fs::File::open(path).ctx("read", path)?;
        crate::yaml::read_capped(file, shown, too_large)?
    };
    let text = crate::yaml::decode(shown, bytes)?.replace("\r\n", "\n");
    if text.trim().is_empty() {
        return Err(Error::invalid(
            format!("`{}` holds no text; nothing was changed", shown.display()),
            clear_hint,
        ));
    }
    Ok(text)
}

/// `spj new`
pub fn new(c: NewCommand, ctx: &mut Ctx) -> Result<i32> {
    let opts = NewCase {
        reference: c.reference,
        subject: c.subject,
        assessor: c.assessor,
        report_date: c
            .report_date
            .as_deref()
            .map(|d| parse_date("--report-date", d))
            .transpose()?,
    };
    let registry = ctx.registry()?;
    let fw = registry.resolve(&c.framework)?;
    // A framework named by path is used once; later commands find the
    // case's framework through the framework folders only.
    let findable = registry.pinned(
        &case::FrameworkPin {
            id: fw.framework.id.clone(),
            version: fw.framework.version.clone(),
            sha256: fw.sha256.clone(),
        },
        &c.case,
    );
    let case = case::create(&c.case, &fw, &opts)?;
    if findable.is_err() {
        let folder = match &fw.origin {
            crate::framework::Origin::File(p) => crate::fsio::parent_dir(p).display().to_string(),
            crate::framework::Origin::Bundled(_) => "its folder".into(),
        };
        ctx.warn(&format!(
            "{} is not in a framework folder, so other commands will not find it; add \
             `--frameworks {folder}` to them, set SPJ_FRAMEWORKS, or copy the file into \
             `frameworks/`",
            fw.label()
        ));
    }
    ctx.note(&format!(
        "created `{}` against {} ({} factors, {} narratives); next: `spj interview {}`",
        c.case.display(),
        fw.label(),
        case.ratings.len(),
        case.narratives.len(),
        c.case.display()
    ));
    Ok(exit::OK)
}

/// `spj record`
pub fn record(c: RecordCommand, ctx: &mut Ctx) -> Result<i32> {
    // Check every argument before taking the lock or touching the file.
    let mut wanted: Vec<(String, String)> = Vec::new();
    if let Some(p) = &c.presence {
        wanted.push(("presence".into(), p.clone()));
    }
    if let Some(r) = &c.relevance {
        wanted.push(("relevance".into(), r.clone()));
    }
    for r in &c.rate {
        let (d, code) = r.split_once('=').ok_or_else(|| {
            Error::invalid(
                format!("--rate `{r}` is not DIMENSION=CODE"),
                "for example --rate presence=Y",
            )
        })?;
        wanted.push((d.trim().to_owned(), code.trim().to_owned()));
    }
    let evidence = match (&c.evidence, &c.evidence_file) {
        (Some(t), _) => Some(t.replace("\r\n", "\n")),
        (None, Some(f)) => Some(read_input(
            f,
            "to clear the evidence note, pass --evidence \"\"",
        )?),
        _ => None,
    };
    if wanted.is_empty()
        && evidence.is_none()
        && c.sources.is_empty()
        && c.clear.is_empty()
        && c.remove_sources.is_empty()
    {
        return Err(Error::invalid(
            "nothing to record",
            "give --presence, --relevance, --rate, --evidence, --evidence-file or --source",
        ));
    }
    let registry = ctx.registry()?;
    let mut s = EditSession::open(&c.case, registry, comments(c.drop_comments))?;
    let fw = s.fw().clone();
    let factor = case::require_factor(&fw, &c.factor)?;
    let mut codes = Vec::new();
    for (dim, code) in &wanted {
        codes.push((dim.clone(), case::require_code(&fw, factor, dim, code)?));
    }
    for dim in &c.clear {
        if !fw.factor_dimensions(factor).any(|d| &d.id == dim) {
            return Err(Error::invalid(
                format!("factor `{}` is not rated on `{dim}`", factor.id),
                "see `spj framework show`",
            ));
        }
    }
    case::require_sources(&s.file.case, &c.sources)?;
    let rating = s.file.case.ratings.entry(factor.id.clone()).or_default();
    let mut action = vec![format!("record {}", factor.id)];
    for (dim, code) in codes {
        action.push(format!("{dim}={code}"));
        rating.rating.insert(dim, Some(code));
    }
    for dim in &c.clear {
        action.push(format!("{dim} cleared"));
        rating.rating.insert(dim.clone(), None);
    }
    if let Some(e) = evidence {
        rating.evidence = e;
        action.push("evidence".into());
    }
    for id in &c.sources {
        if !rating.sources.contains(id) {
            rating.sources.push(id.clone());
        }
    }
    rating.sources.retain(|x| !c.remove_sources.contains(x));
    if !c.sources.is_empty() || !c.remove_sources.is_empty() {
        action.push(format!("sources={}", rating.sources.join(",")));
    }
    s.save(&action.join(" "))?;
    let msg = format!("recorded `{}` in `{}`", factor.id, c.case.display());
    ctx.note(&msg);
    Ok(exit::OK)
}

/// `spj source add|list`
pub fn source(c: SourceCommand, ctx: &mut Ctx) -> Result<i32> {
    match c {
        SourceCommand::Add(a) => {
            let date = a
                .date
                .as_deref()
                .map(|d| parse_date("--date", d))
                .transpose()?;
            if let Some(h) = a.hours
                && !(h.is_finite() && h > 0.0 && h <= 1000.0)
            {
                return Err(Error::invalid(
                    format!("--hours {h} is not a sensible duration"),
                    "give hours as a positive number, for example 2.5",
                ));
            }
            if a.description.trim().is_empty() {
                return Err(Error::invalid(
                    "the description is empty",
                    "describe the source without identifying anyone",
                ));
            }
            let registry = ctx.registry()?;
            let mut s = EditSession::open(&a.case, registry, comments(a.drop_comments))?;
            let id = match a.id {
                Some(id) => {
                    if id.trim().is_empty() || id.contains(char::is_whitespace) {
                        return Err(Error::invalid(
                            format!("`{id}` is not a usable source id"),
                            "use a short id without spaces, for example S4",
                        ));
                    }
                    if s.file.case.sources.iter().any(|x| x.id == id) {
                        return Err(Error::invalid(
                            format!("source `{id}` already exists"),
                            "choose another id, or leave --id out",
                        ));
                    }
                    id
                }
                None => case::next_source_id(&s.file.case),
            };
            s.file.case.sources.push(Source {
                id: id.clone(),
                kind: a.kind.into(),
                description: a.description,
                date,
                hours: a.hours,
            });
            s.save(&format!("source add {id}"))?;
            ctx.print(&format!("{id}\n"))?;
            Ok(exit::OK)
        }
        SourceCommand::List(l) => {
            let cf = case::CaseFile::load(&l.case)?;
            let text = match l.format {
                Format::Json => crate::output::json(&cf.case.sources),
                _ => {
                    let mut t = ctx.style.table();
                    t.set_header(vec!["Id", "Kind", "Description", "Date", "Hours"]);
                    for s in &cf.case.sources {
                        t.add_row(vec![
                            s.id.clone(),
                            s.kind.as_str().to_owned(),
                            s.description.clone(),
                            s.date.map(|d| d.to_string()).unwrap_or_default(),
                            s.hours.map(|h| h.to_string()).unwrap_or_default(),
                        ]);
                    }
                    format!("{t}\n")
                }
            };
            ctx.print(&text)?;
            Ok(exit::OK)
        }
    }
}

const CLEAR_NARRATIVE: &str = "to clear the narrative, pass --text \"\"";

/// `spj narrative set`
pub fn narrative(c: NarrativeCommand, ctx: &mut Ctx) -> Result<i32> {
    let NarrativeCommand::Set(n) = c;
    let text = match (&n.text, &n.file) {
        (Some(t), _) => t.replace("\r\n", "\n"),
        (None, Some(f)) => read_input(f, CLEAR_NARRATIVE)?,
        (None, None) => read_input(Path::new("-"), CLEAR_NARRATIVE)?,
    };
    let registry = ctx.registry()?;
    let mut s = EditSession::open(&n.case, registry, comments(n.drop_comments))?;
    if !s.fw().narratives.iter().any(|x| x.id == n.id) {
        let ids: Vec<&str> = s.fw().narratives.iter().map(|x| x.id.as_str()).collect();
        let hint = match case::closest(&n.id, ids.iter().copied()) {
            Some(c) => format!("did you mean `{c}`? narratives: {}", ids.join(", ")),
            None => format!("narratives: {}", ids.join(", ")),
        };
        return Err(Error::invalid(
            format!("unknown narrative `{}`", n.id),
            hint,
        ));
    }
    s.file.case.narratives.insert(n.id.clone(), text);
    s.save(&format!("narrative set {}", n.id))?;
    ctx.note(&format!(
        "wrote narrative `{}` in `{}`",
        n.id,
        n.case.display()
    ));
    Ok(exit::OK)
}

/// `spj status`
pub fn status(c: StatusCommand, ctx: &mut Ctx) -> Result<i32> {
    let registry = ctx.registry()?;
    let mut s = EditSession::open(&c.case, registry, comments(c.drop_comments))?;
    let new = match c.status {
        StatusArg::Draft => CaseStatus::Draft,
        StatusArg::Final => CaseStatus::Final,
        StatusArg::Amended => CaseStatus::Amended,
    };
    if new == CaseStatus::Final {
        let checked = crate::case::check::check(&s.file, &s.framework.framework);
        if checked.problems() > 0 {
            return Err(Error::invalid(
                format!(
                    "`{}` cannot be marked final: {} problem(s) remain",
                    c.case.display(),
                    checked.problems()
                ),
                format!(
                    "run `spj check {}` and complete the missing work first",
                    c.case.display()
                ),
            ));
        }
    }
    s.file.case.status = new;
    s.save(&format!("status {}", new.as_str()))?;
    ctx.note(&format!("`{}` is now {}", c.case.display(), new.as_str()));
    Ok(exit::OK)
}

/// `spj migrate`
pub fn migrate(c: MigrateCommand, ctx: &mut Ctx) -> Result<i32> {
    let registry = ctx.registry()?;
    // The target depends on where the case is pinned, so it is resolved from
    // the case as read under the lock.
    let mut s =
        EditSession::open_unpinned(&c.case, comments(c.drop_comments || c.dry_run), |cf| {
            let pin = &cf.case.framework;
            let spec = if c.to.contains('@') || c.to.contains('/') || c.to.ends_with(".yaml") {
                c.to.clone()
            } else {
                format!("{}@{}", pin.id, c.to)
            };
            registry.resolve(&spec)
        })?;
    let target = s.framework.clone();
    let pin = s.file.case.framework.clone();
    // Answers move by id, so the version the case was recorded against need
    // not be at hand: migrate is the way out when it is gone or was changed.
    let original = registry.pinned(&pin, &c.case);
    let from = format!("{}@{}", pin.id, pin.version);
    if target.framework.id != pin.id {
        return Err(Error::invalid(
            format!(
                "`{}` is a different framework from the case's `{}`",
                target.label(),
                pin.id
            ),
            "migrate moves a case between versions of the same framework",
        ));
    }
    if target.sha256 == pin.sha256 && target.framework.version == pin.version {
        ctx.note(&format!(
            "`{}` is already on {}",
            c.case.display(),
            target.label()
        ));
        return Ok(exit::OK);
    }
    if let Err(e) = original {
        ctx.warn(&format!(
            "the framework the case was recorded against is not usable ({e}); answers are \
             carried over by id"
        ));
    }
    let m = crate::case::migrate::migrate(&s.file.case, &target);
    let text = match c.format {
        Format::Json => crate::output::json(&serde_json::json!({
            "from": from,
            "to": target.label(),
            "dry_run": c.dry_run,
            "outcomes": m.outcomes,
        })),
        _ => {
            let mut t = ctx.style.table();
            t.set_header(vec!["Item", "Outcome", "Reason"]);
            crate::output::keep_whole(&mut t, &[0, 1]);
            for o in &m.outcomes {
                t.add_row(vec![o.item.clone(), o.outcome.to_owned(), o.reason.clone()]);
            }
            format!("{from} → {}\n{t}\n", target.label())
        }
    };
    let retired = m.retired();
    if c.dry_run {
        ctx.print(&text)?;
        ctx.note("dry run: nothing was written");
        return Ok(exit::OK);
    }
    // Saved before the report is printed, so a closed output cannot leave a
    // migration reported but not written.
    s.file.case = m.case;
    s.save(&format!("migrate {from} -> {}", target.label()))?;
    ctx.print(&text)?;
    if retired > 0 {
        ctx.warn(&format!(
            "{retired} answer(s) could not move and are kept under `retired` in `{}` for review",
            c.case.display()
        ));
    }
    ctx.note(&format!(
        "migrated `{}` to {}",
        c.case.display(),
        target.label()
    ));
    Ok(exit::OK)
}
