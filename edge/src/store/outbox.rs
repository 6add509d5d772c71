//! The operator's view of every outbox: how many rows stand where, and each
//! row in a terminal state (refused for good, given up), so nothing is
//! stuck in silence.

use super::*;

/// Rows of one outbox in one state.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct OutboxCount {
    pub outbox: String,
    pub state: String,
    pub rows: i64,
}

/// A row that will not be tried again by itself: an operator's to follow up.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct StuckRow {
    pub outbox: String,
    pub id: String,
    pub department: Option<String>,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub since: i64,
}

impl Store {
    pub async fn outbox_report(&self) -> EdgeResult<(Vec<OutboxCount>, Vec<StuckRow>)> {
        let results = self
            .db
            .batch(vec![
                query!(
                    &self.db,
                    "SELECT 'relay' AS outbox, relay_state AS state, COUNT(*) AS rows
                       FROM application_items GROUP BY relay_state
                     UNION ALL
                     SELECT 'withdrawal', withdraw_state, COUNT(*) FROM application_items
                      WHERE withdraw_state IS NOT NULL GROUP BY withdraw_state
                     UNION ALL
                     SELECT 'supplement', relay_state, COUNT(*) FROM supplements GROUP BY relay_state
                     UNION ALL
                     SELECT 'sms', state, COUNT(*) FROM notifications GROUP BY state
                     UNION ALL
                     SELECT 'rating', CASE WHEN relayed_at IS NOT NULL THEN 'relayed'
                                           WHEN gave_up_at IS NOT NULL THEN 'given_up'
                                           ELSE 'pending' END AS state, COUNT(*)
                       FROM ratings GROUP BY state
                     ORDER BY 1, 2"
                ),
                query!(
                    &self.db,
                    "SELECT 'relay' AS outbox, id, department, relay_attempts AS attempts,
                            last_relay_status AS last_status, updated_at AS since
                       FROM application_items WHERE relay_state = 'following_up'
                     UNION ALL
                     SELECT 'withdrawal', id, department, withdraw_attempts, NULL, updated_at
                       FROM application_items WHERE withdraw_state = 'following_up'
                     UNION ALL
                     SELECT 'supplement', s.id, i.department, s.attempts, s.last_status, s.updated_at
                       FROM supplements s JOIN application_items i ON i.id = s.item_row_id
                      WHERE s.relay_state = 'following_up'
                     UNION ALL
                     SELECT 'sms', CAST(timeline_seq AS TEXT), NULL, attempts, NULL, updated_at
                       FROM notifications WHERE state = 'failed'
                     UNION ALL
                     SELECT 'rating', id, NULL, attempts, last_status, gave_up_at
                       FROM ratings WHERE gave_up_at IS NOT NULL
                     ORDER BY 6 DESC LIMIT 200"
                ),
                // D1 allows five terms in a compound SELECT: the other
                // texts (consent requests, grants, an agent's copy) apart.
                query!(
                    &self.db,
                    "SELECT 'text' AS outbox, state, COUNT(*) AS rows FROM texts
                      GROUP BY state ORDER BY 2"
                ),
                query!(
                    &self.db,
                    "SELECT 'text' AS outbox, reference AS id, NULL AS department, attempts,
                            NULL AS last_status, updated_at AS since
                       FROM texts WHERE state = 'failed' ORDER BY 6 DESC LIMIT 200"
                ),
            ])
            .await?;
        let [counts, stuck, text_counts, text_stuck] =
            <[worker::D1Result; 4]>::try_from(results)
                .map_err(|_| EdgeError::Internal("batch answered the wrong count".into()))?;
        let mut counts: Vec<OutboxCount> = counts.results()?;
        counts.extend(text_counts.results::<OutboxCount>()?);
        let mut stuck: Vec<StuckRow> = stuck.results()?;
        stuck.extend(text_stuck.results::<StuckRow>()?);
        stuck.sort_by_key(|r| std::cmp::Reverse(r.since));
        stuck.truncate(200);
        Ok((counts, stuck))
    }
}
