import type { ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from '@crm/observability';
import { PgListener } from '../delivery/pg-listener';
import { NOTIFICATIONS_SETTINGS, type NotificationsSettings } from '../notifications.settings';
import { InboxStream } from './inbox-stream';
import { InboxRepository } from './inbox.repository';
import { InboxService } from './inbox.service';

/**
 * This process's open live streams, by user, and the one dedicated connection that LISTENs on
 * 'notifications' for them. The fan-out (on any replica) notifies with the recipient id at commit; this
 * wakes that user's streams here. If the LISTEN connection drops it is reopened with a backoff, and every
 * stream is woken once it is back, for what was committed meanwhile.
 */
@Injectable()
export class InboxStreams implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('InboxStreams');
  private readonly byUser = new Map<string, Set<InboxStream>>();
  private readonly listener: PgListener;
  private readonly open$: ReturnType<MetricsRegistry['gauge']>;
  private readonly pushed$: ReturnType<MetricsRegistry['counter']>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: InboxRepository,
    private readonly inbox: InboxService,
    @Inject(NOTIFICATIONS_SETTINGS) private readonly settings: NotificationsSettings,
    metrics: MetricsRegistry,
  ) {
    this.open$ = metrics.gauge({ name: 'crm_notifications_streams_open', help: 'live notification streams open in this process' });
    this.pushed$ = metrics.counter({ name: 'crm_notifications_pushed_total', help: 'notifications sent on live streams' });
    this.listener = new PgListener({
      dataSource,
      channel: 'notifications',
      onNotify: (userId) => userId && this.wake(userId),
      onReconnect: () => this.wakeAll(), // what was committed while it was away
      logger: this.logger,
    });
  }

  async onModuleInit(): Promise<void> {
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener.stop();
    for (const streams of this.byUser.values()) for (const s of [...streams]) s.close();
  }

  get size(): number {
    let n = 0;
    for (const s of this.byUser.values()) n += s.size;
    return n;
  }

  /** Opens a stream on the raw response: resumes after `resumeAfter`, or starts from now. */
  async open(userId: string, res: ServerResponse, resumeAfter: string | null, acceptLanguage?: string): Promise<void> {
    const m = this.dataSource.manager;
    const stream = new InboxStream(
      userId,
      res,
      {
        start: (u) => this.repo.streamStart(m, u),
        read: (u, cursor, limit) => this.repo.streamRead(m, u, cursor, limit),
        render: (row, lang) => this.inbox.toItem(row, lang),
        pushed: (n) => this.pushed$.inc(n),
        error: (message) => this.logger.warn(message),
      },
      { heartbeatMs: this.settings.sseHeartbeatMs, acceptLanguage, onClose: (s) => this.forget(s) },
    );
    try {
      await stream.open(resumeAfter);
    } catch (err) {
      this.logger.warn(`live stream for ${userId} could not start: ${(err as Error).message}`);
      stream.close();
      return;
    }
    // Registered once started: its first read came after the start, so a NOTIFY before this is not needed.
    if (stream.isClosed) return;
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    set.add(stream);
    this.open$.inc();
  }

  wake(userId: string): void {
    for (const s of this.byUser.get(userId) ?? []) s.wake();
  }

  private wakeAll(): void {
    for (const set of this.byUser.values()) for (const s of set) s.wake();
  }

  private forget(stream: InboxStream): void {
    const set = this.byUser.get(stream.userId);
    if (!set?.delete(stream)) return;
    if (set.size === 0) this.byUser.delete(stream.userId);
    this.open$.dec();
  }
}
