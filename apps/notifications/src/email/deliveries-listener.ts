import { Client } from 'pg';

const RECONNECT_MS = 5_000;

/**
 * LISTEN 'deliveries' on a connection of its own (not one of the pool's, which a busy pool needs): every
 * commit that adds a ledger row names its channel, and `onChannel` wakes that channel's dispatcher at once.
 * A lost connection is re-opened after a pause; meanwhile the dispatcher's interval still finds the work.
 */
export class DeliveriesListener {
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly onChannel: (channel: string) => void,
    private readonly logger: { warn(message: string): void },
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'notifications-deliveries-listener' });
    this.client = client;
    const lost = (err: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.removeAllListeners();
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(`LISTEN deliveries lost (${err.message}); polling until it is back`);
      this.timer = setTimeout(() => void this.connect(), RECONNECT_MS);
    };
    client.on('notification', (n) => this.onChannel(n.payload ?? ''));
    client.on('error', lost);
    client.on('end', () => lost(new Error('connection ended')));
    try {
      await client.connect();
      await client.query('LISTEN deliveries');
    } catch (err) {
      lost(err as Error);
    }
  }
}
