import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@crm/persistence';
import { DueTimer } from '../delivery/due-timer';
import { LedgerRepository, type ClaimedDelivery } from '../delivery/ledger.repository';
import { PgListener } from '../delivery/pg-listener';
import { NOTIFICATIONS_SETTINGS, type NotificationsSettings } from '../notifications.settings';
import { WebhookDeliveryService } from './webhook-delivery.service';

/** Messages one replica has on the wire at once: a slow receiver holds one place, not the whole dispatcher. */
const MAX_IN_FLIGHT = 16;
/** Past the timeout, a claimed row whose sender died is claimed again by any replica. */
const LEASE_MARGIN_MS = 30_000;
/** After a failed pass (the database away), it tries again this soon, or at the interval if that is sooner. */
const RETRY_AFTER_FAILURE_MS = 1_000;

/**
 * Sends the webhook rows of the delivery ledger. Every replica runs one: a claim marks rows `sending` with a
 * lease in a short transaction of its own (SKIP LOCKED), so no two replicas send the same row. It wakes when
 * a commit adds a webhook row (LISTEN deliveries, on a connection of its own), when a place comes free, when the
 * next row comes due (a retry, a lease that runs out) and after the dispatch interval at the latest.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** Something woke the dispatcher while it was not idle: the next idle returns at once. */
  private poked = false;
  private readonly listener: PgListener;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly timer = new DueTimer(() => this.poke());

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerRepository,
    private readonly deliveries: WebhookDeliveryService,
    @Inject(NOTIFICATIONS_SETTINGS) private readonly settings: NotificationsSettings,
  ) {
    this.listener = new PgListener({
      dataSource,
      channel: 'deliveries',
      onNotify: (channel) => channel === 'webhook' && this.poke(),
      // What was committed while the connection was away was not announced.
      onReconnect: () => this.poke(),
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.running = true;
    void this.listener.start();
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.timer.stop();
    this.poke();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    await this.listener.stop();
  }

  /** Claims what is due (up to the free places) and starts sending it; returns how many rows it claimed. */
  async pass(): Promise<number> {
    const free = MAX_IN_FLIGHT - this.inFlight.size;
    if (free <= 0) return 0;
    const rows = await inTransaction(this.dataSource, (m) => this.ledger.claim(m, 'webhook', free, this.settings.webhookTimeoutMs + LEASE_MARGIN_MS));
    for (const row of rows) this.start(row);
    return rows.length;
  }

  private start(row: ClaimedDelivery): void {
    const sending = this.deliveries
      .deliver(row)
      .catch((err: Error) => this.logger.error(`webhook delivery ${row.id} failed, retried when its lease ends: ${err.message}`))
      .finally(() => {
        this.inFlight.delete(sending);
        // A place came free after a full pass: there may be more due.
        this.poke();
      });
    this.inFlight.add(sending);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      let free = 0;
      let nextDue: Date | null = null;
      let failed = false;
      this.poked = false;
      try {
        free = MAX_IN_FLIGHT - this.inFlight.size;
        claimed = await this.pass();
        // Nothing due now: sleep until something is (a place coming free wakes it anyway).
        if (free > 0 && claimed === 0) nextDue = await this.ledger.nextDue(this.dataSource.manager, 'webhook');
      } catch (err) {
        this.logger.error(`webhook dispatch pass failed: ${(err as Error).message}`);
        failed = true;
      }
      // A full claim may have left more due rows: go again at once if there is room.
      if (claimed > 0 && claimed === free && this.inFlight.size < MAX_IN_FLIGHT) continue;
      this.timer.wakeBy(nextDue, failed ? Math.min(RETRY_AFTER_FAILURE_MS, this.settings.dispatchIntervalMs) : this.settings.dispatchIntervalMs);
      await this.idle();
    }
  }

  private poke(): void {
    this.poked = true;
    this.wake?.();
  }

  private idle(): Promise<void> {
    if (this.poked) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }
}
