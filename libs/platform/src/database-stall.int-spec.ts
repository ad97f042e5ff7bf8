import { createServer } from 'node:net';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CreateIdempotencyKeys1764201600001, Role, Roles, createHttpAdapter } from '@crm/http';
import { CreateMessagingTables1764201600000 } from '@crm/messaging';
import { deleteTopicsWithPrefix, startThrowawayPostgres, testInfra, testKafka, uniqueTopicPrefix, type ThrowawayPostgres } from '@crm/testing';
import { loadServiceConfig, ServicePlatformModule } from './index';

// A stalled database (SIGSTOP on every server process: TCP still accepts, nothing answers) must make requests
// fail fast with 503, not hang. Its own throwaway cluster: the shared server is never paused.
jest.setTimeout(120_000);

@Controller('api/v1/stall')
class StallController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('count')
  @Roles(Role.SalesRep)
  async count() {
    const [{ n }] = await this.dataSource.query('SELECT count(*)::int AS n FROM outbox');
    return { n };
  }

  @Get('slow')
  @Roles(Role.SalesRep)
  async slow() {
    await this.dataSource.query('SELECT pg_sleep(2.5)');
    return { slow: true };
  }
}

@Module({ controllers: [StallController] })
class StallModule {}

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

describe('a request while the database is stalled (own PostgreSQL cluster, SIGSTOP)', () => {
  const secret = 'stall-test-secret-0123456789-abcdefgh';
  let pg: ThrowawayPostgres;
  let app: INestApplication;
  let prefix: string;
  const token = new JwtService({ secret }).sign({ sub: 'rep-1', roles: ['sales_rep'] }, { expiresIn: '1h' });
  const get = (path: string) => request(app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    pg = await startThrowawayPostgres({ port: await freePort() });
    prefix = uniqueTopicPrefix();
    const config = loadServiceConfig('orders', {
      ORDERS_DATABASE_URL: pg.url,
      KAFKA_BROKERS: (await testInfra()).kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      JWT_SECRET: secret,
    });
    const moduleRef = await Test.createTestingModule({
      imports: [ServicePlatformModule.forRoot({ config, migrations: [CreateMessagingTables1764201600000, CreateIdempotencyKeys1764201600001] }), StallModule],
    }).compile();
    app = moduleRef.createNestApplication(createHttpAdapter());
    await app.get(DataSource).runMigrations();
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    pg?.resume();
    await app?.close();
    await pg?.destroy();
    await deleteTopicsWithPrefix(await testKafka(), prefix);
  });

  it('answers 503 problem+json within 2 s during the stall, readiness goes red, and both recover after it', async () => {
    await get('/api/v1/stall/count').expect(200);
    pg.pause();
    try {
      const started = Date.now();
      const res = await get('/api/v1/stall/count');
      const elapsed = Date.now() - started;
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.headers['retry-after']).toBe('5');
      expect(elapsed).toBeLessThanOrEqual(2_000);

      const readyStarted = Date.now();
      const ready = await request(app.getHttpServer()).get('/health/ready');
      expect(ready.status).toBe(503);
      expect(Date.now() - readyStarted).toBeLessThanOrEqual(3_000);
    } finally {
      pg.resume();
    }
    // The connections stalled mid-query finish; new requests work again.
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && (status = (await get('/api/v1/stall/count')).status) !== 200) await new Promise((r) => setTimeout(r, 200));
    expect(status).toBe(200);
    await request(app.getHttpServer()).get('/health/ready').expect(200);
  });

  it('does not take a saturated pool for a stall: a request waiting for a connection is served, not failed', async () => {
    // Ten slow requests hold the whole pool (max 10) for 2.5 s; the eleventh waits for a connection.
    const slow = Array.from({ length: 10 }, () => get('/api/v1/stall/slow'));
    await new Promise((r) => setTimeout(r, 200));
    const waiting = await get('/api/v1/stall/count');
    expect(waiting.status).toBe(200);
    expect((await Promise.all(slow)).map((r) => r.status)).toEqual(Array(10).fill(200));
  });

  it('leaves a slow request on a healthy database alone', async () => {
    const res = await get('/api/v1/stall/slow');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ slow: true });
  });
});
