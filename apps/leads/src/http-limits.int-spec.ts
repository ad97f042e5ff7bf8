import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { SQL_INJECTION, startTestService, type TestService } from '@crm/testing';
import { AppModule } from './app.module';
import { leadsSettings } from './leads.settings';

const admin = { sub: randomUUID(), roles: ['admin'] };

/** Sends raw bytes (what no well-behaved client library would send) and returns the raw answer. */
async function rawHttp(server: Server, bytes: string): Promise<string> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.on('data', (d) => (answer += d));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    setTimeout(() => socket.destroy(), 5_000).unref();
  });
}

// Issue 9, limits: body size, page size, per-client rate limiting; SQL and header injection are inert.
describe('HTTP edge limits (leads in-process, real PostgreSQL)', () => {
  let svc: TestService;
  const leadCount = async () => Number((await svc.dataSource.query('SELECT count(*) AS n FROM leads'))[0].n);

  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), { settings: leadsSettings });
    for (const team of ['east', 'west']) {
      await svc
        .as(admin)
        .post('/api/v1/leads')
        .send({ source: 'phone', name: `Lead ${team}`, email: `${team}@limits.example`, region: team })
        .expect(201);
    }
  });
  afterAll(() => svc?.close());

  it('takes an empty body sent as application/json as an empty object: validation names the missing fields', async () => {
    const res = await svc.as(admin).post('/api/v1/leads').set('content-type', 'application/json').send('');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'name' })]));
  });

  it('refuses a JSON body over 1 MiB with 413 problem+json and stores nothing; a body under it reaches validation', async () => {
    const before = await leadCount();
    const big = await svc
      .as(admin)
      .post('/api/v1/leads')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ source: 'phone', name: 'Big', email: 'big@limits.example', needs: 'n'.repeat(1_100_000) }));
    expect(big.status).toBe(413);
    expect(big.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(big.body).toMatchObject({ status: 413, title: 'Payload Too Large' });
    // 900 KB is under the limit: the DTO's own limit answers.
    const under = await svc
      .as(admin)
      .post('/api/v1/leads')
      .send({ source: 'phone', name: 'Big', email: 'big@limits.example', needs: 'n'.repeat(900_000) });
    expect(under.status).toBe(400);
    expect(under.body.errors).toEqual([expect.objectContaining({ field: 'needs', constraint: 'maxLength' })]);
    expect(await leadCount()).toBe(before);
  });

  it('caps the page size at 200', async () => {
    const over = await svc.as(admin).get('/api/v1/leads?limit=201').expect(400);
    expect(over.body.errors).toEqual([expect.objectContaining({ field: 'limit', constraint: 'max' })]);
    await svc.as(admin).get('/api/v1/leads?limit=200').expect(200);
    await svc.as(admin).get('/api/v1/leads?limit=100000000000000000000').expect(400);
  });

  it('treats SQL injection in filters and sort as plain values: no match, no error, nothing dropped', async () => {
    const before = await leadCount();
    expect(before).toBeGreaterThanOrEqual(2);
    for (const attack of SQL_INJECTION) {
      for (const field of ['team', 'region']) {
        const res = await svc
          .as(admin)
          .get('/api/v1/leads')
          .query({ [field]: attack });
        // A filter value is bound as a parameter: it matches nothing, it is not code.
        expect([200, 400]).toContain(res.status);
        if (res.status === 200) expect(res.body.items).toEqual([]);
      }
      const sorted = await svc.as(admin).get('/api/v1/leads').query({ sort: attack }).expect(400);
      expect(sorted.body.errors[0]).toMatchObject({ field: 'sort', constraint: 'isIn' });
      await svc
        .as(admin)
        .get(`/api/v1/leads/${encodeURIComponent(attack)}`)
        .expect(400);
    }
    expect((await svc.as(admin).get('/api/v1/leads').query({ region: 'east' }).expect(200)).body.items).toHaveLength(1);
    expect(await leadCount()).toBe(before);
  });

  it('keeps CR/LF in headers inert: a raw CR or LF is a 400 problem+json, an encoded one is never echoed into a header', async () => {
    const server = svc.app.getHttpServer() as Server;
    const token = svc.token(admin);
    const answer = await rawHttp(
      server,
      `GET /api/v1/leads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nX-Correlation-Id: abc\rSet-Cookie: evil=1\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(answer).not.toMatch(/^set-cookie/im);
    const lf = await rawHttp(
      server,
      `GET /api/v1/leads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nIdempotency-Key: a\nSet-Cookie: evil=1\r\n\r\n`,
    );
    expect(lf).not.toMatch(/^set-cookie/im);
    expect(lf).not.toMatch(/^HTTP\/1\.1 [25]\d\d /);

    const encoded = await svc.as(admin).get('/api/v1/leads').set('x-correlation-id', 'abc%0d%0aSet-Cookie:%20evil=1').expect(200);
    expect(encoded.headers['set-cookie']).toBeUndefined();
    expect(encoded.headers['x-correlation-id']).not.toContain('Set-Cookie');
    const huge = await rawHttp(server, `GET /api/v1/leads HTTP/1.1\r\nHost: x\r\nX-Pad: ${'p'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(huge).toMatch(/application\/problem\+json[\s\S]*"status":431/);
  });
});

describe('per-client rate limiting (leads in-process, RATE_LIMIT_PER_MINUTE=5)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), { env: { RATE_LIMIT_PER_MINUTE: '5' }, settings: leadsSettings });
  });
  afterAll(() => svc?.close());

  it('answers the 6th request of a client in a minute with 429 problem+json and Retry-After; other clients and probes go on', async () => {
    const a = { sub: randomUUID(), roles: ['admin'] };
    const b = { sub: randomUUID(), roles: ['admin'] };
    for (let i = 0; i < 5; i++) await svc.as(a).get('/api/v1/leads').expect(200);
    const limited = await svc.as(a).get('/api/v1/leads').expect(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Counted per token subject, not per connection or address: b shares a's address.
    await svc.as(b).get('/api/v1/leads').expect(200);
    for (let i = 0; i < 10; i++) {
      await request(svc.app.getHttpServer()).get('/health/live').expect(200);
      await request(svc.app.getHttpServer()).get('/metrics').expect(200);
    }
    // Anonymous callers (the web-form intake) are counted by address.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await request(svc.app.getHttpServer()).post('/api/v1/intake/web-form').send({})).status);
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses[5]).toBe(429);
  });
});
