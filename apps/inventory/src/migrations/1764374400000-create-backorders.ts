import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Orders that found too little stock wait here, oldest first, and are served when stock comes in. */
export class CreateBackorders1764374400000 implements MigrationInterface {
  name = 'CreateBackorders1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE backorders (
        order_id   uuid PRIMARY KEY,
        lines      jsonb NOT NULL,
        skus       text[] NOT NULL,
        event_id   uuid NOT NULL,
        by         text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX idx_backorders_skus ON backorders USING gin (skus)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE backorders');
  }
}
