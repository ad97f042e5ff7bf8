import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { backoffDelay } from '@crm/messaging';
import { MetricsRegistry } from '@crm/observability';
import { DueTimer } from '../delivery/due-timer';
import { LedgerRepository, type ClaimedDelivery } from '../delivery/ledger.repository';
import { PgListener } from '../delivery/pg-listener';
import { NOTIFICATIONS_SETTINGS, type NotificationsSettings } from '../notifications.settings';
import { EmailComposer } from './email-composer';
import { quietUntil } from './email-schedule.domain';
import { Mailer } from './mailer';

const MAX_RETRY_DELAY_MS = 3_600_000;
/** After a failed claim (the database away), the workers try again this soon, or at the interval if that is sooner. */
const RETRY_AFTER_FAILURE_MS = 1_000;

export type Outcome = 'sent' | 'retry' | 'dead' | 'deferred' | 'cancelled';

/**
 * Sends the email ledger: each worker claims one due row (its own short transaction, so the lease is visible
 * to every replica before anything is sent), sends it, and records the outcome in another. A replica killed
 * mid-send leaves its rows `sending`; when their lease runs out any replica claims them again and resends
 * them with the same Message-ID. Woken by LISTEN 'deliveries', when the next row comes due (a retry, a deferred
 * email, a lease that runs out) and after the dispatch interval at the latest; an idle ledger is not polled.
 */
@Injectable()
export class EmailDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EmailDispatcher.name);
  private readonly listener: PgListener;
  private readonly counters;
  private running = false;
  private loops: Promise<void>[] = [];
  // A row coming due (or the interval) wakes one worker; one that finds a row wakes the rest (see work()).
  private readonly timer = new DueTimer(() => this.wake(1));
  private waiters: (() => void)[] = [];
  /** Bumped by every wake-up, so a wake-up during a claim is not lost before the worker waits. */
  private generation = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerRepository,
    private readonly composer: EmailComposer,
    private readonly mailer: Mailer,
    @Inject(NOTIFICATIONS_SETTINGS) private readonly settings: NotificationsSettings,
    metrics: MetricsRegistry,
  ) {
    this.listener = new PgListener({
      dataSource,
      channel: 'deliveries',
      onNotify: (channel) => channel === 'email' && this.wake(),
      // What was committed while the connection was away was not announced.
      onReconnect: () => this.wake(),
      logger: this.logger,
    });
    this.counters = {
      sent: metrics.counter({ name: 'crm_notifications_emails_sent_total', help: 'emails the SMTP server accepted' }),
      failed: metrics.counter({
        name: 'crm_notifications_emails_failed_total',
        help: 'failed email attempts, by what followed (retry later, or dead after the last attempt)',
        labelNames: ['outcome'],
      }),
      deferred: metrics.counter({ name: 'crm_notifications_emails_deferred_total', help: 'emails put off to the end of quiet hours' }),
    };
  }

  onApplicationBootstrap(): void {
    if (this.settings.emailWorkers === 0 || this.running) return;
    this.running = true;
    void this.listener.start();
    this.loops = Array.from({ length: this.settings.emailWorkers }, () => this.work());
  }

  /** Before the pool closes: each worker finishes the email in hand and records it. */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.timer.stop();
    this.wake();
    await Promise.all(this.loops);
    await this.listener.stop();
  }

  /** Claims and handles one due row; null when none is due. */
  async dispatchOne(now = new Date()): Promise<Outcome | null> {
    const [row] = await this.dataSource.transaction((m) => this.ledger.claim(m, 'email', 1, this.settings.emailLeaseMs));
    return row ? this.deliver(row, now) : null;
  }

  private async deliver(row: ClaimedDelivery, now: Date): Promise<Outcome> {
    const composed = await this.composer.compose(row);
    const m = this.dataSource.manager;
    if (!composed) {
      await this.ledger.stop(m, row.id, 'cancelled', 'nothing to send');
      return 'cancelled';
    }
    const until = composed.critical ? null : quietUntil(now, composed.zone, composed.quietStart, composed.quietEnd);
    if (until) {
      await this.ledger.defer(m, row.id, until);
      this.counters.deferred.inc();
      return 'deferred';
    }
    try {
      await this.mailer.send(composed.message);
    } catch (err) {
      const error = (err as Error).message;
      if (row.attempts >= this.settings.emailMaxAttempts) {
        await this.ledger.stop(m, row.id, 'dead', error);
        this.counters.failed.inc({ outcome: 'dead' });
        this.logger.warn(`email ${row.id} dead after ${row.attempts} attempts: ${error}`);
        return 'dead';
      }
      const delay = backoffDelay(row.attempts, { initialMs: this.settings.emailBaseDelayMs, maxMs: MAX_RETRY_DELAY_MS });
      await this.ledger.retry(m, row.id, new Date(Date.now() + delay), error);
      this.counters.failed.inc({ outcome: 'retry' });
      return 'retry';
    }
    await this.ledger.sent(m, row.id);
    this.counters.sent.inc();
    return 'sent';
  }

  private async work(): Promise<void> {
    while (this.running) {
      const seen = this.generation;
      let outcome: Outcome | null = null;
      let failed = false;
      try {
        outcome = await this.dispatchOne();
      } catch (err) {
        // The database is away: the row (if claimed) comes back when its lease runs out. Wait for the next tick.
        failed = true;
        this.logger.error(`email dispatch failed: ${(err as Error).message}`);
      }
      // There may be more: the workers still asleep look too (without a new generation, a worker that has
      // just found nothing goes back to sleep while this one keeps claiming).
      if (outcome !== null) this.release(this.waiters.length);
      const idle = outcome === null && seen === this.generation;
      if (!this.running || !(idle || failed)) continue;
      if (failed) this.timer.wakeBy(null, Math.min(RETRY_AFTER_FAILURE_MS, this.settings.dispatchIntervalMs));
      else await this.wakeWhenDue();
      // A wake-up while the next due row was read counts: the worker looks again instead of waiting.
      if (this.running && (failed || seen === this.generation)) await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private async wakeWhenDue(): Promise<void> {
    try {
      this.timer.wakeBy(await this.ledger.nextDue(this.dataSource.manager, 'email'), this.settings.dispatchIntervalMs);
    } catch (err) {
      this.logger.error(`email dispatch cannot read the next due row: ${(err as Error).message}`);
      this.timer.wakeBy(null, Math.min(RETRY_AFTER_FAILURE_MS, this.settings.dispatchIntervalMs));
    }
  }

  /** A NOTIFY, a reconnect or shutdown wakes every worker; the due timer `workers` = 1 (an idle ledger: one claim, not one per worker). */
  private wake(workers = Infinity): void {
    this.generation++;
    this.release(workers);
  }

  private release(workers: number): void {
    for (const resolve of this.waiters.splice(0, workers)) resolve();
  }
}
