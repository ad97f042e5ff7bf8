import type { DynamicModule, INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createHttpAdapter } from '@crm/http';
import { definitionOf, type EventEnvelope, type EventName, type ServiceName } from '@crm/contracts';
import {
  connectEventConsumers,
  loadServiceConfig,
  setupOpenApi,
  type ServiceConfig,
  type SettingSpec,
  type SettingsOf,
  type SettingsSpec,
} from '@crm/platform';
import { createTestDatabase, type TestDatabase } from './database';
import { testInfra } from './infra';
import { deleteTopicsWithPrefix, readTopic, testKafka, uniqueTopicPrefix } from './kafka';

export const TEST_JWT_SECRET = 'test-secret-of-at-least-32-characters!';

export interface TokenClaims {
  sub: string;
  roles: string[];
  team?: string;
}

export interface TestService<Settings = unknown> {
  app: INestApplication;
  config: ServiceConfig<Settings>;
  db: TestDatabase;
  dataSource: DataSource;
  /** Topic prefix of this test's isolated streams. */
  prefix: string;
  token(claims: TokenClaims): string;
  /** supertest against the app, with `Authorization: Bearer` for the given claims. */
  as(claims: TokenClaims): {
    get(url: string): request.Test;
    post(url: string): request.Test;
    put(url: string): request.Test;
    patch(url: string): request.Test;
    delete(url: string): request.Test;
  };
  /** Puts events on the (prefixed) topics their definitions name, keyed by subject, as a producer service would. */
  publish(...events: EventEnvelope[]): Promise<void>;
  /** Every event of the given type now on its topic. */
  published<N extends EventName>(name: N): Promise<EventEnvelope[]>;
  close(): Promise<void>;
}

/**
 * One service running in-process on a fresh database and its own topic prefix, with its migrations run,
 * its OpenAPI set up and its event consumers connected: what `bootstrapService` does, minus the port.
 */
export async function startTestService<S extends SettingsSpec = Record<never, SettingSpec>>(
  service: ServiceName,
  moduleFor: (config: ServiceConfig<SettingsOf<S>>) => DynamicModule,
  /** `env` is all the service sees of the environment; `settings` is the service's settings spec, read from it. */
  /** `database`: another instance's, to run a second replica on it (its migrations are already run; it is not dropped here). */
  options: { env?: Record<string, string>; prefix?: string; settings?: S; database?: TestDatabase } = {},
): Promise<TestService<SettingsOf<S>>> {
  const infra = await testInfra();
  const db = options.database ?? (await createTestDatabase(service));
  const prefix = options.prefix ?? uniqueTopicPrefix();
  const config = loadServiceConfig(
    service,
    {
      [`${service.toUpperCase()}_DATABASE_URL`]: db.url,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      JWT_SECRET: TEST_JWT_SECRET,
      ...options.env,
    },
    options.settings,
  );
  const moduleRef = await Test.createTestingModule({ imports: [moduleFor(config)] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { logger: ['error', 'warn'], rawBody: true });
  const dataSource = app.get(DataSource);
  await dataSource.runMigrations({ transaction: 'each' });
  setupOpenApi(app, config);
  await connectEventConsumers(app);
  await app.init();
  // supertest drives the Node server directly: Fastify must have loaded its routes first.
  await app.getHttpAdapter().getInstance().ready();

  const jwt = new JwtService({ secret: TEST_JWT_SECRET });
  const token = (claims: TokenClaims) => jwt.sign({ ...claims }, { expiresIn: '1h' });
  const kafka = await testKafka(`${service}-test`);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();

  return {
    app,
    config,
    db,
    dataSource,
    prefix,
    token,
    as(claims) {
      const auth = `Bearer ${token(claims)}`;
      const server = app.getHttpServer();
      return {
        get: (url) => request(server).get(url).set('authorization', auth),
        post: (url) => request(server).post(url).set('authorization', auth),
        put: (url) => request(server).put(url).set('authorization', auth),
        patch: (url) => request(server).patch(url).set('authorization', auth),
        delete: (url) => request(server).delete(url).set('authorization', auth),
      };
    },
    async publish(...events) {
      for (const event of events) {
        const { topic } = definitionOf(event.type.replace(/^crm\./, '') as EventName);
        await producer.send({ topic: `${prefix}${topic}`, acks: -1, messages: [{ key: event.subject, value: JSON.stringify(event) }] });
      }
    },
    async published(name) {
      const { topic, type } = definitionOf(name);
      return (await readTopic(kafka, `${prefix}${topic}`)).map((m) => JSON.parse(m.value ?? 'null') as EventEnvelope).filter((e) => e?.type === type);
    },
    async close() {
      await producer.disconnect().catch(() => undefined);
      await app.close();
      if (!options.database) await db.drop();
      if (!options.prefix) await deleteTopicsWithPrefix(kafka, prefix);
    },
  };
}
