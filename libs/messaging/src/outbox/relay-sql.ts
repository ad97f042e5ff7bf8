import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { DATA_CONTENT_TYPE, SPECVERSION } from '@crm/contracts';

/**
 * The relay's SQL. Its hot-path statements go out several to a simple query (one round trip), where parameters
 * are not allowed: every value in them is a number checked here or a constant of the code.
 */

export interface OutboxRow {
  seq: string;
  topic: string;
  message_key: string;
  event_type: string;
  event_id: string;
  /** The envelope as JSON text: read as text, it is sent as stored, with no parse and re-serialise per row. */
  payload: string;
  /** The envelope's trace context, read by SQL so that the relay's producer span needs no parse either. */
  traceparent?: string | null;
  tracestate?: string | null;
}

/** What a pooled node-postgres connection answers: one result per statement of a multi-statement query. */
export interface PgResult {
  rows: unknown[];
}
export interface PgClient {
  query(sql: string): Promise<PgResult | PgResult[]>;
  on(event: 'error', fn: (err: Error) => void): void;
  off(event: 'error', fn: (err: Error) => void): void;
}

/**
 * A pooled connection with an 'error' listener while it is checked out: the pool listens only to idle ones,
 * and a connection that dies between two queries (PostgreSQL restarting while a batch is on its way to
 * Kafka) emits 'error', which unheard ends the process. Its next query fails instead, and so does the pass.
 */
export async function checkOut(driver: PostgresDriver): Promise<[PgClient, (err?: Error) => void]> {
  const [client, release] = (await driver.obtainMasterConnection()) as [PgClient, (err?: Error) => void];
  let broken: Error | undefined;
  const onError = (err: Error) => (broken ??= err);
  client.on('error', onError);
  return [
    client,
    (err?: Error) => {
      client.off('error', onError);
      release(err ?? broken); // with an error, the pool discards the connection
    },
  ];
}

// For the rest of the transaction: the cursor query then walks the unpublished index in seq order and stops at
// its limit; with stale statistics (a burst since the last ANALYZE) the planner would sort every pending row.
export const NO_BITMAP_SCANS = "set_config('enable_bitmapscan', 'off', true)";

/** A seq as it came from the database, checked before it goes into SQL text. */
function seqLiteral(seq: string): string {
  if (!/^\d+$/.test(seq)) throw new Error(`not an outbox seq: ${seq}`);
  return seq;
}

const textLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * Seq order, not commit order: a row committed late below the cursor waits for the next pass. A row written
 * before events were CloudEvents 1.0 (docs/decisions/0014) and still unpublished at the upgrade gets its
 * `specversion` and `datacontenttype` here, in SQL, so no row is parsed in JS.
 */
export function unpublishedAfter(seq: string, limit: number): string {
  return `SELECT seq, topic, message_key, event_type, event_id,
            (CASE WHEN payload ? 'specversion' THEN payload
                  ELSE jsonb_build_object('specversion', ${textLiteral(SPECVERSION)}, 'datacontenttype', ${textLiteral(DATA_CONTENT_TYPE)}) || payload END)::text AS payload,
            payload->>'traceparent' AS traceparent, payload->>'tracestate' AS tracestate
     FROM outbox WHERE published_at IS NULL AND seq > ${seqLiteral(seq)} ORDER BY seq LIMIT ${Math.floor(limit)}`;
}

export function markPublished(seqs: string[]): string {
  return `UPDATE outbox SET published_at = now() WHERE seq = ANY('{${seqs.map(seqLiteral).join(',')}}'::bigint[])`;
}
