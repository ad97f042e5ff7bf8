import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { CLOUDEVENTS_CONTENT_TYPE, SPECVERSION } from '@crm/contracts';
import { backoffDelay, sleep } from '../backoff';
import type { EventPublisher, OutgoingMessage } from '../kafka/event-publisher';
import type { MessagingMetrics } from '../messaging-metrics';
import { publishTraced } from '../tracing/messaging-spans';
import { OUTBOX_CHANNEL } from './outbox';
import { NO_BITMAP_SCANS, checkOut, markPublished, unpublishedAfter, type OutboxRow, type PgResult } from './relay-sql';

export interface OutboxRelayOptions {
  batchSize?: number;
  /** Batches one pass may publish before it commits: the most a failed send makes the relay send again. */
  maxBatchesPerPass?: number;
  /**
   * How long an idle relay waits while it LISTENs: every commit that writes to the outbox ends the wait, so
   * this is only the safety net of a lost notification and the idle cost of the relay (one empty pass).
   */
  idleMs?: number;
  /** How long it waits instead while its LISTEN connection is down: polling is then all it has. */
  pollMs?: number;
  /** Published rows older than this are deleted. */
  retentionMs?: number;
  /** Prepended to every topic name, e.g. `staging.`; tests use it to isolate their topics. */
  topicPrefix?: string;
  logger?: { error(message: string, ...rest: unknown[]): void };
  metrics?: MessagingMetrics;
}

// One advisory-lock key for every relay of a database: only one replica publishes at a time,
// which keeps events in commit order across replicas.
const RELAY_LOCK = 7_340_001;
const PRUNE_EVERY_MS = 10 * 60_000;
const RELISTEN_EVERY_MS = 5_000;
// The backlog gauge's count walks every unpublished row: read at most this often, not after every pass.
const BACKLOG_EVERY_MS = 5_000;
interface PgListener {
  on(event: 'notification', fn: () => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
  removeAllListeners(): void;
  query(sql: string): Promise<unknown>;
}

/**
 * Publishes committed outbox rows to Kafka, then marks them published in the same transaction.
 * A crash after publish and before that commit re-sends on the next pass (at-least-once); the
 * consumers' inbox makes the duplicate harmless. Nothing committed is ever skipped.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private notified = false;
  private waitingForWork = false;
  private stopListening?: () => Promise<void>;
  private lastListenAttempt = 0;
  private lastPrune = 0;
  private lastBacklog = 0;
  /** Whether the last pass held the relay lock: a pass that did not cannot tell how much is pending. */
  private lastPassLocked = false;
  private readonly batchSize: number;
  private readonly maxBatchesPerPass: number;
  private readonly idleMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 500));
    this.maxBatchesPerPass = options.maxBatchesPerPass ?? 8;
    this.idleMs = options.idleMs ?? 5_000;
    this.pollMs = Math.min(options.pollMs ?? 250, this.idleMs);
  }

  /**
   * One pass, in one transaction: publishes batches while the outbox has more, up to `maxBatchesPerPass`, and
   * returns how many rows it published. While batch k is on its way to Kafka, batch k+1 is read and batch k-1
   * marked, so database and broker round trips overlap instead of adding up. A failed send rolls the whole
   * pass back and its batches are sent again later (the consumers' inbox absorbs them).
   *
   * On the hot path (a commit's NOTIFY, a few rows) a pass is two round trips to PostgreSQL: one that opens the
   * transaction, takes the lock and reads the first batch, one that marks the last batch and commits. Each is
   * a multi-statement simple query, which is why their values are SQL literals (numbers and constants only).
   */
  async publishPending(): Promise<number> {
    const [client, release] = await checkOut(this.driver());
    try {
      const opened = await client.query(
        `BEGIN; SELECT ${NO_BITMAP_SCANS}; SELECT pg_try_advisory_xact_lock(${RELAY_LOCK}) AS locked; ${unpublishedAfter('0', this.batchSize)}`,
      );
      const locked = ((opened as PgResult[])[2].rows[0] as { locked: boolean }).locked;
      this.lastPassLocked = locked;
      if (!locked) {
        await client.query('ROLLBACK');
        release();
        return 0;
      }
      let published = 0;
      let marking: Promise<unknown> = Promise.resolve();
      let rows = (opened as PgResult[])[3].rows as OutboxRow[];
      for (let batch = 1; rows.length; batch += 1) {
        const sent = publishTraced(this.publisher, rows, (r) => this.message(r));
        const more = rows.length === this.batchSize && batch < this.maxBatchesPerPass;
        const next = more ? this.unpublishedOnOwnConnection(rows[rows.length - 1].seq) : Promise.resolve([]);
        next.catch(() => undefined); // awaited below; a failed send must not leave it unhandled
        await sent;
        await marking;
        const mark = markPublished(rows.map((r) => r.seq));
        marking = client.query(more ? mark : `${mark}; COMMIT`);
        marking.catch(() => undefined);
        published += rows.length;
        if (!more) break;
        rows = await next;
        if (!rows.length) marking = marking.then(() => client.query('COMMIT'));
      }
      if (!published) marking = client.query('COMMIT');
      await marking;
      release();
      this.options.metrics?.outboxPublished.inc(published);
      return published;
    } catch (err) {
      // A connection that cannot even roll back is discarded by the pool.
      const broken = await client.query('ROLLBACK').then(
        () => undefined,
        (e: Error) => e,
      );
      release(broken);
      throw err;
    }
  }

  private driver(): PostgresDriver {
    return this.dataSource.driver as PostgresDriver;
  }

  /**
   * Runs on a pooled connection of its own, so that it reads while the pass's connection marks the previous
   * batch. The pass holds the relay lock, so no one else marks these rows meanwhile; rows the pass has marked
   * but not committed lie below the cursor. The two statements of one simple query share one transaction.
   */
  private async unpublishedOnOwnConnection(seq: string): Promise<OutboxRow[]> {
    const [client, release] = await checkOut(this.driver());
    try {
      const results = (await client.query(`SELECT ${NO_BITMAP_SCANS}; ${unpublishedAfter(seq, this.batchSize)}`)) as PgResult[];
      release();
      return results[1].rows as OutboxRow[];
    } catch (err) {
      release(err as Error);
      throw err;
    }
  }

  /**
   * CloudEvents structured mode (Kafka protocol binding 3.3): the whole event is the value, the subject the key.
   * The binding allows the binary-mode `ce_` headers beside it; `ce_id` and `ce_type` let a tool filter
   * without parsing the value.
   */
  private message(r: OutboxRow): OutgoingMessage {
    return {
      topic: `${this.options.topicPrefix ?? ''}${r.topic}`,
      key: r.message_key,
      value: r.payload,
      headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE, ce_specversion: SPECVERSION, ce_id: r.event_id, ce_type: r.event_type },
    };
  }

  async backlog(): Promise<number> {
    const [{ count }] = await this.dataSource.query('SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL');
    return count;
  }

  async prune(now = Date.now()): Promise<void> {
    const retentionMs = this.options.retentionMs ?? 3 * 24 * 3600_000;
    await this.dataSource.query('DELETE FROM outbox WHERE published_at < $1', [new Date(now - retentionMs)]);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.stopListening?.();
  }

  /**
   * Holds one pooled connection on LISTEN, so a commit that wrote to the outbox wakes the relay at once
   * instead of after the idle poll. If that connection fails, polling carries on and LISTEN is retried.
   */
  private async listen(): Promise<void> {
    this.lastListenAttempt = Date.now();
    let client: PgListener;
    let release: (err?: Error) => void;
    try {
      [client, release] = (await (this.dataSource.driver as PostgresDriver).obtainMasterConnection()) as [PgListener, (err?: Error) => void];
    } catch (err) {
      this.options.logger?.error(`outbox relay cannot LISTEN, polling only: ${(err as Error).message}`);
      return;
    }
    let released = false;
    const done = (err?: Error) => {
      if (released) return;
      released = true;
      client.removeAllListeners();
      this.stopListening = undefined;
      release(err); // with an error, the pool discards the connection
    };
    client.on('notification', () => {
      this.notified = true;
      if (this.waitingForWork) this.wake?.();
    });
    client.on('error', (err) => {
      this.options.logger?.error(`outbox relay lost its LISTEN connection, polling until it is back: ${err.message}`);
      done(err);
      // Its idle wait was the long one of a relay that hears every commit: poll from now on instead.
      if (this.waitingForWork) this.wake?.();
    });
    try {
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.stopListening = async () => {
        await client.query(`UNLISTEN ${OUTBOX_CHANNEL}`).catch(() => undefined);
        done();
      };
    } catch (err) {
      this.options.logger?.error(`outbox relay cannot LISTEN, polling only: ${(err as Error).message}`);
      done(err as Error);
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      if (!this.stopListening && Date.now() - this.lastListenAttempt > RELISTEN_EVERY_MS) await this.listen();
      let published = 0;
      this.notified = false;
      try {
        published = await this.publishPending();
        failures = 0;
        if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
          this.lastPrune = Date.now();
          await this.prune();
        }
        await this.updateBacklog(published);
      } catch (err) {
        failures += 1;
        this.options.metrics?.outboxPublishFailures.inc();
        this.options.logger?.error(`outbox relay pass failed (attempt ${failures}): ${(err as Error).message}`);
        this.lastPassLocked = false;
        await this.updateBacklog(0).catch(() => undefined);
        // Backing off from a failure: new commits must not cut the wait short. Capped at 2 s: a failed pass
        // is one query plus a send that has already spent kafkajs' own five retries, so a longer wait
        // spares nothing and only holds committed events back once the broker or database is back.
        await this.idle(backoffDelay(failures, { initialMs: 200, maxMs: 2_000 }), false);
        continue;
      }
      if (published < this.batchSize) await this.idle(this.stopListening ? this.idleMs : this.pollMs, true);
    }
  }

  /**
   * A pass that held the lock and found less than a batch left the outbox empty as of its snapshot: the gauge
   * reads 0 without a query. Otherwise (a drain under way, another replica holding the lock, a failed pass) the
   * rows are counted, at most every few seconds, so neither an idle relay nor a long drain counts on each pass.
   */
  private async updateBacklog(published: number): Promise<void> {
    const metrics = this.options.metrics;
    if (!metrics) return;
    if (this.lastPassLocked && published < this.batchSize) {
      metrics.outboxBacklog.set(0);
      this.lastBacklog = 0;
    } else if (Date.now() - this.lastBacklog > BACKLOG_EVERY_MS) {
      this.lastBacklog = Date.now();
      metrics.outboxBacklog.set(await this.backlog());
    }
  }

  /** Waits `ms`; `stop()` always ends the wait, a commit's NOTIFY only when the relay waits for work. */
  private idle(ms: number, forWork: boolean): Promise<void> {
    // A commit notified during the pass: there may be rows the pass did not see.
    if (forWork && this.notified) return Promise.resolve();
    this.waitingForWork = forWork;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waitingForWork = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
