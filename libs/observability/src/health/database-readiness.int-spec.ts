import type { INestApplication } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import request from 'supertest';
import { createObservabilityTestApp } from '../../test/observability-test-app';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TIMEOUT_MS = 500;

/**
 * A TCP relay in front of PostgreSQL that the test can cut, to make the database unreachable
 * after boot, or turn into a black hole that accepts connections and never answers.
 */
class PostgresRelay {
  private mode: 'relay' | 'refuse' | 'blackhole' = 'relay';
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    const target = new URL(DATABASE_URL);
    this.server = createServer((client) => {
      this.track(client);
      if (this.mode === 'blackhole') return;
      const upstream = this.track(createConnectionTo(target));
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  url(): string {
    const url = new URL(DATABASE_URL);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** Drops every open connection and refuses new ones: the port becomes unreachable. */
  async refuse(): Promise<void> {
    this.mode = 'refuse';
    const closed = this.closeServer();
    // server.close() only completes once its connections are gone.
    this.dropAll();
    await closed;
  }

  /** Drops every open connection; new ones are accepted and left hanging. */
  blackhole(): void {
    this.mode = 'blackhole';
    this.dropAll();
  }

  async stop(): Promise<void> {
    const closed = this.closeServer();
    this.dropAll();
    await closed;
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
    return socket;
  }

  private dropAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  private async closeServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function createConnectionTo(target: URL): Socket {
  return createConnection({ host: target.hostname, port: Number(target.port || 5432) });
}

function typeOrmAt(url: string, extra: Record<string, unknown> = {}) {
  return TypeOrmModule.forRoot({ type: 'postgres', url, retryAttempts: 0, ...extra });
}

describe('/health/ready with a TypeORM DataSource', () => {
  let app: INestApplication | undefined;
  let relay: PostgresRelay | undefined;

  afterEach(async () => {
    // The relay goes first: a connect hanging in the black hole would otherwise keep the pool from closing.
    await relay?.stop();
    await app?.close();
    app = undefined;
    relay = undefined;
  });

  it('is ready when PostgreSQL answers SELECT 1', async () => {
    ({ app } = await createObservabilityTestApp({ imports: [typeOrmAt(DATABASE_URL)], readinessTimeoutMs: TIMEOUT_MS }));

    const res = await request(app.getHttpServer()).get('/health/ready').expect(200);

    expect(res.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });
  });

  it('answers 503 naming the database once its port becomes unreachable', async () => {
    relay = new PostgresRelay();
    await relay.start();
    ({ app } = await createObservabilityTestApp({ imports: [typeOrmAt(relay.url())], readinessTimeoutMs: TIMEOUT_MS }));
    await request(app.getHttpServer()).get('/health/ready').expect(200);

    await relay.refuse();
    const startedAt = Date.now();
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);

    expect(Date.now() - startedAt).toBeLessThan(TIMEOUT_MS + 1000);
    expect(res.body.status).toBe('error');
    expect(res.body.error.database).toMatchObject({ status: 'down', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('answers 503 within the timeout when the database accepts connections but never replies', async () => {
    relay = new PostgresRelay();
    await relay.start();
    ({ app } = await createObservabilityTestApp({ imports: [typeOrmAt(relay.url())], readinessTimeoutMs: TIMEOUT_MS }));
    await request(app.getHttpServer()).get('/health/ready').expect(200);

    relay.blackhole();
    const startedAt = Date.now();
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);

    expect(Date.now() - startedAt).toBeLessThan(TIMEOUT_MS + 1000);
    expect(res.body.error.database).toMatchObject({ status: 'down', message: `timeout of ${TIMEOUT_MS}ms exceeded` });
  });

  it('answers 503 when the DataSource points to an unreachable port and never connected', async () => {
    const closedPort = await findClosedPort();
    const url = `postgres://postgres@127.0.0.1:${closedPort}/postgres`;
    // manualInitialization lets the app boot without the database, as a service that waits for it would.
    ({ app } = await createObservabilityTestApp({
      imports: [typeOrmAt(url, { manualInitialization: true })],
      readinessTimeoutMs: TIMEOUT_MS,
    }));

    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);

    expect(res.body.error.database).toEqual({ status: 'down', message: 'DataSource is not initialized' });
  });
});

// A port that was free a moment ago: nothing listens there, so connecting is refused.
async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
