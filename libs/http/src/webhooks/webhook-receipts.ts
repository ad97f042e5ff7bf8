import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Records an inbound webhook event id (an ERP's own event id) in the caller's transaction. True the first
 * time; false when it was already applied, so a sender's retry changes nothing. Commit or roll back with the
 * effect: a failed apply leaves the id free for the retry.
 */
export async function claimWebhookEvent(manager: EntityManager, source: string, eventId: string): Promise<boolean> {
  const inserted: unknown[] = await manager.query('INSERT INTO webhook_receipts (source, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id', [
    source,
    eventId,
  ]);
  return inserted.length === 1;
}

/** Services with signed inbound webhooks list this in their migrations; never edit it once released. */
export class CreateWebhookReceipts1764460800000 implements MigrationInterface {
  name = 'CreateWebhookReceipts1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_receipts (
        source      varchar(64)  NOT NULL,
        event_id    varchar(128) NOT NULL,
        received_at timestamptz  NOT NULL DEFAULT now(),
        CONSTRAINT pk_webhook_receipts PRIMARY KEY (source, event_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE webhook_receipts');
  }
}
