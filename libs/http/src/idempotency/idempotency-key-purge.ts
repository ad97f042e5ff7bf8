import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { API_CONVENTIONS_OPTIONS, type ApiConventionsOptions } from '../api-conventions.options';
import { IDEMPOTENCY_KEYS_TABLE as TABLE } from './idempotency-key.entity';

export const DEFAULT_IDEMPOTENCY_RETENTION_MS = 24 * 3600_000;
export const DEFAULT_IDEMPOTENCY_PURGE_INTERVAL_MS = 15 * 60_000;
const PURGE_BATCH = 1_000;

/**
 * Deletes keys claimed before `olderThan`, `batchSize` rows per statement so no statement holds many locks
 * or runs long. Replicas may run it at the same time: each statement skips rows another one has locked, so
 * they share the work instead of waiting on each other, and no lock or leader is needed. A client retrying
 * after the cutoff gets a fresh execution, so the cutoff is the retry window you promise. Returns how many
 * keys were deleted.
 */
export async function purgeExpiredIdempotencyKeys(dataSource: DataSource, olderThan: Date, batchSize = PURGE_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const [, deleted]: [unknown, number] = await dataSource.query(
      `DELETE FROM "${TABLE}" WHERE ctid IN (
         SELECT ctid FROM "${TABLE}" WHERE "created_at" < $1 ORDER BY "created_at" LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [olderThan, batchSize],
    );
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/** Purges expired idempotency keys on an interval (`idempotency.retentionMs`, `idempotency.purgeIntervalMs`). */
@Injectable()
export class IdempotencyKeyPurge implements OnApplicationBootstrap {
  private readonly logger = new Logger('IdempotencyKeyPurge');
  private readonly retentionMs: number;
  private readonly intervalMs: number;

  constructor(
    @Inject(API_CONVENTIONS_OPTIONS) options: ApiConventionsOptions,
    private readonly dataSource: DataSource,
    private readonly scheduler: SchedulerRegistry,
  ) {
    this.retentionMs = options.idempotency?.retentionMs ?? DEFAULT_IDEMPOTENCY_RETENTION_MS;
    this.intervalMs = options.idempotency?.purgeIntervalMs ?? DEFAULT_IDEMPOTENCY_PURGE_INTERVAL_MS;
  }

  onApplicationBootstrap(): void {
    // Registered with the scheduler, which clears it at shutdown.
    this.scheduler.addInterval(
      'idempotency-key-purge',
      setInterval(() => void this.purge(), this.intervalMs),
    );
  }

  async purge(): Promise<number> {
    try {
      const deleted = await purgeExpiredIdempotencyKeys(this.dataSource, new Date(Date.now() - this.retentionMs));
      if (deleted > 0) this.logger.log(`purged ${deleted} expired idempotency keys`);
      return deleted;
    } catch (error) {
      // The next pass tries again; an unreachable database is reported by readiness, not here.
      this.logger.warn(`could not purge expired idempotency keys: ${(error as Error).message}`);
      return 0;
    }
  }
}
