import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { IDEMPOTENCY_KEYS_TABLE as TABLE } from './idempotency-key.entity';

export interface IdempotencyScope {
  key: string;
  principal: string;
  route: string;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type ClaimOutcome =
  { kind: 'claimed'; token: string } | { kind: 'in-flight'; requestHash: string } | { kind: 'completed'; requestHash: string; response: StoredResponse };

interface Row {
  request_hash: string;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: unknown;
}

// The claim row can vanish between the failed INSERT and the SELECT (its owner failed and released it).
const MAX_CLAIM_ATTEMPTS = 3;

/** The idempotency table, in plain SQL: one statement per step, each atomic on its own. */
export class IdempotencyKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * INSERT … ON CONFLICT DO NOTHING claims the key in one statement, so two racing requests cannot both win,
   * and it never waits for the row lock the owner holds while its handler runs. A claim left in flight longer
   * than `inFlightTimeoutMs` whose owner no longer holds it (the process died, so its transaction did too) is
   * taken over; an owner still at work keeps it (SKIP LOCKED), however long it takes.
   */
  async claim(scope: IdempotencyScope, requestHash: string, inFlightTimeoutMs: number): Promise<ClaimOutcome> {
    const where = `"key" = $1 AND "principal" = $2 AND "route" = $3`;
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      const token = randomUUID();
      const params = [scope.key, scope.principal, scope.route, requestHash, token];
      const claimed: unknown[] = await this.dataSource.query(
        `INSERT INTO "${TABLE}" ("key", "principal", "route", "request_hash", "claim_token") VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT ("key", "principal", "route") DO NOTHING RETURNING "claim_token"`,
        params,
      );
      if (claimed.length > 0) return { kind: 'claimed', token };

      const [, takenOver]: [unknown, number] = await this.dataSource.query(
        `UPDATE "${TABLE}" SET "request_hash" = $4, "claim_token" = $5, "created_at" = now()
         WHERE ${where} AND ("key", "principal", "route") IN (
           SELECT "key", "principal", "route" FROM "${TABLE}"
           WHERE ${where} AND "response_status" IS NULL AND "created_at" < now() - $6::double precision * interval '1 millisecond'
           FOR UPDATE SKIP LOCKED)`,
        [...params, inFlightTimeoutMs],
      );
      if (takenOver === 1) return { kind: 'claimed', token };

      const [row]: Row[] = await this.dataSource.query(
        `SELECT "request_hash", "response_status", "response_headers", "response_body" FROM "${TABLE}" WHERE ${where}`,
        [scope.key, scope.principal, scope.route],
      );
      if (!row) continue;
      if (row.response_status === null) return { kind: 'in-flight', requestHash: row.request_hash };
      const response = { status: row.response_status, headers: row.response_headers ?? {}, body: row.response_body };
      return { kind: 'completed', requestHash: row.request_hash, response };
    }
    throw new Error(`Idempotency-Key ${scope.key} kept changing hands; giving up after ${MAX_CLAIM_ATTEMPTS} attempts`);
  }

  /**
   * Locks the claim in the handler's transaction `m` until it ends, so no one can take it over meanwhile.
   * False if it was taken over already (then the new owner runs the request).
   */
  async hold(m: EntityManager, scope: IdempotencyScope, token: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM "${TABLE}" WHERE "key" = $1 AND "principal" = $2 AND "route" = $3 AND "claim_token" = $4 FOR UPDATE`, [
      scope.key,
      scope.principal,
      scope.route,
      token,
    ]);
    return rows.length === 1;
  }

  /** Stores the answer in the handler's transaction `m`, so it commits with the handler's effect or not at all. */
  async complete(m: EntityManager, scope: IdempotencyScope, token: string, response: StoredResponse): Promise<void> {
    const [, updated]: [unknown, number] = await m.query(
      `UPDATE "${TABLE}" SET "response_status" = $5, "response_headers" = $6::jsonb, "response_body" = $7::json
       WHERE "key" = $1 AND "principal" = $2 AND "route" = $3 AND "claim_token" = $4 AND "response_status" IS NULL`,
      [
        scope.key,
        scope.principal,
        scope.route,
        token,
        response.status,
        JSON.stringify(response.headers),
        response.body === undefined ? null : JSON.stringify(response.body),
      ],
    );
    // hold() locked the row with this token: nothing else can have changed it.
    if (updated !== 1) throw new Error(`Idempotency-Key ${scope.key} on ${scope.route} lost its claim before its answer was stored`);
  }

  /** Forgets a failed attempt so the client can retry with the same key. */
  async release(scope: IdempotencyScope, token: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM "${TABLE}"
       WHERE "key" = $1 AND "principal" = $2 AND "route" = $3 AND "claim_token" = $4 AND "response_status" IS NULL`,
      [scope.key, scope.principal, scope.route, token],
    );
  }
}
