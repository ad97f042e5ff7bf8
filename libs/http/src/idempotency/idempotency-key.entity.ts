import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const IDEMPOTENCY_KEYS_TABLE = 'idempotency_keys';

/**
 * One claimed `Idempotency-Key`, scoped to its caller and route so that two clients (or two routes) never
 * share a key. `responseStatus` is null while the first request is in flight. The interceptor works with
 * plain SQL, so listing this entity in a service's DataSource is only needed to query it through TypeORM.
 */
@Entity({ name: IDEMPOTENCY_KEYS_TABLE })
@Index('idx_idempotency_keys_created_at', ['createdAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 255, primaryKeyConstraintName: 'pk_idempotency_keys' })
  key: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_idempotency_keys' })
  principal: string;

  /** Method and concrete path (`POST /api/v1/leads/42/follow-ups`), so a key cannot replay another resource's answer. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_idempotency_keys' })
  route: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  /** Fences the owner: a request that lost its claim to a takeover cannot overwrite the new owner's answer. */
  @Column({ name: 'claim_token', type: 'uuid' })
  claimToken: string;

  @Column({ name: 'response_status', type: 'smallint', nullable: true })
  responseStatus: number | null;

  @Column({ name: 'response_headers', type: 'jsonb', nullable: true })
  responseHeaders: Record<string, string> | null;

  /** `json`, not `jsonb`: a replay must keep the original key order byte for byte. */
  @Column({ name: 'response_body', type: 'json', nullable: true })
  responseBody: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
