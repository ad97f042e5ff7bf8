import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
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
   * INSERT … ON CONFLICT claims the key in one statement, so two racing requests cannot both win. A claim
   * left in flight longer than `inFlightTimeoutMs` (its owner crashed) is taken over by the same statement.
   */
  async claim(scope: IdempotencyScope, requestHash: string, inFlightTimeoutMs: number): Promise<ClaimOutcome> {
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      const token = randomUUID();
      const claimed: unknown[] = await this.dataSource.query(
        `INSERT INTO "${TABLE}" ("key", "principal", "route", "request_hash", "claim_token")
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT ("key", "principal", "route") DO UPDATE
           SET "request_hash" = EXCLUDED."request_hash", "claim_token" = EXCLUDED."claim_token", "created_at" = now()
           WHERE "${TABLE}"."response_status" IS NULL
             AND "${TABLE}"."created_at" < now() - $6::double precision * interval '1 millisecond'
         RETURNING "claim_token"`,
        [scope.key, scope.principal, scope.route, requestHash, token, inFlightTimeoutMs],
      );
      if (claimed.length > 0) return { kind: 'claimed', token };

      const [row]: Row[] = await this.dataSource.query(
        `SELECT "request_hash", "response_status", "response_headers", "response_body" FROM "${TABLE}"
         WHERE "key" = $1 AND "principal" = $2 AND "route" = $3`,
        [scope.key, scope.principal, scope.route],
      );
      if (!row) continue;
      if (row.response_status === null) return { kind: 'in-flight', requestHash: row.request_hash };
      const response = { status: row.response_status, headers: row.response_headers ?? {}, body: row.response_body };
      return { kind: 'completed', requestHash: row.request_hash, response };
    }
    throw new Error(`Idempotency-Key ${scope.key} kept changing hands; giving up after ${MAX_CLAIM_ATTEMPTS} attempts`);
  }

  /** Stores the answer; false if the claim was taken over meanwhile (then the new owner's answer stands). */
  async complete(scope: IdempotencyScope, token: string, response: StoredResponse): Promise<boolean> {
    const [, updated]: [unknown, number] = await this.dataSource.query(
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
    return updated === 1;
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
