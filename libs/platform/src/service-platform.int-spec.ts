import { randomUUID } from 'node:crypto';
import { Body, Controller, Injectable, Module, Post, type INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { JwtService } from '@nestjs/jwt';
import { IsString, MaxLength } from 'class-validator';
import request from 'supertest';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ALL_TOPICS, DLQ_HEADERS, Topics, dlqTopic, type EventOf } from '@crm/contracts';
import { CreateIdempotencyKeys1764201600001, Role, Roles, createHttpAdapter } from '@crm/http';
import { CreateMessagingTables1764201600000, OnEvent, appendToOutbox, ensureTopics, newEvent, type InboxContext } from '@crm/messaging';
import { createTestDatabase, deleteTopicsWithPrefix, eventually, readTopic, testInfra, testKafka, uniqueTopicPrefix, type TestDatabase } from '@crm/testing';
import { connectEventConsumers, loadServiceConfig, ServicePlatformModule, setupOpenApi } from './index';

class CreateTestOrders1764201609998 implements MigrationInterface {
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE test_orders (id uuid PRIMARY KEY, note text NOT NULL, allocated boolean NOT NULL DEFAULT false)');
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE test_orders');
  }
}

class CreateTestOrderDto {
  @IsString() @MaxLength(50) note: string;
}

const POISON = 'poison';
const SLOW = 'slow';
// Lets a test hold a handler mid-event while it shuts the app down.
const slowHandler = { entered: () => undefined as void, release: Promise.resolve() };

@Injectable()
class TestOrdersService {
  constructor(private readonly dataSource: DataSource) {}

  create(note: string) {
    const orderId = randomUUID();
    return this.dataSource.transaction(async (m) => {
      await m.query('INSERT INTO test_orders (id, note) VALUES ($1, $2)', [orderId, note]);
      const event = newEvent('order.allocated', { subject: orderId, data: { orderId, at: new Date().toISOString() } });
      await appendToOutbox(m, [event]);
      return { id: orderId, correlationId: event.correlationid };
    });
  }

  async markAllocated(event: EventOf<'order.allocated'>, { manager }: InboxContext) {
    const [row] = await manager.query('SELECT note FROM test_orders WHERE id = $1', [event.data.orderId]);
    if (row?.note === POISON) throw new Error(`order ${event.data.orderId} cannot be allocated`);
    if (row?.note === SLOW) {
      slowHandler.entered();
      await slowHandler.release;
    }
    await manager.query('UPDATE test_orders SET allocated = true WHERE id = $1', [event.data.orderId]);
  }
}

@Controller('api/v1/test-orders')
class TestOrdersController {
  constructor(private readonly orders: TestOrdersService) {}

  @Post()
  @Roles(Role.SalesRep)
  create(@Body() dto: CreateTestOrderDto) {
    return this.orders.create(dto.note);
  }
}

@Controller()
class TestOrdersConsumer {
  constructor(private readonly orders: TestOrdersService) {}

  @OnEvent('crm.order.allocated')
  onAllocated(@Payload() event: EventOf<'order.allocated'>, @Ctx() ctx: InboxContext) {
    return this.orders.markAllocated(event, ctx);
  }
}

@Module({ controllers: [TestOrdersController, TestOrdersConsumer], providers: [TestOrdersService] })
class TestOrdersModule {}

describe('a service on the platform (real Kafka and PostgreSQL)', () => {
  const secret = 'platform-test-secret-0123456789-abcdef';
  let db: TestDatabase;
  let app: INestApplication;
  let prefix: string;
  let token: string;

  beforeAll(async () => {
    const infra = await testInfra();
    db = await createTestDatabase('platform');
    prefix = uniqueTopicPrefix();
    const config = loadServiceConfig('orders', {
      ORDERS_DATABASE_URL: db.url,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      JWT_SECRET: secret,
    });
    await ensureTopics(
      await testKafka(),
      ALL_TOPICS.map((t) => ({ topic: `${prefix}${t}`, partitions: 1 })),
    );
    const migrations = [CreateMessagingTables1764201600000, CreateIdempotencyKeys1764201600001, CreateTestOrders1764201609998];
    const moduleRef = await Test.createTestingModule({
      imports: [ServicePlatformModule.forRoot({ config, migrations }), TestOrdersModule],
    }).compile();
    app = moduleRef.createNestApplication(createHttpAdapter());
    await app.get(DataSource).runMigrations();
    setupOpenApi(app, config);
    await connectEventConsumers(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    token = new JwtService({ secret }).sign({ sub: randomUUID(), roles: ['sales_rep'], team: 'north' }, { expiresIn: '1h' });
  });

  let closed = false;
  afterAll(async () => {
    if (!closed) await app?.close();
    await db?.drop();
    await deleteTopicsWithPrefix(await testKafka(), prefix);
  });

  const post = (note: unknown) => request(app.getHttpServer()).post('/api/v1/test-orders').set('authorization', `Bearer ${token}`).send({ note });
  const allocated = async (id: string) => (await app.get(DataSource).query('SELECT allocated FROM test_orders WHERE id = $1', [id]))[0]?.allocated;

  it('carries a state change through outbox, relay, Kafka and an @EventPattern handler, with the request correlation id', async () => {
    const res = await post('first order').set('x-correlation-id', 'journey-42').expect(201);
    expect(res.body.correlationId).toBe('journey-42');
    await eventually(async () => expect(await allocated(res.body.id)).toBe(true));
  });

  it('rejects bad input whole with problem+json and stores nothing', async () => {
    const before = (await app.get(DataSource).query('SELECT count(*)::int AS n FROM test_orders'))[0].n;
    const res = await post(12).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'note', constraint: 'isString' }));
    await request(app.getHttpServer()).post('/api/v1/test-orders').send({ note: 'x' }).expect(401);
    expect((await app.get(DataSource).query('SELECT count(*)::int AS n FROM test_orders'))[0].n).toBe(before);
  });

  it("dead-letters an event whose handler keeps failing, with the handler's own error", async () => {
    const res = await post(POISON).expect(201);
    const kafka = await testKafka();
    const [dead] = await eventually(
      async () => {
        const found = (await readTopic(kafka, dlqTopic(`${prefix}${Topics.orders}`))).filter((m) => m.key === res.body.id);
        expect(found).toHaveLength(1);
        return found;
      },
      { timeoutMs: 40_000 },
    );
    expect(dead.headers[DLQ_HEADERS.error.name]).toContain(`order ${res.body.id} cannot be allocated`);
    expect(await allocated(res.body.id)).toBe(false);
  });

  it('serves health, metrics and the OpenAPI document without a token', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200);
    // Readiness is the database only: a Kafka outage must not take the pods out of service (writes go to the outbox).
    const ready = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(Object.keys(ready.body.details)).toEqual(['database']);
    const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
    for (const name of ['crm_outbox_backlog', 'crm_events_consumed_total', 'crm_dlq_messages_total', 'http_requests_total', 'process_cpu_seconds_total']) {
      expect(metrics.text).toContain(name);
    }
    // Kafka's health and the consumer group's lag are read from the broker on an interval instead.
    await eventually(async () => {
      const text = (await request(app.getHttpServer()).get('/metrics').expect(200)).text;
      expect(text).toMatch(/^crm_kafka_up\{[^}]*\} 1$/m);
      expect(text).toMatch(new RegExp(`^crm_consumer_lag\\{[^}]*group="${prefix}orders\\.events"`, 'm'));
    });
    const doc = await request(app.getHttpServer()).get('/openapi.json').expect(200);
    expect(doc.body.paths['/api/v1/test-orders']).toBeDefined();
  });

  it('shuts down mid-event without losing or dead-lettering it: the handler finishes, then the pool closes', async () => {
    let release!: () => void;
    slowHandler.release = new Promise<void>((resolve) => (release = resolve));
    const entered = new Promise<void>((resolve) => (slowHandler.entered = resolve));
    const res = await post(SLOW).expect(201);
    await entered;

    const dataSource = app.get(DataSource);
    const closing = app.close().then(() => (closed = true));
    setTimeout(release, 300);
    await closing;

    const check = new DataSource({ type: 'postgres', url: db.url });
    await check.initialize();
    try {
      const [row] = await check.query('SELECT allocated FROM test_orders WHERE id = $1', [res.body.id]);
      expect(row.allocated).toBe(true);
    } finally {
      await check.destroy();
    }
    expect(dataSource.isInitialized).toBe(false);
    const dead = (await readTopic(await testKafka(), dlqTopic(`${prefix}${Topics.orders}`))).filter((m) => m.key === res.body.id);
    expect(dead).toEqual([]);
  });
});
