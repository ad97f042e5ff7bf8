import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLeads1764288000000 implements MigrationInterface {
  name = 'CreateLeads1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reps (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        email text NOT NULL,
        team text,
        manager_id uuid,
        regions text[] NOT NULL DEFAULT '{}',
        product_lines text[] NOT NULL DEFAULT '{}',
        capacity integer NOT NULL CHECK (capacity >= 0),
        active boolean NOT NULL DEFAULT true,
        away boolean NOT NULL DEFAULT false,
        -- The load: leads owned in status assigned, contacted or qualified. Kept in step in the same
        -- transaction as every assignment, so the capacity check is one row lock away.
        open_leads integer NOT NULL DEFAULT 0 CHECK (open_leads >= 0),
        -- Fair round robin: among equally loaded reps, the one who waited longest goes first.
        last_assigned_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX idx_reps_team ON reps (team)');
    await q.query(`
      CREATE TABLE assignment_rules (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        position integer NOT NULL,
        match jsonb NOT NULL DEFAULT '{}',
        target jsonb NOT NULL,
        follow_up_hours integer NOT NULL DEFAULT 72 CHECK (follow_up_hours > 0),
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE leads (
        id uuid PRIMARY KEY,
        status text NOT NULL,
        owner_rep_id uuid REFERENCES reps(id),
        team text,
        rule_id uuid,
        unassigned_reason text,
        source text NOT NULL,
        campaign text,
        contact_name text NOT NULL,
        email text,
        phone text,
        company text,
        normalized_email text,
        normalized_phone text,
        normalized_company text,
        company_size text,
        region text,
        product_interest text,
        needs text,
        score integer,
        custom_fields jsonb NOT NULL DEFAULT '{}',
        assigned_at timestamptz,
        first_follow_up_due_at timestamptz,
        first_followed_up_at timestamptz,
        qualified_at timestamptz,
        disqualified_at timestamptz,
        disqualify_reason text,
        converted_at timestamptz,
        conversion jsonb,
        opportunity_id uuid,
        created_by text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX idx_leads_created ON leads (created_at, id)');
    await q.query('CREATE INDEX idx_leads_owner ON leads (owner_rep_id, created_at, id)');
    await q.query('CREATE INDEX idx_leads_team ON leads (team, created_at, id)');
    await q.query('CREATE INDEX idx_leads_status ON leads (status, created_at, id)');
    // De-duplication looks only at open leads.
    await q.query(`CREATE INDEX idx_leads_open_email ON leads (normalized_email) WHERE status NOT IN ('disqualified','converted')`);
    await q.query(`CREATE INDEX idx_leads_open_phone ON leads (normalized_phone) WHERE status NOT IN ('disqualified','converted')`);
    // The SLA job scans assigned leads not yet followed up.
    await q.query(`CREATE INDEX idx_leads_sla ON leads (first_follow_up_due_at, id) WHERE status = 'assigned' AND first_followed_up_at IS NULL`);
    await q.query(`
      CREATE TABLE lead_touches (
        id uuid PRIMARY KEY,
        lead_id uuid NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        source text NOT NULL,
        campaign text,
        submitted jsonb NOT NULL,
        by text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX idx_lead_touches_lead ON lead_touches (lead_id, at)');
    await q.query(`
      CREATE TABLE assignments (
        id bigserial PRIMARY KEY,
        lead_id uuid NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        rep_id uuid NOT NULL REFERENCES reps(id),
        previous_rep_id uuid REFERENCES reps(id),
        rule_id uuid,
        kind text NOT NULL CHECK (kind IN ('initial','sla_breach','manual','retry','quality')),
        reason text NOT NULL,
        deadline timestamptz NOT NULL,
        breached_deadline timestamptz,
        by text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK ((kind = 'sla_breach') = (breached_deadline IS NOT NULL))
      )`);
    await q.query('CREATE INDEX idx_assignments_lead ON assignments (lead_id, id)');
    // One missed deadline re-assigns a lead once, however many scheduler replicas notice it.
    await q.query(`CREATE UNIQUE INDEX uq_assignments_sla ON assignments (lead_id, breached_deadline) WHERE kind = 'sla_breach'`);
    await q.query(`
      CREATE TABLE follow_ups (
        id uuid PRIMARY KEY,
        lead_id uuid NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        rep_id uuid NOT NULL,
        team text,
        channel text NOT NULL,
        at timestamptz NOT NULL,
        content text NOT NULL,
        customer_feedback text,
        next_action text,
        next_action_due_at timestamptz,
        by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX idx_follow_ups_lead ON follow_ups (lead_id, at, id)');
    await q.query('CREATE INDEX idx_follow_ups_due ON follow_ups (rep_id, next_action_due_at) WHERE next_action_due_at IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['follow_ups', 'assignments', 'lead_touches', 'leads', 'assignment_rules', 'reps']) await q.query(`DROP TABLE ${table}`);
  }
}
