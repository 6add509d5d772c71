//! People as the identity provider knows them: residents looked up by id,
//! principals who never signed in (remembered from a 实名核验 or the
//! household register, never over what their own sign-in stored), and each
//! resident's household register as last read (what guardianship is
//! decided from).

use banshi_core::platform::{HouseholdMember, Relation};
use chrono::NaiveDate;

use super::*;

#[derive(Debug, Clone, Deserialize)]
pub struct ResidentRow {
    pub id: String,
    pub name: String,
    pub id_number: String,
    pub phone: String,
}

#[derive(Debug, Clone, Deserialize)]
struct MemberRow {
    member_id: String,
    name: String,
    relation: String,
    birth_date: String,
    id_number: Option<String>,
    fetched_at: i64,
}

impl Store {
    pub async fn resident(&self, id: &str) -> EdgeResult<Option<ResidentRow>> {
        Ok(query!(
            &self.db,
            "SELECT id, name, id_number, phone FROM residents WHERE id = ?1",
            id
        )?
        .first::<ResidentRow>(None)
        .await?)
    }

    /// A resident who signed in, by name and phone or ID number (a grant's agent).
    pub async fn resident_by_contact(
        &self,
        name: &str,
        phone: Option<&str>,
        id_number: Option<&str>,
    ) -> EdgeResult<Option<ResidentRow>> {
        Ok(query!(
            &self.db,
            "SELECT r.id, r.name, r.id_number, r.phone FROM residents r
              WHERE r.name = ?1 AND (r.phone = ?2 OR r.id_number = ?3)
                AND EXISTS (SELECT 1 FROM sessions s WHERE s.resident_id = r.id)
              LIMIT 1",
            name,
            phone,
            id_number
        )?
        .first::<ResidentRow>(None)
        .await?)
    }

    /// Someone known from the identity provider who may never have signed
    /// in: kept once; their own sign-in later overwrites it, this never
    /// overwrites their sign-in.
    pub async fn remember_resident(&self, r: &ResidentRow, now: i64) -> EdgeResult<()> {
        query!(
            &self.db,
            "INSERT INTO residents (id, name, id_number, phone, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO NOTHING",
            &r.id,
            &r.name,
            &r.id_number,
            &r.phone,
            now
        )?
        .run()
        .await?;
        Ok(())
    }

    /// The resident's household as last read, and when; `None` if never read.
    pub async fn household_members(
        &self,
        resident_id: &str,
    ) -> EdgeResult<Option<(Vec<HouseholdMember>, i64)>> {
        let rows = query!(
            &self.db,
            "SELECT member_id, name, relation, birth_date, id_number, fetched_at
               FROM household_members WHERE resident_id = ?1",
            resident_id
        )?
        .all()
        .await?
        .results::<MemberRow>()?;
        let Some(fetched_at) = rows.first().map(|r| r.fetched_at) else {
            return Ok(None);
        };
        let members = rows
            .into_iter()
            .filter_map(|r| {
                let relation: Relation =
                    serde_json::from_value(serde_json::Value::String(r.relation)).ok()?;
                Some(HouseholdMember {
                    sub: r.member_id,
                    name: r.name,
                    relation,
                    birth_date: NaiveDate::parse_from_str(&r.birth_date, "%Y-%m-%d").ok()?,
                    disabled: false,
                    id_number: r.id_number,
                })
            })
            .collect();
        Ok(Some((members, fetched_at)))
    }

    /// Replace the resident's household with what the register says now.
    pub async fn replace_household(
        &self,
        resident_id: &str,
        members: &[HouseholdMember],
        now: i64,
    ) -> EdgeResult<()> {
        let mut statements = vec![query!(
            &self.db,
            "DELETE FROM household_members WHERE resident_id = ?1",
            resident_id
        )?];
        for m in members {
            let relation = serde_json::to_value(m.relation)?
                .as_str()
                .unwrap_or("other")
                .to_owned();
            statements.push(query!(
                &self.db,
                "INSERT INTO household_members (resident_id, member_id, name, relation, birth_date, id_number, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                resident_id,
                &m.sub,
                &m.name,
                relation,
                m.birth_date.format("%Y-%m-%d").to_string(),
                m.id_number.as_deref(),
                now
            )?);
        }
        self.db.batch(statements).await?;
        Ok(())
    }
}
