import { Injectable, ServiceUnavailableException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { isTransientInfrastructureError } from '@crm/messaging';

export interface DatabaseDeadlineOptions {
  /** How long a request may run before the database is probed. */
  checkAfterMs: number;
  /** A probe not answered within this means the database is stalled. */
  probeTimeoutMs: number;
}

export const DEFAULT_DATABASE_DEADLINE: DatabaseDeadlineOptions = { checkAfterMs: 1_000, probeTimeoutMs: 500 };
const RETRY_AFTER_SECONDS = '5';

const unavailable = () => new ServiceUnavailableException('The database is not answering; retry later.');

/**
 * A request must not hang on a database that does not answer (a stalled or overloaded server, a partition):
 * once a request has run `checkAfterMs`, the database is probed, and if it does not answer within
 * `probeTimeoutMs` the request fails at once with 503 (problem+json, Retry-After) — well under 2 s. A slow
 * request on a healthy database is left alone (probed again every `checkAfterMs`). Errors that mean the
 * database is unreachable (refused or terminated connections during a restart, pool connect timeouts) are
 * 503 too: the client should retry, it did nothing wrong. A request answered 503 may still commit when the
 * database comes back; an Idempotency-Key makes its retry safe.
 */
@Injectable()
export class DatabaseDeadlineInterceptor implements NestInterceptor {
  private probe?: Promise<boolean>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: DatabaseDeadlineOptions = DEFAULT_DATABASE_DEADLINE,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    const fail = (subscriber: { error(err: unknown): void }) => {
      res.setHeader?.('Retry-After', RETRY_AFTER_SECONDS);
      subscriber.error(unavailable());
    };
    return new Observable((subscriber) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = () => {
        settled = true;
        clearTimeout(timer);
      };
      const watch = () => {
        timer = setTimeout(async () => {
          const answers = await this.databaseAnswers();
          if (settled) return;
          if (answers) return watch();
          settle();
          inner.unsubscribe();
          fail(subscriber);
        }, this.options.checkAfterMs);
      };
      const inner = next.handle().subscribe({
        next: (value) => subscriber.next(value),
        error: (err) => {
          settle();
          if (isTransientInfrastructureError(err)) fail(subscriber);
          else subscriber.error(err);
        },
        complete: () => {
          settle();
          subscriber.complete();
        },
      });
      if (!settled) watch();
      return () => {
        settle();
        inner.unsubscribe();
      };
    });
  }

  /**
   * One `SELECT 1` in flight for all waiting requests: while it hangs, every request sees the same stall,
   * and a stall does not fill the pool with probes.
   */
  private databaseAnswers(): Promise<boolean> {
    this.probe ??= this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    ).finally(() => (this.probe = undefined));
    const probe = this.probe;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.options.probeTimeoutMs);
      void probe.then((ok) => {
        clearTimeout(timer);
        resolve(ok);
      });
    });
  }
}
