import { Injectable, ServiceUnavailableException, type CallHandler, type ExecutionContext, type NestInterceptor, type OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import { isTransientInfrastructureError } from '@crm/messaging';

export interface DatabaseDeadlineOptions {
  /** How long a request may run before the database is probed. */
  checkAfterMs: number;
  /** A probe not answered within this means the database is stalled. */
  probeTimeoutMs: number;
}

export const DEFAULT_DATABASE_DEADLINE: DatabaseDeadlineOptions = { checkAfterMs: 800, probeTimeoutMs: 500 };
const RETRY_AFTER_SECONDS = '5';

const unavailable = () => new ServiceUnavailableException('The database is not answering; retry later.');

interface Waiter {
  /** When the request started, or when a probe last found the database answering. */
  since: number;
  fail(): void;
}

/**
 * A request must not hang on a database that does not answer (a stalled or overloaded server, a partition):
 * once a request has run `checkAfterMs`, the database is probed, and if it does not answer within
 * `probeTimeoutMs` the request fails at once with 503 (problem+json, Retry-After) — well under 2 s. A slow
 * request on a healthy database is left alone (probed again every `checkAfterMs`). Errors that mean the
 * database is unreachable (refused or terminated connections during a restart, pool connect timeouts) are
 * 503 too: the client should retry, it did nothing wrong. A request answered 503 may still commit when the
 * database comes back; an Idempotency-Key makes its retry safe.
 *
 * The probe uses its own connection, not the pool: a pool saturated by a burst is slow, not stalled, and its
 * requests must not be failed for waiting their turn. Requests are watched by one ticker rather than a timer
 * each, which keeps the per-request cost to a Set insertion.
 */
@Injectable()
export class DatabaseDeadlineInterceptor implements NestInterceptor, OnModuleDestroy {
  private readonly waiting = new Set<Waiter>();
  private ticker?: NodeJS.Timeout;
  private probing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: DatabaseDeadlineOptions = DEFAULT_DATABASE_DEADLINE,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const res = context.switchToHttp().getResponse<{ header(name: string, value: string): unknown }>();
    return new Observable((subscriber) => {
      const fail = () => {
        settle();
        inner.unsubscribe();
        res.header('Retry-After', RETRY_AFTER_SECONDS);
        subscriber.error(unavailable());
      };
      const waiter: Waiter = { since: Date.now(), fail };
      const settle = () => this.waiting.delete(waiter);
      this.watch(waiter);
      const inner = next.handle().subscribe({
        next: (value) => subscriber.next(value),
        error: (err) => {
          settle();
          if (isTransientInfrastructureError(err)) {
            res.header('Retry-After', RETRY_AFTER_SECONDS);
            subscriber.error(unavailable());
          } else subscriber.error(err);
        },
        complete: () => {
          settle();
          subscriber.complete();
        },
      });
      return () => {
        settle();
        inner.unsubscribe();
      };
    });
  }

  onModuleDestroy(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private watch(waiter: Waiter): void {
    this.waiting.add(waiter);
    // A quarter of the deadline: a stalled request is noticed within 1.25 × checkAfterMs.
    this.ticker ??= setInterval(() => void this.tick(), Math.max(this.options.checkAfterMs / 4, 10)).unref();
  }

  private async tick(): Promise<void> {
    if (this.waiting.size === 0) {
      clearInterval(this.ticker);
      this.ticker = undefined;
      return;
    }
    const now = Date.now();
    const overdue = [...this.waiting].filter((w) => now - w.since >= this.options.checkAfterMs);
    // One probe at a time: while it hangs, every request sees the same stall.
    if (overdue.length === 0 || this.probing) return;
    this.probing = true;
    try {
      const answers = await this.databaseAnswers();
      for (const waiter of overdue) {
        if (!this.waiting.has(waiter)) continue;
        if (answers) waiter.since = Date.now();
        else waiter.fail();
      }
    } finally {
      this.probing = false;
    }
  }

  /** `SELECT 1` on a fresh connection, bounded by probeTimeoutMs for both the connect and the query. */
  private async databaseAnswers(): Promise<boolean> {
    const url = (this.dataSource.options as { url?: string }).url;
    if (!url) return this.poolAnswers();
    const timeout = this.options.probeTimeoutMs;
    const client = new Client({ connectionString: url, connectionTimeoutMillis: timeout, query_timeout: timeout });
    client.on('error', () => undefined); // a probe's failure is its answer
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      void client.end().catch(() => undefined);
    }
  }

  // Without a URL to open its own connection (a DataSource built from host/port fields), the pool probes.
  private poolAnswers(): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.options.probeTimeoutMs);
      this.dataSource.query('SELECT 1').then(
        () => resolve(true),
        () => resolve(false),
      ).finally(() => clearTimeout(timer));
    });
  }
}
