import { DataSource } from 'typeorm';
import { IDEMPOTENCY_KEYS_TABLE } from './idempotency-key.entity';

/**
 * Deletes keys claimed before `olderThan` (run it from a scheduled job, e.g. daily with a 24 h cutoff).
 * A client retrying after that gets a fresh execution, so the cutoff is the retry window you promise.
 * Returns how many keys were deleted.
 */
export async function purgeExpiredIdempotencyKeys(dataSource: DataSource, olderThan: Date): Promise<number> {
  const result = await dataSource.createQueryBuilder().delete().from(IDEMPOTENCY_KEYS_TABLE).where('created_at < :olderThan', { olderThan }).execute();
  return result.affected ?? 0;
}
