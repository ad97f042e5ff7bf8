import { MigrationInterface, QueryRunner } from 'typeorm';

/** Services list this in their migrations; never edit it once released — add a new migration instead. */
export class CreateIdempotencyKeys1764201600001 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1764201600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "idempotency_keys" (
        "key" varchar(255) NOT NULL,
        "principal" text NOT NULL,
        "route" text NOT NULL,
        "request_hash" char(64) NOT NULL,
        "claim_token" uuid NOT NULL,
        "response_status" smallint,
        "response_headers" jsonb,
        "response_body" json,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_idempotency_keys" PRIMARY KEY ("key", "principal", "route")
      )`);
    // Expiry deletes by age; without this index it would scan the table.
    await queryRunner.query(`CREATE INDEX "idx_idempotency_keys_created_at" ON "idempotency_keys" ("created_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_idempotency_keys_created_at"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
