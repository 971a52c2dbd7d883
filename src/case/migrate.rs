//! `spj migrate`: move a case to another version of its framework, carrying
//! answers over by stable id. Whatever cannot move is kept verbatim in the
//! case's `retired` list and reported; nothing is dropped silently (the
//! failure users of form tools report when old answers meet a new form).

use serde::Serialize;

use crate::case::{Case, FrameworkPin, Rating, RetiredAnswer};
use crate::framework::LoadedFramework;

/// What happened to one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// `factor:<id>`, `factor:<id>/<dimension>` or `narrative:<id>`.
    pub item: String,
    /// `carried`, `retired` or `new`.
    pub outcome: &'static str,
    /// Why, for retired items.
    pub reason: String,
}

/// The migrated case and the report of every item.
#[derive(Debug, Clone)]
pub struct Migration {
    /// The case pinned to the new version.
    pub case: Case,
    /// One outcome per answered or new item.
    pub outcomes: Vec<Outcome>,
}

impl Migration {
    /// Items that could not move.
    pub fn retired(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| o.outcome == "retired")
            .count()
    }
}

/// Migrates `case` from the version it is pinned to, to `to`. Only the
/// pinned version number is needed from the old framework: answers move by
/// id.
pub fn migrate(case: &Case, to: &LoadedFramework) -> Migration {
    let new_fw = &to.framework;
    let mut out = case.clone();
    let mut outcomes = Vec::new();
    let from_version = case.framework.version.clone();
    let retire = |out: &mut Case,
                  outcomes: &mut Vec<Outcome>,
                  item: String,
                  reason: String,
                  answer: serde_json::Value| {
        out.retired.push(RetiredAnswer {
            from_version: from_version.clone(),
            item: item.clone(),
            reason: reason.clone(),
            answer,
        });
        outcomes.push(Outcome {
            item,
            outcome: "retired",
            reason,
        });
    };

    let mut ratings = indexmap::IndexMap::new();
    for (_, factor) in new_fw.factors() {
        let mut rating = Rating::default();
        for d in new_fw.factor_dimensions(factor) {
            rating.rating.insert(d.id.clone(), None);
        }
        match case.ratings.get(&factor.id) {
            None => outcomes.push(Outcome {
                item: format!("factor:{}", factor.id),
                outcome: "new",
                reason: String::new(),
            }),
            Some(old) => {
                rating.evidence = old.evidence.clone();
                rating.sources = old.sources.clone();
                for (dim, code) in &old.rating {
                    let Some(code) = code.as_deref().filter(|c| !c.trim().is_empty()) else {
                        continue;
                    };
                    let item = format!("factor:{}/{dim}", factor.id);
                    match new_fw.factor_dimensions(factor).find(|d| &d.id == dim) {
                        None => retire(
                            &mut out,
                            &mut outcomes,
                            item,
                            format!("factor is no longer rated on `{dim}`"),
                            serde_json::json!(code),
                        ),
                        Some(d) if !d.codes.iter().any(|c| c.code == code) => retire(
                            &mut out,
                            &mut outcomes,
                            item,
                            format!("code `{code}` no longer exists in `{dim}`"),
                            serde_json::json!(code),
                        ),
                        Some(_) => {
                            rating.rating.insert(dim.clone(), Some(code.to_owned()));
                            outcomes.push(Outcome {
                                item,
                                outcome: "carried",
                                reason: String::new(),
                            });
                        }
                    }
                }
                if !old.evidence.trim().is_empty() || !old.sources.is_empty() {
                    outcomes.push(Outcome {
                        item: format!("factor:{}/evidence", factor.id),
                        outcome: "carried",
                        reason: String::new(),
                    });
                }
            }
        }
        ratings.insert(factor.id.clone(), rating);
    }
    for (id, old) in &case.ratings {
        if new_fw.factor(id).is_none() && !old.is_blank() {
            let answer = serde_json::to_value(old).unwrap_or(serde_json::Value::Null);
            retire(
                &mut out,
                &mut outcomes,
                format!("factor:{id}"),
                format!("factor `{id}` does not exist in {}", to.label()),
                answer,
            );
        }
    }
    out.ratings = ratings;

    let mut narratives = indexmap::IndexMap::new();
    for n in &new_fw.narratives {
        match case.narratives.get(&n.id) {
            Some(t) => {
                narratives.insert(n.id.clone(), t.clone());
                if !t.trim().is_empty() {
                    outcomes.push(Outcome {
                        item: format!("narrative:{}", n.id),
                        outcome: "carried",
                        reason: String::new(),
                    });
                }
            }
            None => {
                narratives.insert(n.id.clone(), n.starter.clone());
                outcomes.push(Outcome {
                    item: format!("narrative:{}", n.id),
                    outcome: "new",
                    reason: String::new(),
                });
            }
        }
    }
    for (id, t) in &case.narratives {
        if !new_fw.narratives.iter().any(|n| &n.id == id) && !t.trim().is_empty() {
            retire(
                &mut out,
                &mut outcomes,
                format!("narrative:{id}"),
                format!("narrative `{id}` does not exist in {}", to.label()),
                serde_json::json!(t),
            );
        }
    }
    out.narratives = narratives;
    out.framework = FrameworkPin {
        id: new_fw.id.clone(),
        version: new_fw.version.clone(),
        sha256: to.sha256.clone(),
    };
    Migration {
        case: out,
        outcomes,
    }
}
