import { Body, Controller, HttpStatus, INestApplication, Logger, Post } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IsOptional, IsString } from 'class-validator';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  ApiConventionsModule,
  AuthUser,
  CreateIdempotencyKeys1764201600001,
  CurrentUser,
  IdempotencyKeyEntity,
  IdempotencyKeyPurge,
  Idempotent,
  ProblemException,
  purgeExpiredIdempotencyKeys,
  Role,
  Roles,
  createHttpAdapter,
} from '../src';
import { inTransaction } from '@crm/persistence';
import { createTestDatabase, eventually, type TestDatabase } from '@crm/testing';

const SECRET = 'idempotency-test-secret-of-32-chars-or-more';
const jwt = new JwtService({ secret: SECRET });
const bearer = (sub: string) => `Bearer ${jwt.sign({ sub, roles: [Role.SalesRep] }, { expiresIn: 300 })}`;

class CreateLeadDto {
  @IsString() name: string;
  @IsOptional() @IsString() phone?: string;
}

/** What the throwaway controller did, so a test can tell a replay from a second execution. */
const handler = {
  executions: 0,
  gate: undefined as Promise<void> | undefined,
  failNext: false,
};

@Controller('leads')
@Roles(Role.SalesRep) // RolesGuard denies a route that names no roles
class LeadsController {
  @Post()
  @Idempotent()
  async create(@Body() dto: CreateLeadDto, @CurrentUser() user: AuthUser) {
    handler.executions += 1;
    const execution = handler.executions;
    if (handler.gate) await handler.gate;
    if (handler.failNext) {
      handler.failNext = false;
      throw new Error('transient failure');
    }
    if (dto.name === 'duplicate') {
      throw new ProblemException({ status: HttpStatus.CONFLICT, code: 'DUPLICATE_LEAD', detail: 'Already captured.' });
    }
    return { id: `lead-${execution}`, name: dto.name, phone: dto.phone ?? null, ownerId: user.sub, version: 1 };
  }
}

/** A create with a real effect, written the way services write (inTransaction), read back afterwards. */
@Controller('deals')
@Roles(Role.SalesRep)
class DealsController {
  constructor(private readonly dataSource: DataSource) {}

  @Post()
  @Idempotent()
  async create(@Body() dto: CreateLeadDto) {
    handler.executions += 1;
    await inTransaction(this.dataSource, (m) => m.query('INSERT INTO deals (name) VALUES ($1)', [dto.name]));
    // Outside inTransaction, on purpose: a read after the write must see it in the shared transaction.
    const [{ n }] = await this.dataSource.query('SELECT count(*)::int AS n FROM deals WHERE name = $1', [dto.name]);
    return { name: dto.name, seen: n };
  }
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Idempotency-Key on PostgreSQL', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let dataSource: DataSource;
  const ada = bearer('rep-ada');

  const post = (key: string | undefined, body: object, auth = ada) => {
    const req = request(app.getHttpServer()).post('/leads').set('Authorization', auth);
    return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
  };

  beforeAll(async () => {
    database = await createTestDatabase('http_test');
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: database.url,
          entities: [IdempotencyKeyEntity],
          migrations: [CreateIdempotencyKeys1764201600001],
          migrationsRun: true,
          synchronize: false,
        }),
        ApiConventionsModule.forRoot({ jwtSecret: SECRET }),
      ],
      controllers: [LeadsController, DealsController],
    }).compile();
    app = moduleRef.createNestApplication(createHttpAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    dataSource = app.get(DataSource);
    await dataSource.query('CREATE TABLE deals (id serial PRIMARY KEY, name text NOT NULL)');
  });

  beforeEach(() => {
    Object.assign(handler, { executions: 0, gate: undefined, failNext: false });
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('replays the stored answer for the same key and body, without running the handler again', async () => {
    const first = await post('key-replay', { name: 'Ada', phone: '+44 1' });
    const again = await post('key-replay', { phone: '+44 1', name: 'Ada' });

    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    expect(again.headers.etag).toBe('"1"');
    expect(handler.executions).toBe(1);
  });

  it('answers 422 when the key comes back with a different body', async () => {
    await post('key-mismatch', { name: 'Ada' }).expect(201);
    const res = await post('key-mismatch', { name: 'Grace' });

    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(handler.executions).toBe(1);
  });

  it('answers 409 to a second request while the first is still in flight', async () => {
    let open!: () => void;
    handler.gate = new Promise<void>((resolve) => (open = resolve));
    const first = post('key-concurrent', { name: 'Ada' }).then((res) => res);
    await until(() => handler.executions === 1);

    const second = await post('key-concurrent', { name: 'Ada' });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');

    open();
    expect((await first).status).toBe(201);
    const third = await post('key-concurrent', { name: 'Ada' });
    expect(third.headers['idempotent-replayed']).toBe('true');
    expect(handler.executions).toBe(1);
  });

  it('lets exactly one of many simultaneous requests run', async () => {
    let open!: () => void;
    handler.gate = new Promise<void>((resolve) => (open = resolve));
    let settled = 0;
    const racing = Array.from({ length: 8 }, () =>
      post('key-race', { name: 'Ada' }).then((res) => {
        settled += 1;
        return res;
      }),
    );
    // Only the winner waits at the gate; everyone else must have been answered while it is held.
    await until(() => handler.executions === 1 && settled === 7);
    open();
    const statuses = (await Promise.all(racing)).map((res) => res.status).sort();

    expect(handler.executions).toBe(1);
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
  });

  it('does not store a 5xx failure: the retry with the same key runs', async () => {
    handler.failNext = true;
    expect((await post('key-5xx', { name: 'Ada' })).status).toBe(500);
    const retry = await post('key-5xx', { name: 'Ada' });

    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(handler.executions).toBe(2);
  });

  it('does not store a 4xx failure: the retry with the same key runs', async () => {
    expect((await post('key-4xx', { name: 'duplicate' })).status).toBe(409);
    expect((await post('key-4xx', { name: 'duplicate' })).status).toBe(409);
    expect(handler.executions).toBe(2);
  });

  it('does not claim the key for a body that fails validation', async () => {
    expect((await post('key-invalid', { name: 42 })).status).toBe(400);
    const fixed = await post('key-invalid', { name: 'Ada' });

    expect(fixed.status).toBe(201);
    expect(handler.executions).toBe(1);
  });

  it('scopes a key to its caller', async () => {
    await post('key-shared', { name: 'Ada' }).expect(201);
    const other = await post('key-shared', { name: 'Ada' }, bearer('rep-grace'));

    expect(other.status).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(other.body.ownerId).toBe('rep-grace');
    expect(handler.executions).toBe(2);
  });

  it('runs every request that carries no key', async () => {
    await post(undefined, { name: 'Ada' }).expect(201);
    await post(undefined, { name: 'Ada' }).expect(201);
    expect(handler.executions).toBe(2);
  });

  it('rejects a malformed key with 400', async () => {
    const res = await post('x'.repeat(256), { name: 'Ada' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
  });

  it('takes over a claim abandoned in flight (its owner crashed) after the timeout', async () => {
    await dataSource.query(
      `INSERT INTO idempotency_keys (key, principal, route, request_hash, claim_token, created_at)
       VALUES ('key-abandoned', 'rep-ada', 'POST /leads', repeat('0', 64), gen_random_uuid(), now() - interval '1 hour')`,
    );
    const res = await post('key-abandoned', { name: 'Ada' });
    expect(res.status).toBe(201);
    expect(handler.executions).toBe(1);
  });

  it("stores the answer in the handler's transaction: a failure before it is stored leaves no effect, and the retry applies it once", async () => {
    const deals = async (name: string) => (await dataSource.query('SELECT count(*)::int AS n FROM deals WHERE name = $1', [name]))[0].n;
    const postDeal = (name: string) =>
      request(app.getHttpServer()).post('/deals').set('Authorization', ada).set('Idempotency-Key', 'key-atomic').send({ name });
    // The database refuses to store this answer: the handler's work is done by then, its commit is not.
    await dataSource.query(`
      CREATE FUNCTION refuse_answer() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'answer not stored'; END $$;
      CREATE TRIGGER refuse_answer BEFORE UPDATE OF response_status ON idempotency_keys
        FOR EACH ROW WHEN (NEW.key = 'key-atomic') EXECUTE FUNCTION refuse_answer();`);
    try {
      expect((await postDeal('Acme')).status).toBe(500);
    } finally {
      await dataSource.query('DROP TRIGGER refuse_answer ON idempotency_keys; DROP FUNCTION refuse_answer()');
    }
    expect(handler.executions).toBe(1);
    expect(await deals('Acme')).toBe(0);
    expect(await dataSource.query(`SELECT 1 FROM idempotency_keys WHERE key = 'key-atomic'`)).toEqual([]);

    const retry = await postDeal('Acme');
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual({ name: 'Acme', seen: 1 });
    const replay = await postDeal('Acme');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(handler.executions).toBe(2);
    expect(await deals('Acme')).toBe(1);
  });

  it('purges keys older than the cutoff and keeps the rest', async () => {
    await dataSource.query(
      `INSERT INTO idempotency_keys (key, principal, route, request_hash, claim_token, response_status, created_at)
       VALUES ('old-1', 'p', 'POST /leads', repeat('0', 64), gen_random_uuid(), 201, now() - interval '3 days'),
              ('old-2', 'p', 'POST /leads', repeat('0', 64), gen_random_uuid(), 201, now() - interval '2 days'),
              ('fresh', 'p', 'POST /leads', repeat('0', 64), gen_random_uuid(), 201, now())`,
    );
    const deleted = await purgeExpiredIdempotencyKeys(dataSource, new Date(Date.now() - 24 * 3600 * 1000));

    expect(deleted).toBe(2);
    const left: { key: string }[] = await dataSource.query(`SELECT key FROM idempotency_keys WHERE principal = 'p'`);
    expect(left.map((row) => row.key)).toEqual(['fresh']);
  });

  it('has a reversible migration with the primary key and expiry index', async () => {
    const indexes = async (): Promise<string[]> =>
      (await dataSource.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'idempotency_keys' ORDER BY indexname`)).map(
        (row: { indexname: string }) => row.indexname,
      );
    expect(await indexes()).toEqual(['idx_idempotency_keys_created_at', 'pk_idempotency_keys']);

    await dataSource.undoLastMigration();
    expect((await dataSource.query(`SELECT to_regclass('idempotency_keys') AS t`))[0].t).toBeNull();

    await dataSource.runMigrations();
    expect(await indexes()).toEqual(['idx_idempotency_keys_created_at', 'pk_idempotency_keys']);
  });
});

describe('expired Idempotency-Keys', () => {
  let database: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    database = await createTestDatabase('http_purge');
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ type: 'postgres', url: database.url, migrations: [CreateIdempotencyKeys1764201600001], migrationsRun: true }),
        ApiConventionsModule.forRoot({ jwtSecret: SECRET, idempotency: { retentionMs: 3600_000, purgeIntervalMs: 100 } }),
        ScheduleModule.forRoot(),
      ],
      providers: [IdempotencyKeyPurge],
    }).compile();
    app = moduleRef.createNestApplication(createHttpAdapter(), { logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('are purged by the scheduled job in batches, while younger ones stay', async () => {
    const dataSource = app.get(DataSource);
    await dataSource.query(
      `INSERT INTO idempotency_keys (key, principal, route, request_hash, claim_token, response_status, created_at)
       SELECT 'old-' || i, 'p', 'POST /leads', repeat('0', 64), gen_random_uuid(), 201, now() - interval '2 hours'
       FROM generate_series(1, 2500) AS i
       UNION ALL SELECT 'fresh', 'p', 'POST /leads', repeat('0', 64), gen_random_uuid(), 201, now() - interval '50 minutes'`,
    );

    await eventually(async () => {
      const left: { key: string }[] = await dataSource.query(`SELECT key FROM idempotency_keys ORDER BY key`);
      expect(left.map((row) => row.key)).toEqual(['fresh']);
    });
  });
});
