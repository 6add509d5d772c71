//! 免申即享: the resident's settings (offers on or off, and the language and
//! elder mode their phones may follow), their dismissed offers, and their
//! applications as facts for the rules (event, form, finished or withdrawn).

use std::collections::BTreeMap;

use banshi_core::api::{Language, ResidentSettings};
use banshi_core::catalog::Catalog;
use banshi_core::offer::{ApplicationFact, OfferSettings};

use super::*;

#[derive(Deserialize)]
struct SettingRow {
    offers: i64,
}

#[derive(Deserialize)]
struct SettingsRow {
    offers: i64,
    lang: Option<String>,
    elder: Option<i64>,
}

#[derive(Deserialize)]
struct DismissalRow {
    offer_id: String,
}

/// One item of one of the resident's applications.
#[derive(Deserialize)]
struct FactRow {
    id: String,
    event_id: String,
    fields: String,
    snapshot: Option<String>,
    item_id: Option<String>,
    status: Option<ItemStatus>,
}

impl Store {
    /// Offers on (the default) or off, and what was dismissed.
    pub async fn offer_settings(&self, resident_id: &str) -> EdgeResult<OfferSettings> {
        let results = self
            .db
            .batch(vec![
                query!(
                    &self.db,
                    "SELECT offers FROM resident_settings WHERE resident_id = ?1",
                    resident_id
                )?,
                query!(
                    &self.db,
                    "SELECT offer_id FROM offer_dismissals WHERE resident_id = ?1",
                    resident_id
                )?,
            ])
            .await?;
        let [setting, dismissed] = <[worker::D1Result; 2]>::try_from(results)
            .map_err(|_| EdgeError::Internal("batch answered the wrong count".into()))?;
        let off = setting
            .results::<SettingRow>()?
            .first()
            .is_some_and(|r| r.offers == 0);
        Ok(OfferSettings {
            off,
            dismissed: dismissed
                .results::<DismissalRow>()?
                .into_iter()
                .map(|r| r.offer_id)
                .collect(),
        })
    }

    /// Everything kept for the resident; the defaults when nothing is.
    pub async fn resident_settings(&self, resident_id: &str) -> EdgeResult<ResidentSettings> {
        let row = query!(
            &self.db,
            "SELECT offers, lang, elder FROM resident_settings WHERE resident_id = ?1",
            resident_id
        )?
        .first::<SettingsRow>(None)
        .await?;
        Ok(
            row.map_or_else(ResidentSettings::default, |r| ResidentSettings {
                offers: r.offers != 0,
                // The column's CHECK admits only the two.
                lang: r.lang.as_deref().and_then(Language::parse),
                elder: r.elder.map(|e| e != 0),
            }),
        )
    }

    pub async fn put_resident_settings(
        &self,
        resident_id: &str,
        s: &ResidentSettings,
        now: i64,
    ) -> EdgeResult<()> {
        query!(
            &self.db,
            "INSERT INTO resident_settings (resident_id, offers, lang, elder, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (resident_id) DO UPDATE SET offers = excluded.offers,
               lang = excluded.lang, elder = excluded.elder, updated_at = excluded.updated_at",
            resident_id,
            i32::from(s.offers),
            s.lang.map(Language::as_str),
            s.elder.map(i32::from),
            now
        )?
        .run()
        .await?;
        Ok(())
    }

    /// Dismiss `offer_id` for good; dismissing twice is the same as once.
    pub async fn dismiss_offer(
        &self,
        resident_id: &str,
        offer_id: &str,
        now: i64,
    ) -> EdgeResult<()> {
        query!(
            &self.db,
            "INSERT INTO offer_dismissals (resident_id, offer_id, dismissed_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (resident_id, offer_id) DO NOTHING",
            resident_id,
            offer_id,
            now
        )?
        .run()
        .await?;
        Ok(())
    }

    /// Every application of the resident as the offer rules see it: its
    /// form, whether every item is finished (by the catalog it was made
    /// under) and whether every item was withdrawn. One read.
    pub async fn application_facts(
        &self,
        resident_id: &str,
        catalog: &Catalog,
    ) -> EdgeResult<Vec<ApplicationFact>> {
        let rows = query!(
            &self.db,
            "SELECT a.id, a.event_id, a.fields, a.snapshot, i.item_id, i.status
               FROM applications a LEFT JOIN application_items i ON i.application_id = a.id
              WHERE a.resident_id = ?1 ORDER BY a.submitted_at, a.id, i.position",
            resident_id
        )?
        .all()
        .await?
        .results::<FactRow>()?;
        let mut by_id: BTreeMap<String, (FactRow, Vec<(String, ItemStatus)>)> = BTreeMap::new();
        let mut order = Vec::new();
        for row in rows {
            let item = row.item_id.clone().zip(row.status);
            let entry = by_id.entry(row.id.clone()).or_insert_with(|| {
                order.push(row.id.clone());
                let first = FactRow {
                    item_id: None,
                    status: None,
                    ..row
                };
                (first, Vec::new())
            });
            entry.1.extend(item);
        }
        let mut out = Vec::with_capacity(order.len());
        for id in order {
            let Some((row, items)) = by_id.remove(&id) else {
                continue;
            };
            let snapshot = match &row.snapshot {
                Some(s) => corrupt("applications.snapshot", serde_json::from_str(s))?,
                None => banshi_core::application::Snapshot::from_catalog(
                    catalog,
                    &row.event_id,
                    items.iter().map(|(i, _)| i.as_str()),
                ),
            };
            let finished = items.iter().all(|(item, status)| {
                snapshot
                    .item(item)
                    .is_some_and(|s: &banshi_core::application::ItemSnapshot| {
                        s.is_finished(*status)
                    })
            });
            let withdrawn = items.iter().all(|(_, s)| *s == ItemStatus::Withdrawn);
            out.push(ApplicationFact {
                event_id: row.event_id,
                finished: !items.is_empty() && finished && !withdrawn,
                withdrawn: !items.is_empty() && withdrawn,
                fields: corrupt("applications.fields", serde_json::from_str(&row.fields))?,
            });
        }
        Ok(out)
    }
}
