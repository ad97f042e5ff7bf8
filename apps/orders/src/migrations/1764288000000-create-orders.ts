import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1764288000000 implements MigrationInterface {
  name = 'CreateOrders1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        status text NOT NULL,
        opportunity_id uuid UNIQUE,
        rep_id uuid NOT NULL,
        team text,
        customer jsonb NOT NULL,
        region text,
        currency char(3) NOT NULL,
        total numeric(19,4) NOT NULL CHECK (total >= 0),
        payment_terms text NOT NULL,
        promised_delivery_date date,
        auto_confirmed boolean NOT NULL DEFAULT false,
        payment_status text NOT NULL DEFAULT 'unpaid',
        outstanding numeric(19,4),
        hold_reason text,
        production_percent smallint,
        carrier text,
        tracking_number text,
        cancel_reason text,
        created_by text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX idx_orders_rep ON orders (rep_id, created_at, id)');
    await q.query('CREATE INDEX idx_orders_team ON orders (team, created_at, id)');
    await q.query('CREATE INDEX idx_orders_status ON orders (status, created_at, id)');
    await q.query('CREATE INDEX idx_orders_created ON orders (created_at, id)');
    // The delay job scans only orders with a promise that have not shipped.
    await q.query(`CREATE INDEX idx_orders_promised ON orders (promised_delivery_date)
                   WHERE status IN ('draft','submitted','confirmed','on_hold','allocated','in_production')`);
    await q.query(`
      CREATE TABLE order_lines (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        position smallint NOT NULL,
        sku text NOT NULL,
        product_name text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price numeric(19,4) NOT NULL CHECK (unit_price >= 0),
        discount numeric(19,4) NOT NULL DEFAULT 0 CHECK (discount >= 0),
        line_total numeric(19,4) NOT NULL CHECK (line_total >= 0),
        UNIQUE (order_id, position)
      )`);
    await q.query(`
      CREATE TABLE order_status_history (
        id bigserial PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        from_status text,
        to_status text NOT NULL,
        by text NOT NULL,
        note text,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX idx_order_status_history_order ON order_status_history (order_id, id)');
    await q.query(`
      CREATE TABLE order_tracking (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        kind text NOT NULL,
        percent smallint,
        carrier text,
        tracking_number text,
        location text,
        note text,
        by text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX idx_order_tracking_order ON order_tracking (order_id, at)');
    await q.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        rep_id uuid NOT NULL,
        team text,
        kind text NOT NULL,
        -- One alert per occurrence: the same delay (order + promised date) or report never alerts twice.
        dedupe_key text NOT NULL UNIQUE,
        message text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        acknowledged_by text
      )`);
    await q.query('CREATE INDEX idx_alerts_rep ON alerts (rep_id, created_at, id)');
    await q.query(`
      CREATE TABLE feedback (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL UNIQUE REFERENCES orders(id) ON DELETE CASCADE,
        rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
        category text NOT NULL,
        comment text,
        complaint boolean NOT NULL DEFAULT false,
        by text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE feedback_requests (
        order_id uuid PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'open',
        opened_at timestamptz NOT NULL DEFAULT now(),
        answered_at timestamptz
      )`);
    // Local copies fed by events (DESIGN §2: no service reads another's database).
    await q.query(`
      CREATE TABLE catalogue_items (
        sku text PRIMARY KEY,
        name text NOT NULL,
        product_line text,
        active boolean NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE reps (
        rep_id uuid PRIMARY KEY,
        name text NOT NULL,
        team text,
        active boolean NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'reps',
      'catalogue_items',
      'feedback_requests',
      'feedback',
      'alerts',
      'order_tracking',
      'order_status_history',
      'order_lines',
      'orders',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
