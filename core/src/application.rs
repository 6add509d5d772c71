//! A submitted application, checked against the catalog: the event exists, the
//! guide is complete, every answer is well-formed, every field valid and every
//! required material provided in a way the catalog allows. Only a
//! [`ValidApplication`] can be stored and relayed; its [`Snapshot`] keeps
//! what is needed to show it after the catalog changes.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::api::{Provision, SubmitApplication, MAX_PAGES_PER_MATERIAL};
use crate::catalog::{Catalog, Delivery, Event, Item, Text};
use crate::guide::{self, check_answer, Answers, FieldValues, MaterialNeed, Profile};
use crate::validate::{validate_form, FieldError};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SubmitError {
    #[error("unknown event {0}")]
    UnknownEvent(String),
    #[error("answer to {question} is invalid")]
    InvalidAnswer { question: String, message: Text },
    #[error("the guide is not complete: {question} is unanswered")]
    Incomplete { question: String, text: Text },
    #[error("{} field(s) are invalid", .0.len())]
    Fields(Vec<FieldError>),
    #[error("no item applies")]
    NoItems,
    /// A material is missing, provided in a way it cannot be, or not needed.
    /// Each error's field is `materials.<id>`.
    #[error("{} material(s) are not provided as required", .0.len())]
    Materials(Vec<FieldError>),
}

#[derive(Debug, Clone)]
pub struct ValidApplication<'c> {
    pub event: &'c Event,
    pub answers: Answers,
    pub fields: FieldValues,
    pub items: Vec<&'c Item>,
    /// Every required material's provision, by material id.
    pub materials: BTreeMap<String, Provision>,
    /// Per applicable item (in `items` order), the ids of the materials it
    /// requires given the answers.
    pub item_materials: Vec<Vec<String>>,
}

impl ValidApplication<'_> {
    /// What is needed to show and relay this application later, whatever
    /// the catalog says by then.
    pub fn snapshot(&self, catalog: &Catalog) -> Snapshot {
        Snapshot {
            catalog_version: catalog.version().to_owned(),
            event_name: self.event.name.clone(),
            items: self
                .items
                .iter()
                .zip(&self.item_materials)
                .map(|(item, materials)| ItemSnapshot::of(catalog, self.event, item, materials))
                .collect(),
        }
    }
}

impl ItemSnapshot {
    /// `item` of `event` as the catalog describes it now; `materials` are
    /// the ids it required given the answers.
    pub fn of(catalog: &Catalog, event: &Event, item: &Item, materials: &[String]) -> ItemSnapshot {
        ItemSnapshot {
            item_id: item.id.clone(),
            name: item.name.clone(),
            department: item.department.clone(),
            department_name: catalog
                .department(&item.department)
                .map(|d| d.name.clone())
                .unwrap_or_else(|| Text::new(&item.department, &item.department)),
            time_limit_working_days: item.time_limit_working_days,
            produces_card: item.produces_card,
            delivery: item.delivery.clone(),
            fields: event
                .fields
                .iter()
                .filter(|f| f.items.contains(&item.id))
                .map(|f| f.key.clone())
                .collect(),
            materials: materials
                .iter()
                .filter_map(|id| item.materials.iter().find(|m| &m.id == id))
                .map(|m| MaterialSnapshot {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    defer_working_days: m.defer_working_days,
                    promise: m
                        .promise
                        .then(|| {
                            let department = catalog
                                .department(&item.department)
                                .map(|d| d.name.clone())
                                .unwrap_or_else(|| Text::new(&item.department, &item.department));
                            crate::message::promise_text(
                                catalog.notices(),
                                &item.name,
                                &m.name,
                                &department,
                            )
                        })
                        .flatten(),
                })
                .collect(),
        }
    }
}

impl Snapshot {
    /// For an application stored before snapshots were kept: what the
    /// current catalog says of its items (it had no materials then). Items
    /// the catalog no longer has are shown by their ids.
    pub fn from_catalog<'a>(
        catalog: &Catalog,
        event_id: &str,
        item_ids: impl IntoIterator<Item = &'a str>,
    ) -> Snapshot {
        let event = catalog.event(event_id);
        Snapshot {
            catalog_version: String::new(),
            event_name: event
                .map(|e| e.name.clone())
                .unwrap_or_else(|| Text::new(event_id, event_id)),
            items: item_ids
                .into_iter()
                .filter_map(|id| {
                    let event = event?;
                    Some(ItemSnapshot::of(catalog, event, event.item(id)?, &[]))
                })
                .collect(),
        }
    }
}

/// An application as the catalog described it when it was made: stored with
/// it, so a later change of the catalog (an item renamed, removed, its time
/// limit changed) never makes it unreadable. New fields must have defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub catalog_version: String,
    pub event_name: Text,
    pub items: Vec<ItemSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemSnapshot {
    pub item_id: String,
    pub name: Text,
    pub department: String,
    pub department_name: Text,
    #[serde(default)]
    pub time_limit_working_days: Option<u32>,
    #[serde(default)]
    pub produces_card: bool,
    #[serde(default)]
    pub delivery: Vec<Delivery>,
    /// Merged-form field keys this item needs: what its department receives.
    #[serde(default)]
    pub fields: Vec<String>,
    /// The materials this item requires: what its department receives.
    #[serde(default)]
    pub materials: Vec<MaterialSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaterialSnapshot {
    pub id: String,
    pub name: Text,
    #[serde(default)]
    pub defer_working_days: Option<u32>,
    /// Where 告知承诺 is allowed: the promise text as the resident was shown
    /// it, relayed with a signed promise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promise: Option<Text>,
}

impl Snapshot {
    pub fn item(&self, item_id: &str) -> Option<&ItemSnapshot> {
        self.items.iter().find(|i| i.item_id == item_id)
    }
}

impl ItemSnapshot {
    /// Finished from the resident's point of view (see `ItemStatus::is_finished`).
    pub fn is_finished(&self, status: crate::status::ItemStatus) -> bool {
        status.is_finished_with(self.produces_card, &self.delivery)
    }

    /// Only this item's values: a department gets only what its item needs.
    pub fn own_fields(&self, values: &FieldValues) -> FieldValues {
        values
            .iter()
            .filter(|(k, _)| self.fields.contains(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

fn material_error(id: &str, zh: String, en: String) -> FieldError {
    FieldError {
        field: format!("materials.{id}"),
        message: Text::new(zh, en),
    }
}

/// Every required material has a provision the catalog allows for it, and
/// nothing else is provided. `needs` may list one material id under several
/// items: it is one document, and its provision must suit each of them.
fn check_materials(
    needs: &[MaterialNeed],
    provided: &BTreeMap<String, Provision>,
    profile: &Profile,
) -> Result<BTreeMap<String, Provision>, Vec<FieldError>> {
    let mut by_id: BTreeMap<&str, Vec<&MaterialNeed>> = BTreeMap::new();
    for n in needs {
        by_id.entry(n.material.id.as_str()).or_default().push(n);
    }
    let mut errors = Vec::new();
    let mut out = BTreeMap::new();
    for (id, needs) in &by_id {
        let name = &needs[0].material.name;
        let Some(p) = provided.get(*id) else {
            errors.push(material_error(
                id,
                format!("还需要提供「{}」", name.zh),
                format!("{} is still needed", name.en),
            ));
            continue;
        };
        let refused = match p {
            Provision::Ecert { ecert } => {
                if !needs
                    .iter()
                    .all(|n| n.material.waived_by.as_deref() == Some(ecert.as_str()))
                {
                    Some((
                        format!("「{}」不能用这种电子证照代替，请上传照片", name.zh),
                        format!(
                            "{} cannot be replaced by that e-certificate; upload a photo",
                            name.en
                        ),
                    ))
                } else if !profile.ecerts.contains(ecert) {
                    Some((
                        format!("「{}」要用电子证照，请先同意调取", name.zh),
                        format!(
                            "To use the e-certificate for {}, first agree to release it",
                            name.en
                        ),
                    ))
                } else {
                    None
                }
            }
            Provision::Upload { attachments } => {
                let distinct: BTreeSet<&String> = attachments.iter().collect();
                if attachments.is_empty() {
                    Some((
                        format!("「{}」还没有上传照片", name.zh),
                        format!("No photo of {} is uploaded yet", name.en),
                    ))
                } else if attachments.len() > MAX_PAGES_PER_MATERIAL {
                    Some((
                        format!("「{}」最多上传{MAX_PAGES_PER_MATERIAL}页", name.zh),
                        format!(
                            "{} can have at most {MAX_PAGES_PER_MATERIAL} pages",
                            name.en
                        ),
                    ))
                } else if distinct.len() != attachments.len()
                    || attachments.iter().any(|a| a.trim().is_empty())
                {
                    Some((
                        format!("「{}」的照片有重复或无效，请重新上传", name.zh),
                        format!(
                            "The photos of {} repeat or are invalid; upload them again",
                            name.en
                        ),
                    ))
                } else {
                    None
                }
            }
            Provision::Promise { .. } => (!needs.iter().all(|n| n.promise)).then(|| {
                (
                    format!("「{}」不能用告知承诺代替，请提供材料", name.zh),
                    format!("{} cannot be replaced by a promise; provide it", name.en),
                )
            }),
            Provision::Deferred => (!needs.iter().all(|n| n.deferrable)).then(|| {
                (
                    format!("「{}」不能以后补交，请现在提供", name.zh),
                    format!("{} cannot follow later; provide it now", name.en),
                )
            }),
        };
        match refused {
            Some((zh, en)) => errors.push(material_error(id, zh, en)),
            None => {
                out.insert((*id).to_owned(), p.clone());
            }
        }
    }
    for id in provided.keys() {
        if !by_id.contains_key(id.as_str()) {
            errors.push(material_error(
                id,
                "根据您的回答，不需要这份材料".into(),
                "Given your answers, this material is not needed".into(),
            ));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

pub fn check_submission<'c>(
    catalog: &'c Catalog,
    submission: &SubmitApplication,
    profile: &Profile,
) -> Result<ValidApplication<'c>, SubmitError> {
    let event = catalog
        .event(&submission.event_id)
        .ok_or_else(|| SubmitError::UnknownEvent(submission.event_id.clone()))?;
    for (id, answer) in &submission.answers {
        if let Some(q) = event.question(id) {
            check_answer(q, answer, profile.today).map_err(|message| {
                SubmitError::InvalidAnswer {
                    question: id.clone(),
                    message,
                }
            })?;
        }
    }
    let pruned = guide::prune(event, &submission.answers, &submission.fields, profile);
    let outcome = guide::evaluate(event, &pruned.answers, profile);
    if let Some(q) = outcome.next_question {
        return Err(SubmitError::Incomplete {
            question: q.id.clone(),
            text: q.text.clone(),
        });
    }
    if outcome.items.is_empty() {
        return Err(SubmitError::NoItems);
    }
    let fields = validate_form(&outcome.fields, &pruned.values, profile.today)
        .map_err(SubmitError::Fields)?;
    let materials = check_materials(&outcome.materials, &submission.materials, profile)
        .map_err(SubmitError::Materials)?;
    let item_materials = outcome
        .items
        .iter()
        .map(|a| {
            outcome
                .materials
                .iter()
                .filter(|n| n.item.id == a.item.id)
                .map(|n| n.material.id.clone())
                .collect()
        })
        .collect();
    Ok(ValidApplication {
        event,
        answers: pruned.answers,
        fields,
        items: outcome.items.iter().map(|a| a.item).collect(),
        materials,
        item_materials,
    })
}

/// A corrected resubmission (补正) of one item, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidResubmission {
    /// The normalised values of every field the item needs (the stored
    /// values with the corrections applied).
    pub fields: FieldValues,
    /// The replaced provisions, by material id.
    pub materials: BTreeMap<String, Provision>,
}

/// A corrected resubmission of one item (补正): it may change only that
/// item's fields and materials (anything else is refused by name, so a
/// correction cannot slip unchecked values into another department's item),
/// and every field the item needs must be valid once the changes are applied
/// to the `stored` values. `item_materials` are the material ids the item
/// required when it was submitted.
pub fn check_resubmission(
    event: &Event,
    item_id: &str,
    stored: &FieldValues,
    change: &crate::api::ResubmitItem,
    item_materials: &[String],
    profile: &Profile,
) -> Result<ValidResubmission, SubmitError> {
    let item = event
        .item(item_id)
        .ok_or_else(|| SubmitError::UnknownEvent(event.id.clone()))?;
    let fields: Vec<_> = event
        .fields
        .iter()
        .filter(|f| f.items.iter().any(|i| i == item_id))
        .collect();
    let foreign: Vec<FieldError> = change
        .fields
        .keys()
        .filter(|k| !fields.iter().any(|f| &f.key == *k))
        .map(|k| FieldError {
            field: k.clone(),
            message: Text::new(
                "这一项不需要这个信息，不能在这里修改",
                "This item does not use this information, so it cannot be changed here",
            ),
        })
        .collect();
    if !foreign.is_empty() {
        return Err(SubmitError::Fields(foreign));
    }
    let mut values = stored.clone();
    values.extend(change.fields.clone());
    let fields = validate_form(&fields, &values, profile.today).map_err(SubmitError::Fields)?;
    let needs: Vec<MaterialNeed> = item
        .materials
        .iter()
        .filter(|m| change.materials.contains_key(&m.id) && item_materials.contains(&m.id))
        .map(|material| MaterialNeed {
            item,
            material,
            waived: false,
            promise: material.promise,
            deferrable: material.deferrable,
        })
        .collect();
    let materials =
        check_materials(&needs, &change.materials, profile).map_err(SubmitError::Materials)?;
    Ok(ValidResubmission { fields, materials })
}

#[cfg(test)]
mod tests;
