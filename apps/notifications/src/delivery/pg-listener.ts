import { Client, type ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

export interface PgListenerOptions {
  dataSource: DataSource;
  channel: 'notifications' | 'deliveries';
  /** Each NOTIFY's payload (a recipient id, a delivery channel). */
  onNotify(payload: string): void;
  /** After a lost connection is back: what was committed meanwhile was not announced. */
  onReconnect?(): void;
  logger: { warn(message: string): void };
}

/**
 * LISTEN on one channel over a connection of its own (not one of the pool's, which a busy pool needs). A lost
 * connection is reopened with a growing pause (0.5 s to 10 s); meanwhile the caller's own interval or heartbeat
 * finds the work, so a NOTIFY lost with it delays something, never loses it.
 */
export class PgListener {
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private failures = 0;
  private stopped = true;

  constructor(private readonly options: PgListenerOptions) {}

  start(): Promise<void> {
    this.stopped = false;
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { channel, onNotify, onReconnect, logger } = this.options;
    const client = new Client(connectionOf(this.options.dataSource));
    this.client = client;
    const lost = (err: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      this.failures++;
      logger.warn(`LISTEN ${channel} lost (${err.message}); reopening it, and polling meanwhile`);
      this.timer = setTimeout(() => void this.connect(), Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (this.failures - 1)));
      this.timer.unref();
    };
    client.on('notification', (n) => n.channel === channel && onNotify(n.payload ?? ''));
    client.on('error', lost);
    client.on('end', () => lost(new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      if (this.failures > 0) onReconnect?.();
      this.failures = 0;
    } catch (err) {
      lost(err as Error);
    }
  }
}

/** The service's own database, as its TypeORM data source reaches it. */
function connectionOf(dataSource: DataSource): ClientConfig {
  const o = dataSource.options as PostgresConnectionOptions;
  const config: ClientConfig = o.url
    ? { connectionString: o.url }
    : { host: o.host, port: o.port, user: o.username, password: o.password as string, database: o.database };
  return { ...config, connectionTimeoutMillis: 5_000, application_name: 'notifications-listener' };
}
