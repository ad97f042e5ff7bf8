import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReceivables1764288000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE receivables (
        id uuid PRIMARY KEY,
        -- One receivable per order, even when order.confirmed is re-sent under a new event id.
        order_id uuid NOT NULL UNIQUE,
        rep_id uuid NOT NULL,
        team varchar(64),
        customer_name varchar(200) NOT NULL,
        amount numeric(19,4) NOT NULL CHECK (amount >= 0),
        paid numeric(19,4) NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= amount),
        currency char(3) NOT NULL,
        payment_terms varchar(16) NOT NULL,
        due_date date NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('open', 'partially_paid', 'paid', 'voided')),
        overdue_alerted_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX receivables_created_idx ON receivables (created_at, id)');
    await q.query('CREATE INDEX receivables_rep_idx ON receivables (rep_id, created_at)');
    await q.query('CREATE INDEX receivables_team_idx ON receivables (team, created_at)');
    // What the overdue job claims: owed, not alerted yet, by due date.
    await q.query(`
      CREATE INDEX receivables_overdue_claim_idx ON receivables (due_date)
      WHERE overdue_alerted_at IS NULL AND status IN ('open', 'partially_paid')`);

    await q.query(`
      CREATE TABLE payments (
        id uuid PRIMARY KEY,
        receivable_id uuid NOT NULL REFERENCES receivables (id),
        amount numeric(19,4) NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        method varchar(40),
        reference varchar(100),
        received_at timestamptz NOT NULL,
        created_by varchar(128) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX payments_receivable_idx ON payments (receivable_id, received_at)');
    // A bank reference recorded twice for one receivable is the same payment entered twice.
    await q.query('CREATE UNIQUE INDEX payments_reference_uq ON payments (receivable_id, reference) WHERE reference IS NOT NULL');

    await q.query(`
      CREATE TABLE credit_notes (
        id uuid PRIMARY KEY,
        receivable_id uuid NOT NULL REFERENCES receivables (id),
        amount numeric(19,4) NOT NULL CHECK (amount > 0),
        reason varchar(500) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX credit_notes_receivable_idx ON credit_notes (receivable_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE credit_notes');
    await q.query('DROP TABLE payments');
    await q.query('DROP TABLE receivables');
  }
}
