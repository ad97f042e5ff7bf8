import type { MigrationInterface, QueryRunner } from 'typeorm';

export const DEFAULT_PIPELINE_ID = '7b0c6f0e-4f5e-4c1a-9d3b-000000000001';

/** The default pipeline (docs/architecture.md): key, name, win probability, exit criteria, time limit in hours. */
const DEFAULT_STAGES: [string, string, number, string | null, object, number | null][] = [
  ['needs_analysis', 'Needs analysis', 0.1, null, { requiredFields: ['needsReport'] }, 168],
  ['proposal', 'Proposal', 0.3, null, { requiredFields: ['lines'] }, 336],
  ['negotiation', 'Negotiation', 0.6, null, {}, 336],
  ['contract', 'Contract', 0.8, null, {}, 168],
  ['won', 'Won', 1, 'won', {}, null],
  ['lost', 'Lost', 0, 'lost', {}, null],
];

export class CreateOpportunities1764288000000 implements MigrationInterface {
  name = 'CreateOpportunities1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pipelines (
        id uuid PRIMARY KEY,
        name text NOT NULL UNIQUE,
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX uq_pipelines_default ON pipelines (is_default) WHERE is_default');
    await q.query(`
      CREATE TABLE stages (
        pipeline_id uuid NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
        key text NOT NULL,
        name text NOT NULL,
        position smallint NOT NULL,
        win_probability numeric(5,4) NOT NULL CHECK (win_probability BETWEEN 0 AND 1),
        outcome text CHECK (outcome IN ('won', 'lost')),
        exit_criteria jsonb NOT NULL DEFAULT '{}',
        time_limit_hours integer CHECK (time_limit_hours > 0),
        PRIMARY KEY (pipeline_id, key),
        UNIQUE (pipeline_id, position)
      )`);
    await q.query(`INSERT INTO pipelines (id, name, is_default) VALUES ($1, 'default', true)`, [DEFAULT_PIPELINE_ID]);
    for (const [i, [key, name, p, outcome, criteria, hours]] of DEFAULT_STAGES.entries()) {
      await q.query(
        `INSERT INTO stages (pipeline_id, key, name, position, win_probability, outcome, exit_criteria, time_limit_hours) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [DEFAULT_PIPELINE_ID, key, name, i, p, outcome, JSON.stringify(criteria), hours],
      );
    }
    await q.query(`
      CREATE TABLE opportunities (
        id uuid PRIMARY KEY,
        -- One opportunity per converted lead, however often lead.converted arrives.
        lead_id uuid UNIQUE,
        pipeline_id uuid NOT NULL REFERENCES pipelines(id),
        stage text NOT NULL,
        stage_entered_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
        rep_id uuid NOT NULL,
        team text,
        customer jsonb NOT NULL,
        account_key text,
        region text,
        product_line text,
        company_size text,
        product_needs jsonb NOT NULL DEFAULT '[]',
        expected_amount numeric(19,4) NOT NULL CHECK (expected_amount >= 0),
        currency char(3) NOT NULL,
        expected_close_date date NOT NULL,
        fields jsonb NOT NULL DEFAULT '{}',
        activity_count integer NOT NULL DEFAULT 0,
        score numeric(5,2) NOT NULL DEFAULT 0,
        score_factors jsonb NOT NULL DEFAULT '[]',
        features jsonb,
        model_version integer,
        scored_at timestamptz,
        won_amount numeric(19,4),
        payment_terms text,
        lost_reason text,
        competitor text,
        closed_at timestamptz,
        created_by text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (pipeline_id, stage) REFERENCES stages(pipeline_id, key)
      )`);
    await q.query('CREATE INDEX idx_opportunities_rep ON opportunities (rep_id, score, id)');
    await q.query('CREATE INDEX idx_opportunities_team ON opportunities (team, score, id)');
    await q.query('CREATE INDEX idx_opportunities_status ON opportunities (status, score, id)');
    await q.query('CREATE INDEX idx_opportunities_created ON opportunities (created_at, id)');
    await q.query(`CREATE INDEX idx_opportunities_account ON opportunities (account_key) WHERE status = 'open'`);
    await q.query(`
      CREATE TABLE opportunity_lines (
        id uuid PRIMARY KEY,
        opportunity_id uuid NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
        position smallint NOT NULL,
        sku text NOT NULL,
        product_name text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price numeric(19,4) NOT NULL CHECK (unit_price >= 0),
        discount numeric(19,4) NOT NULL DEFAULT 0 CHECK (discount >= 0),
        UNIQUE (opportunity_id, position)
      )`);
    await q.query(`
      CREATE TABLE opportunity_tasks (
        id uuid PRIMARY KEY,
        opportunity_id uuid NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
        key text NOT NULL,
        title text NOT NULL,
        due_at timestamptz,
        done_at timestamptz,
        done_by text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (opportunity_id, key)
      )`);
    await q.query(`
      CREATE TABLE stage_history (
        id bigserial PRIMARY KEY,
        opportunity_id uuid NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
        from_stage text,
        to_stage text NOT NULL,
        by text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX idx_stage_history_opportunity ON stage_history (opportunity_id, id)');
    await q.query(`
      CREATE TABLE strategy_records (
        id uuid PRIMARY KEY,
        opportunity_id uuid NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
        -- Append-only chain: each record replaces at most one, and is replaced at most once.
        replaces_id uuid UNIQUE REFERENCES strategy_records(id),
        products jsonb NOT NULL DEFAULT '[]',
        pricing text,
        discount_percent numeric(5,2) CHECK (discount_percent BETWEEN 0 AND 100),
        promotions jsonb NOT NULL DEFAULT '[]',
        rationale text,
        by text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE UNIQUE INDEX uq_strategy_first ON strategy_records (opportunity_id) WHERE replaces_id IS NULL');
    await q.query(`
      CREATE TABLE scoring_models (
        version serial PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('weights', 'learned')),
        weights jsonb,
        model jsonb,
        importances jsonb,
        training_size integer,
        holdout_size integer,
        holdout_accuracy double precision,
        trained_at timestamptz,
        active boolean NOT NULL DEFAULT false,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX uq_scoring_models_active ON scoring_models (active) WHERE active');
    await q.query(`INSERT INTO scoring_models (kind, weights, active, created_by) VALUES ('weights', $1, true, 'system')`, [
      JSON.stringify({ companySize: 20, purchaseHistory: 20, urgency: 20, engagement: 25, amount: 15 }),
    ]);
    await q.query(`
      CREATE TABLE stage_overdue_reminders (
        id uuid PRIMARY KEY,
        opportunity_id uuid NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
        rep_id uuid NOT NULL,
        team text,
        stage text NOT NULL,
        stage_entered_at timestamptz NOT NULL,
        limit_hours integer NOT NULL,
        due_at timestamptz NOT NULL,
        detected_at timestamptz NOT NULL,
        -- Once per limit crossed: a stay in a stage (entered at) is reminded about once, by any replica.
        UNIQUE (opportunity_id, stage, stage_entered_at)
      )`);
    await q.query('CREATE INDEX idx_reminders_rep ON stage_overdue_reminders (rep_id, detected_at, id)');
    // Local copies fed by events (docs/architecture.md): purchase history per account, lead facts for scoring.
    await q.query(`
      CREATE TABLE account_history (
        order_id uuid PRIMARY KEY,
        account_key text NOT NULL,
        currency char(3) NOT NULL,
        total numeric(19,4) NOT NULL,
        status text NOT NULL CHECK (status IN ('confirmed', 'completed', 'cancelled')),
        confirmed_at timestamptz NOT NULL,
        completed_at timestamptz
      )`);
    await q.query('CREATE INDEX idx_account_history_key ON account_history (account_key)');
    await q.query(`
      CREATE TABLE lead_facts (
        lead_id uuid PRIMARY KEY,
        company_size text,
        follow_ups integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'lead_facts',
      'account_history',
      'stage_overdue_reminders',
      'scoring_models',
      'strategy_records',
      'stage_history',
      'opportunity_tasks',
      'opportunity_lines',
      'opportunities',
      'stages',
      'pipelines',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
