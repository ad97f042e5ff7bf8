import type { MigrationInterface, QueryRunner } from 'typeorm';

const DIMS = `region text NOT NULL, product_line text NOT NULL, source text NOT NULL, rep_id text NOT NULL, team text NOT NULL`;
const DIM_COLS = 'region, product_line, source, rep_id, team';
const amount = (name: string) => `${name} numeric(19,4) NOT NULL DEFAULT 0`;
const count = (name: string) => `${name} bigint NOT NULL DEFAULT 0`;

/** The analytics read model: per-entity facts, incrementally kept aggregates, quotas and forecast snapshots. */
export class CreateAnalytics1764288000000 implements MigrationInterface {
  name = 'CreateAnalytics1764288000000';

  async up(q: QueryRunner): Promise<void> {
    // ---- the last event applied per topic partition: `asOf` is the latest of them
    await q.query(`CREATE TABLE analytics_watermark (
      topic text NOT NULL, partition integer NOT NULL, last_event_time timestamptz NOT NULL, events_applied bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (topic, partition))`);

    // ---- directories copied from events
    await q.query(`CREATE TABLE reps (rep_id uuid PRIMARY KEY, name text NOT NULL, team text, active boolean NOT NULL, updated_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE items (sku text PRIMARY KEY, name text NOT NULL, product_line text, active boolean NOT NULL, updated_at timestamptz NOT NULL)`);

    // ---- facts: one row per entity; contrib = what the row adds to the aggregates now
    await q.query(`CREATE TABLE lead_facts (
      lead_id uuid PRIMARY KEY, source text, campaign text, region text, product_line text, captured_at timestamptz,
      rep_id uuid, team text, assigned_at timestamptz, first_follow_up_at timestamptz, follow_ups integer NOT NULL DEFAULT 0,
      qualified_at timestamptz, disqualified_at timestamptz, converted_at timestamptz,
      contrib jsonb NOT NULL DEFAULT '[]')`);
    await q.query(`CREATE INDEX lead_facts_captured_idx ON lead_facts (captured_at)`);
    await q.query(`CREATE INDEX lead_facts_rep_idx ON lead_facts (rep_id)`);

    await q.query(`CREATE TABLE opportunity_facts (
      opportunity_id uuid PRIMARY KEY, deal_known boolean NOT NULL DEFAULT false, lead_id uuid, rep_id uuid, team text, region text,
      product_line text, currency text, expected_amount numeric(19,4), expected_close_date date, created_at timestamptz,
      stage text, win_probability numeric(5,4), status text, won_at timestamptz, won_amount numeric(19,4), lost_at timestamptz,
      history jsonb NOT NULL DEFAULT '[]', contrib jsonb NOT NULL DEFAULT '[]')`);
    await q.query(`CREATE INDEX opportunity_facts_lead_idx ON opportunity_facts (lead_id)`);
    await q.query(`CREATE INDEX opportunity_facts_rep_idx ON opportunity_facts (rep_id)`);
    await q.query(`CREATE INDEX opportunity_facts_won_idx ON opportunity_facts (won_at)`);
    // Point in time: which stage each opportunity was in when; rewritten per opportunity from its history.
    await q.query(`CREATE TABLE opportunity_stage_intervals (
      opportunity_id uuid NOT NULL, seq integer NOT NULL, stage text NOT NULL, status text NOT NULL,
      win_probability numeric(5,4) NOT NULL, currency text NOT NULL, amount numeric(19,4) NOT NULL, weighted_amount numeric(19,4) NOT NULL,
      valid_from timestamptz NOT NULL, valid_to timestamptz, ${DIMS},
      PRIMARY KEY (opportunity_id, seq))`);
    await q.query(`CREATE INDEX opportunity_stage_intervals_time_idx ON opportunity_stage_intervals (valid_from, valid_to)`);

    await q.query(`CREATE TABLE order_facts (
      order_id uuid PRIMARY KEY, opportunity_id uuid, rep_id uuid, team text, region text, currency text, total numeric(19,4),
      payment_terms text, status text, confirmed_at timestamptz, shipped_at timestamptz, delivered_at timestamptz, completed_at timestamptz,
      cancelled_at timestamptz, status_at timestamptz, contrib jsonb NOT NULL DEFAULT '[]')`);
    await q.query(`CREATE INDEX order_facts_opportunity_idx ON order_facts (opportunity_id)`);
    await q.query(`CREATE INDEX order_facts_rep_idx ON order_facts (rep_id)`);
    await q.query(`CREATE INDEX order_facts_status_idx ON order_facts (status)`);
    await q.query(`CREATE TABLE order_line_facts (
      order_id uuid NOT NULL, line_id uuid NOT NULL, sku text NOT NULL, line_total numeric(19,4) NOT NULL, PRIMARY KEY (order_id, line_id))`);
    await q.query(`CREATE INDEX order_line_facts_sku_idx ON order_line_facts (sku)`);
    await q.query(`CREATE TABLE payment_facts (
      payment_id uuid PRIMARY KEY, receivable_id uuid NOT NULL, order_id uuid NOT NULL, amount numeric(19,4) NOT NULL, currency text NOT NULL,
      outstanding numeric(19,4) NOT NULL, received_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX payment_facts_order_idx ON payment_facts (order_id)`);
    await q.query(`CREATE TABLE receivable_facts (
      receivable_id uuid PRIMARY KEY, order_id uuid, currency text, amount numeric(19,4), paid numeric(19,4) NOT NULL DEFAULT 0,
      due_date date, voided_at timestamptz, overdue_at timestamptz)`);
    await q.query(`CREATE TABLE feedback_facts (
      feedback_id uuid PRIMARY KEY, order_id uuid NOT NULL, rep_id uuid NOT NULL, rating integer NOT NULL, category text NOT NULL,
      complaint boolean NOT NULL, received_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX feedback_facts_order_idx ON feedback_facts (order_id)`);

    // ---- aggregates (apps/analytics/src/projection/aggregates.ts): the primary key is the dimension set
    await q.query(`CREATE TABLE sales_daily (day date NOT NULL, currency text NOT NULL, ${DIMS},
      ${['confirmed_amount', 'cancelled_amount', 'shipped_amount', 'paid_amount'].map(amount).join(', ')},
      ${['orders_confirmed', 'orders_cancelled', 'orders_shipped'].map(count).join(', ')},
      PRIMARY KEY (day, currency, ${DIM_COLS}))`);
    await q.query(`CREATE TABLE opportunities_daily (day date NOT NULL, currency text NOT NULL, ${DIMS},
      ${count('created_count')}, ${amount('created_amount')}, ${count('won_count')}, ${amount('won_amount')}, ${count('lost_count')}, ${amount('lost_amount')},
      PRIMARY KEY (day, currency, ${DIM_COLS}))`);
    await q.query(`CREATE TABLE leads_daily (day date NOT NULL, ${DIMS},
      ${['captured', 'qualified', 'disqualified', 'converted', 'responded', 'response_seconds'].map(count).join(', ')},
      PRIMARY KEY (day, ${DIM_COLS}))`);
    await q.query(`CREATE TABLE funnel_daily (cohort_day date NOT NULL, reached_day date NOT NULL, stage text NOT NULL, ${DIMS}, ${count('leads')},
      PRIMARY KEY (cohort_day, reached_day, stage, ${DIM_COLS}))`);
    await q.query(`CREATE TABLE pipeline_open (stage text NOT NULL, currency text NOT NULL, close_month date NOT NULL, category text NOT NULL, ${DIMS},
      ${count('opportunities')}, ${amount('amount')}, ${amount('weighted_amount')},
      PRIMARY KEY (stage, currency, close_month, category, ${DIM_COLS}))`);
    await q.query(`CREATE TABLE feedback_daily (day date NOT NULL, ${DIMS}, ${count('feedback_count')}, ${count('rating_sum')}, ${count('complaints')},
      PRIMARY KEY (day, ${DIM_COLS}))`);

    // ---- not derived from events: kept across a rebuild
    await q.query(`CREATE TABLE quotas (
      period text NOT NULL, rep_id uuid NOT NULL, amount numeric(19,4) NOT NULL, currency text NOT NULL,
      version integer NOT NULL DEFAULT 1, updated_by text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (period, rep_id))`);
    await q.query(`CREATE TABLE forecast_snapshots (
      made_month date NOT NULL, target_month date NOT NULL, currency text NOT NULL, method text NOT NULL,
      value numeric(19,4) NOT NULL, lower numeric(19,4), upper numeric(19,4), created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (made_month, target_month, currency, method))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'forecast_snapshots',
      'quotas',
      'feedback_daily',
      'pipeline_open',
      'funnel_daily',
      'leads_daily',
      'opportunities_daily',
      'sales_daily',
      'feedback_facts',
      'receivable_facts',
      'payment_facts',
      'order_line_facts',
      'order_facts',
      'opportunity_stage_intervals',
      'opportunity_facts',
      'lead_facts',
      'items',
      'reps',
      'analytics_watermark',
    ])
      await q.query(`DROP TABLE ${table}`);
  }
}
