import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PROBLEM_CONTENT_TYPE, RETRY_AFTER_UNAVAILABLE, unavailableProblem } from '@crm/http';

export interface DatabaseDeadlineOptions {
  /** How long a request may run before the database is probed. */
  checkAfterMs: number;
  /** A probe not answered within this means the database is stalled. */
  probeTimeoutMs: number;
}

export const DEFAULT_DATABASE_DEADLINE: DatabaseDeadlineOptions = { checkAfterMs: 800, probeTimeoutMs: 500 };

interface Waiter {
  /** When the request started, or when a probe last found the database answering. */
  since: number;
  reply: FastifyReply;
}

const WAITER = Symbol('databaseDeadline');
type Watched = FastifyRequest & { [WAITER]?: Waiter };

/**
 * A request must not hang on a database that does not answer (a stalled or overloaded server, a partition):
 * once a request has run `checkAfterMs`, the database is probed, and if it does not answer within
 * `probeTimeoutMs` the request is answered at once with 503 (problem+json, Retry-After) — well under 2 s. A
 * slow request on a healthy database is left alone (probed again every `checkAfterMs`). A request answered
 * 503 may still commit when the database comes back; an Idempotency-Key makes its retry safe. (Errors that
 * mean the database is unreachable are 503 too: ProblemDetailsFilter with `isUnavailable`.)
 *
 * The probe uses its own connection, not the pool: a pool saturated by a burst is slow, not stalled, and its
 * requests must not be failed for waiting their turn. Requests are watched through Fastify hooks by one
 * ticker: per request, a Set insertion, and no Nest interceptor (whose Observable chain costs more).
 */
@Injectable()
export class DatabaseDeadline implements OnModuleInit, OnModuleDestroy {
  private readonly waiting = new Set<Waiter>();
  private readonly options: DatabaseDeadlineOptions = DEFAULT_DATABASE_DEADLINE;
  private ticker?: NodeJS.Timeout;
  private probing = false;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onRequest', (req: Watched, reply, done) => {
      const waiter = { since: Date.now(), reply };
      req[WAITER] = waiter;
      this.watch(waiter);
      done();
    });
    const forget = (req: Watched, _reply: FastifyReply, done: () => void) => {
      if (req[WAITER]) this.waiting.delete(req[WAITER]);
      done();
    };
    fastify.addHook('onResponse', forget);
    fastify.addHook('onRequestAbort', (req: Watched, done) => forget(req, undefined as never, done));
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
        else this.fail(waiter);
      }
    } finally {
      this.probing = false;
    }
  }

  private fail(waiter: Waiter): void {
    this.waiting.delete(waiter);
    const { reply } = waiter;
    if (reply.sent) return;
    // A streamed answer (a CSV export) has begun: cut it off, so the client cannot take it for whole.
    if (reply.raw.headersSent) {
      reply.raw.destroy();
      return;
    }
    const correlationId = reply.getHeader('x-correlation-id');
    void reply
      .code(503)
      .header('Retry-After', RETRY_AFTER_UNAVAILABLE)
      .type(PROBLEM_CONTENT_TYPE)
      .send({ ...unavailableProblem(), instance: reply.request.url.split('?')[0], ...(typeof correlationId === 'string' && { correlationId }) });
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
      this.dataSource
        .query('SELECT 1')
        .then(
          () => resolve(true),
          () => resolve(false),
        )
        .finally(() => clearTimeout(timer));
    });
  }
}
