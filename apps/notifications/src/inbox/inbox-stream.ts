import type { ServerResponse } from 'node:http';
import type { NotificationItemDto } from './inbox.dto';
import { sseComment, sseEvent, sseRetry } from './inbox.domain';
import type { InboxRow } from './inbox.repository';

/** What one stream needs from the service: its reads, its rendering, and where to report. */
export interface StreamDeps {
  start(userId: string): Promise<{ top: string; unread: number }>;
  read(userId: string, cursor: string, limit: number): Promise<{ unread: number; rows: InboxRow[] }>;
  render(row: InboxRow, acceptLanguage?: string): NotificationItemDto;
  pushed(count: number): void;
  error(message: string): void;
}

/** Rows read per query; a stream with more waiting reads again at once. */
export const STREAM_BATCH = 200;
/** A client that lets this much pile up unread is dropped; it reconnects with Last-Event-ID and loses nothing. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** What a client waits before reconnecting (the `retry:` hint). */
export const RETRY_MS = 2_000;

/**
 * One open live stream of one user. It keeps its own cursor (the last id sent) and on every wake-up reads the
 * user's in-app notifications after it from the database: nothing is sent twice or skipped, whatever woke it
 * (a NOTIFY from any replica, the periodic re-check, a reconnect). Wake-ups coalesce: at most one read is in
 * flight, and a wake-up during it only makes it read once more.
 */
export class InboxStream {
  private cursor = '0';
  private lastUnread: number | null = null;
  private reading = false;
  private again = false;
  private closed = false;
  private timer?: NodeJS.Timeout;

  constructor(
    readonly userId: string,
    private readonly res: ServerResponse,
    private readonly deps: StreamDeps,
    private readonly opts: { heartbeatMs: number; acceptLanguage?: string; onClose: (s: InboxStream) => void },
  ) {}

  /** Resumes after `resumeAfter`, or (null) starts from now with the unread count. */
  async open(resumeAfter: string | null): Promise<void> {
    this.res.on('close', () => this.close());
    this.write(sseRetry(RETRY_MS));
    if (resumeAfter === null) {
      const { top, unread } = await this.deps.start(this.userId);
      this.cursor = top;
      this.sendUnread(unread);
    } else {
      this.cursor = resumeAfter;
    }
    // Heartbeats keep proxies from closing an idle stream; each is also a re-check, so a lost NOTIFY costs a delay, not a notification.
    this.timer = setInterval(() => {
      this.write(sseComment('heartbeat'));
      this.wake();
    }, this.opts.heartbeatMs);
    this.timer.unref();
    this.wake();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  wake(): void {
    if (this.closed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    void this.drain();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    if (!this.res.writableEnded) this.res.end();
    this.opts.onClose(this);
  }

  private async drain(): Promise<void> {
    this.reading = true;
    try {
      do {
        this.again = false;
        const { unread, rows } = await this.deps.read(this.userId, this.cursor, STREAM_BATCH);
        if (this.closed) return;
        let out = '';
        for (const row of rows) out += sseEvent('notification', this.deps.render(row, this.opts.acceptLanguage), row.id);
        if (rows.length) {
          this.cursor = rows[rows.length - 1].id;
          this.write(out);
          this.deps.pushed(rows.length);
        }
        this.sendUnread(unread);
        if (rows.length === STREAM_BATCH) this.again = true;
      } while (this.again && !this.closed);
    } catch (err) {
      // The next wake-up or heartbeat reads again from the same cursor.
      this.deps.error(`live stream read failed for ${this.userId}: ${(err as Error).message}`);
    } finally {
      this.reading = false;
    }
  }

  private sendUnread(unread: number): void {
    if (unread === this.lastUnread) return;
    this.lastUnread = unread;
    this.write(sseEvent('unread-count', { unread }));
  }

  private write(chunk: string): void {
    if (this.closed) return;
    this.res.write(chunk);
    if (this.res.writableLength > MAX_BUFFERED_BYTES) this.close();
  }
}
