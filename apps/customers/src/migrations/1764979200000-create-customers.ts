import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCustomers1764979200000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // Trigram similarity for fuzzy company names and GIN indexes for fragment search.
    await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');

    await q.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY,
        name varchar(200) NOT NULL,
        domains text[] NOT NULL DEFAULT '{}',
        industry varchar(100),
        size varchar(32),
        region varchar(64),
        tax_id varchar(64),
        billing_address jsonb,
        shipping_address jsonb,
        owner_rep_id uuid,
        team varchar(64),
        -- The duplicate checks and the search read these, written with the row from the same pure normalisers.
        normalized_name text NOT NULL,
        name_bigrams text[] NOT NULL DEFAULT '{}',
        search_text text NOT NULL,
        created_by varchar(128) NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX accounts_created_idx ON accounts (created_at, id)');
    await q.query('CREATE INDEX accounts_owner_idx ON accounts (owner_rep_id, created_at)');
    await q.query('CREATE INDEX accounts_team_idx ON accounts (team, created_at)');
    await q.query('CREATE INDEX accounts_domains_idx ON accounts USING gin (domains)');
    await q.query('CREATE INDEX accounts_name_trgm_idx ON accounts USING gin (normalized_name gin_trgm_ops)');
    await q.query('CREATE INDEX accounts_name_bigrams_idx ON accounts USING gin (name_bigrams)');
    await q.query('CREATE INDEX accounts_search_trgm_idx ON accounts USING gin (search_text gin_trgm_ops)');

    await q.query(`
      CREATE TABLE contacts (
        id uuid PRIMARY KEY,
        name varchar(200) NOT NULL,
        title varchar(200),
        emails text[] NOT NULL DEFAULT '{}',
        phones text[] NOT NULL DEFAULT '{}',
        preferred_channel varchar(32),
        owner_rep_id uuid,
        team varchar(64),
        normalized_emails text[] NOT NULL DEFAULT '{}',
        normalized_phones text[] NOT NULL DEFAULT '{}',
        search_text text NOT NULL,
        created_by varchar(128) NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX contacts_created_idx ON contacts (created_at, id)');
    await q.query('CREATE INDEX contacts_owner_idx ON contacts (owner_rep_id, created_at)');
    await q.query('CREATE INDEX contacts_team_idx ON contacts (team, created_at)');
    await q.query('CREATE INDEX contacts_emails_idx ON contacts USING gin (normalized_emails)');
    await q.query('CREATE INDEX contacts_phones_idx ON contacts USING gin (normalized_phones)');
    await q.query('CREATE INDEX contacts_search_trgm_idx ON contacts USING gin (search_text gin_trgm_ops)');

    // A person may belong to several accounts over time: a membership ends, it is never deleted.
    await q.query(`
      CREATE TABLE contact_accounts (
        contact_id uuid NOT NULL REFERENCES contacts (id),
        account_id uuid NOT NULL REFERENCES accounts (id),
        since timestamptz NOT NULL,
        until timestamptz,
        PRIMARY KEY (contact_id, account_id, since)
      )`);
    await q.query('CREATE UNIQUE INDEX contact_accounts_current_uq ON contact_accounts (contact_id, account_id) WHERE until IS NULL');
    await q.query('CREATE INDEX contact_accounts_account_idx ON contact_accounts (account_id) WHERE until IS NULL');

    await q.query(`
      CREATE TABLE duplicate_rules (
        id uuid PRIMARY KEY,
        entity varchar(16) NOT NULL CHECK (entity IN ('account', 'contact')),
        field varchar(16) NOT NULL CHECK (field IN ('email', 'phone', 'domain', 'name')),
        match varchar(8) NOT NULL CHECK (match IN ('exact', 'fuzzy')),
        threshold numeric(3,2) CHECK (threshold > 0 AND threshold <= 1),
        action varchar(8) NOT NULL CHECK (action IN ('warn', 'block')),
        enabled boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        updated_by varchar(128) NOT NULL DEFAULT 'system',
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((match = 'fuzzy') = (threshold IS NOT NULL)),
        CHECK (match = 'exact' OR field = 'name'),
        UNIQUE (entity, field)
      )`);
    // One email is one person; a shared phone, a domain of a company group or a similar name only warns.
    await q.query(`
      INSERT INTO duplicate_rules (id, entity, field, match, threshold, action) VALUES
        ('6b0c1f52-0d3e-4c61-9a57-2f1e8c0a0001', 'contact', 'email', 'exact', NULL, 'block'),
        ('6b0c1f52-0d3e-4c61-9a57-2f1e8c0a0002', 'contact', 'phone', 'exact', NULL, 'warn'),
        ('6b0c1f52-0d3e-4c61-9a57-2f1e8c0a0003', 'account', 'domain', 'exact', NULL, 'warn'),
        ('6b0c1f52-0d3e-4c61-9a57-2f1e8c0a0004', 'account', 'name', 'fuzzy', 0.6, 'warn')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE duplicate_rules');
    await q.query('DROP TABLE contact_accounts');
    await q.query('DROP TABLE contacts');
    await q.query('DROP TABLE accounts');
  }
}
