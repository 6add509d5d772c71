//! Maintenance windows the departments announced, as last fetched.

use super::*;

impl Store {
    pub async fn maintenance_fetched_at(&self, department: &str) -> EdgeResult<Option<i64>> {
        #[derive(Deserialize)]
        struct At {
            fetched_at: i64,
        }
        Ok(query!(
            &self.db,
            "SELECT fetched_at FROM maintenance_fetches WHERE department = ?1",
            department
        )?
        .first::<At>(None)
        .await?
        .map(|a| a.fetched_at))
    }

    /// Replace our copy of a department's announcement, in one transaction.
    pub async fn replace_maintenance_windows(
        &self,
        department: &str,
        windows: &[MaintenanceWindow],
        now: i64,
    ) -> EdgeResult<()> {
        let mut statements = vec![query!(
            &self.db,
            "DELETE FROM maintenance_windows WHERE department = ?1",
            department
        )?];
        for w in windows {
            statements.push(query!(
                &self.db,
                "INSERT OR REPLACE INTO maintenance_windows (department, starts_at, ends_at, notice_zh, notice_en)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                department,
                w.starts_at.timestamp_millis(),
                w.ends_at.timestamp_millis(),
                &w.notice.zh,
                &w.notice.en
            )?);
        }
        statements.push(query!(
            &self.db,
            "INSERT INTO maintenance_fetches (department, fetched_at) VALUES (?1, ?2)
             ON CONFLICT (department) DO UPDATE SET fetched_at = excluded.fetched_at",
            department,
            now
        )?);
        self.db.batch(statements).await?;
        Ok(())
    }

    pub async fn maintenance_window_at(
        &self,
        department: &str,
        at: i64,
    ) -> EdgeResult<Option<MaintenanceWindow>> {
        #[derive(Deserialize)]
        struct Row {
            starts_at: i64,
            ends_at: i64,
            notice_zh: String,
            notice_en: String,
        }
        Ok(query!(
            &self.db,
            "SELECT starts_at, ends_at, notice_zh, notice_en FROM maintenance_windows
              WHERE department = ?1 AND starts_at <= ?2 AND ?2 < ends_at
              ORDER BY ends_at DESC LIMIT 1",
            department,
            at
        )?
        .first::<Row>(None)
        .await?
        .map(|r| MaintenanceWindow {
            starts_at: millis(r.starts_at),
            ends_at: millis(r.ends_at),
            notice: Text::new(r.notice_zh, r.notice_en),
        }))
    }
}
