// The tables a database copy moves, in an order that satisfies foreign keys, with the
// columns both engines share and each table's key (what a copy pages by).

export interface TableSpec {
  name: string;
  columns: string[];
  key: string[];
  /** Small tables of state the schema itself seeds (e.g. a sequence at 0): the source's rows replace the target's. */
  replace?: boolean;
  /** Derived from other tables and added to by their triggers: copied, but not compared. */
  derived?: boolean;
}

const t = (name: string, columns: string, key: string, extra: Partial<TableSpec> = {}): TableSpec =>
  ({ name, columns: columns.split(/\s+/), key: key.split(/\s+/), ...extra });

export const TABLES: TableSpec[] = [
  t('papers', `pk id title abstract authors author_names categories primary_category comment journal_ref doi license
    latest_version submitted_at updated_at announced_at ingested_at modified_at change_seq`, 'pk'),
  t('paper_versions', 'paper_id version submitted_at size', 'paper_id version'),
  t('paper_categories', 'category paper_id is_primary', 'category paper_id'),
  t('store_sequences', 'name value', 'name', { replace: true }),
  t('signals', 'paper_id kind source observed_at value', 'paper_id kind source observed_at'),
  t('harvest_state', `name next_from resumption_token current_from current_response_date pages records last_success_at
    last_error updated_at`, 'name'),
  t('votes', 'paper_id visitor created_at', 'paper_id visitor'),
  t('site_secrets', 'name value created_at', 'name', { replace: true }),
  t('trending_features', `paper_id day upvotes local_upvotes comments github_stars views heat_upvotes heat_local_upvotes
    heat_comments heat_github_stars heat_views heat_at computed_at`, 'paper_id'),
  t('trending_dirty', 'paper_id', 'paper_id', { derived: true }),
  t('trending_state', 'key value', 'key', { replace: true }),
  t('paper_repos', 'paper_id repo source added_at', 'paper_id repo'),
  t('github_repos', 'repo stars status checked_at', 'repo'),
  t('subscribers', `id email status topics categories topic_mode send_hour time_zone frequency weekday consent confirm_nonce
    confirm_expires_at created_at updated_at confirmed_at unsubscribed_at next_due_at last_digest_date last_sent_at
    bounce_count notice_day notice_count`, 'id'),
  t('digest_editions', 'id key window_from window_to items created_at', 'id'),
  t('digest_outbox', `id subscriber_id digest_date status edition_id paper_ids message_id attempts next_attempt_at lease_owner
    lease_until recovered last_error smtp_response created_at sent_at`, 'id'),
  t('paper_vectors', 'model paper_pk text_hash vector', 'model paper_pk'),
  t('paper_extras', 'paper_id ai_summary ai_keywords project_page source updated_at', 'paper_id'),
  t('personal_feedback', 'subscriber_id paper_id kind created_at', 'subscriber_id paper_id'),
  t('personal_library', 'subscriber_id item_key paper_id item source added_at', 'subscriber_id item_key'),
  t('personal_rules', 'subscriber_id kind value created_at', 'subscriber_id kind value'),
  t('personal_follow_papers', 'subscriber_id kind author paper_id', 'subscriber_id author paper_id'),
  t('personal_links_used', 'subscriber_id link used_at', 'subscriber_id link'),
  t('personal_alerts_off', 'subscriber_id kind created_at', 'subscriber_id kind'),
  t('personal_alerts', 'subscriber_id kind paper_id version outbox_key created_at', 'subscriber_id kind paper_id version'),
  t('alert_cursor', 'name change_seq updated_at', 'name', { replace: true }),
];
