import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { Role } from '@crm/http';
import { eventually, type TestService } from '@crm/testing';
import { addRecipient, fanOut, repOf, setRecordOwner, startNotifications, type Claims } from '../testing/notifications-fixtures';
import { startReceiver, type Receiver } from './testing/webhook-receiver';

// Tiny delays so that four attempts take well under a second; two dead messages in a row disable an endpoint.
const ENV = {
  NOTIFICATIONS_WEBHOOK_BASE_DELAY_MS: '20',
  NOTIFICATIONS_DISPATCH_INTERVAL_MS: '100',
  NOTIFICATIONS_WEBHOOK_MAX_ATTEMPTS: '4',
  NOTIFICATIONS_WEBHOOK_DISABLE_AFTER: '2',
  NOTIFICATIONS_WEBHOOK_TIMEOUT_MS: '1000',
};

interface Row {
  id: string;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
}

describe('webhook dispatcher (real PostgreSQL, a receiver on 127.0.0.1)', () => {
  let svc: TestService;
  let receiver: Receiver;
  beforeAll(async () => {
    [svc, receiver] = await Promise.all([startNotifications(ENV), startReceiver()]);
  });
  afterAll(async () => {
    await svc?.close();
    await receiver?.close();
  });

  /** A rep with one endpoint at `path` of the receiver. */
  async function endpointOwner(path: string, body: Record<string, unknown> = {}, locale: 'en' | 'zh-CN' = 'en') {
    const owner = repOf('wh-dispatch');
    await addRecipient(svc, { userId: owner.sub, roles: [Role.SalesRep], team: 'wh-dispatch', locale, timeZone: 'Asia/Shanghai' });
    const created = await svc
      .as(owner)
      .post('/api/v1/webhook-endpoints')
      .send({ url: receiver.url(path), ...body })
      .expect(201);
    return { owner, id: created.body.id as string, secret: created.body.secret as string };
  }

  /** A lead assigned to the owner: one notification, one ledger row per endpoint of theirs. */
  async function leadAssigned(owner: Claims, label = 'ACME Robotics') {
    const leadId = randomUUID();
    await setRecordOwner(svc, 'lead', leadId, owner.sub, { label });
    await fanOut(svc, { eventType: 'lead.assigned', record: { kind: 'lead', id: leadId }, data: { firstFollowUpDueAt: '2026-03-02T02:00:00.000Z' } });
    return leadId;
  }

  const rows = (endpointId: string): Promise<Row[]> =>
    svc.dataSource.query(`SELECT id, status, attempts, last_status, last_error FROM deliveries WHERE channel = 'webhook' AND target = $1 ORDER BY created_at`, [
      endpointId,
    ]);
  const endpoint = (id: string) =>
    svc.dataSource.query('SELECT enabled, disabled_reason, consecutive_failures FROM webhook_endpoints WHERE id = $1', [id]).then((r) => r[0]);
  const disabledNotices = (userId: string) =>
    svc.dataSource.query(`SELECT record_id, params, in_app FROM notifications WHERE recipient_id = $1 AND type = 'webhook_endpoint_disabled'`, [userId]);

  it('retries 500s with the same webhook-id and valid signatures until a 2xx: sent once, after 4 attempts', async () => {
    receiver.answer('/retry', (n) => (n <= 3 ? 500 : 200));
    const { owner, id, secret } = await endpointOwner('/retry');
    const leadId = await leadAssigned(owner);

    const [row] = await eventually(async () => {
      const r = await rows(id);
      expect(r).toEqual([expect.objectContaining({ status: 'sent', attempts: 4, last_status: 200, last_error: null })]);
      return r;
    });
    const got = receiver.at('/retry');
    expect(got).toHaveLength(4);
    expect(new Set(got.map((g) => g.headers['webhook-id']))).toEqual(new Set([row.id]));
    for (const g of got) expect(new Webhook(secret).verify(g.body, g.headers)).toBeTruthy();
    // The receiver processes a message once per webhook-id, however often it came.
    const processed = new Set(got.map((g) => g.headers['webhook-id']));
    expect(processed.size).toBe(1);

    const body = JSON.parse(got[3].body);
    expect(body).toMatchObject({
      type: 'notification.lead_assigned',
      data: { type: 'lead_assigned', recordKind: 'lead', recordId: leadId, recipientId: owner.sub, critical: false, link: `/leads/${leadId}` },
    });
    // Rendered in the owner's locale and time zone (10:00 in Shanghai).
    expect(body.data.title).toBe('New lead for you: ACME Robotics');
    expect(body.data.body).toContain('10:00');
    expect((await endpoint(id)).consecutive_failures).toBe(0);

    const listed = await svc.as(owner).get(`/api/v1/webhook-endpoints/${id}/deliveries`).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: row.id, status: 'sent', attempts: 4, lastStatus: 200, type: 'lead_assigned' })]);
  });

  it('after a rotation, signs with the new and the previous secret, each verifying on its own', async () => {
    const { owner, id, secret: old } = await endpointOwner('/rotated');
    const rotated = await svc.as(owner).post(`/api/v1/webhook-endpoints/${id}/rotate-secret`).expect(200);
    await leadAssigned(owner);

    const [got] = await eventually(() => {
      expect(receiver.at('/rotated')).toHaveLength(1);
      return receiver.at('/rotated');
    });
    const signatures = got.headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(2);
    const only = (signature: string) => ({ ...got.headers, 'webhook-signature': signature });
    expect(() => new Webhook(rotated.body.secret).verify(got.body, only(signatures[0]))).not.toThrow();
    expect(() => new Webhook(old).verify(got.body, only(signatures[1]))).not.toThrow();
    expect(() => new Webhook(old).verify(got.body, only(signatures[0]))).toThrow();
  });

  it('410 Gone disables the endpoint at once, cancels what waits for it, and tells the owner', async () => {
    receiver.answer('/gone', () => 410);
    const { owner, id } = await endpointOwner('/gone');
    await leadAssigned(owner);

    await eventually(async () => expect(await endpoint(id)).toMatchObject({ enabled: false, disabled_reason: 'the receiver answered 410 Gone' }));
    expect(await rows(id)).toEqual([expect.objectContaining({ status: 'cancelled', attempts: 1, last_status: 410 })]);
    expect(receiver.at('/gone')).toHaveLength(1);
    expect(await disabledNotices(owner.sub)).toEqual([{ record_id: id, params: expect.objectContaining({ url: receiver.url('/gone') }), in_app: true }]);

    // No further deliveries: a new event makes no row, and a row made before the disable is cancelled when claimed.
    await leadAssigned(owner);
    await svc.dataSource.query(
      `INSERT INTO deliveries (id, dedupe_key, notification_id, channel, target) SELECT gen_random_uuid(), $1, max(id), 'webhook', $2 FROM notifications`,
      [randomUUID(), id],
    );
    await eventually(async () => expect((await rows(id)).map((r) => r.status)).toEqual(['cancelled', 'cancelled']));
    expect((await rows(id))[1].last_error).toBe('endpoint disabled');
    expect(receiver.at('/gone')).toHaveLength(1);
  });

  it('a receiver that always fails: dead after the last attempt; replayed once it recovers, delivered under the same webhook-id', async () => {
    let down = true;
    receiver.answer('/flaky', () => (down ? 500 : 204));
    const { owner, id, secret } = await endpointOwner('/flaky');
    await leadAssigned(owner);

    const [dead] = await eventually(async () => {
      const r = await rows(id);
      expect(r).toEqual([expect.objectContaining({ status: 'dead', attempts: 4, last_status: 500 })]);
      return r;
    });
    expect(dead.last_error).toContain('attempt 4 of 4');
    expect(receiver.at('/flaky')).toHaveLength(4);
    expect(await endpoint(id)).toMatchObject({ enabled: true, consecutive_failures: 1 });

    // Someone else cannot replay it; a replay of a message that is not dead or cancelled is refused.
    await svc.as(repOf('wh-dispatch')).post(`/api/v1/webhook-deliveries/${dead.id}/replay`).expect(404);
    down = false;
    const replayed = await svc.as(owner).post(`/api/v1/webhook-deliveries/${dead.id}/replay`).expect(200);
    expect(replayed.body).toMatchObject({ id: dead.id, status: 'pending', attempts: 0 });

    await eventually(async () => expect(await rows(id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 1, last_status: 204 })]));
    const last = receiver.at('/flaky')[4];
    expect(last.headers['webhook-id']).toBe(dead.id);
    expect(() => new Webhook(secret).verify(last.body, last.headers)).not.toThrow();
    expect(await endpoint(id)).toMatchObject({ enabled: true, consecutive_failures: 0 });
    expect((await svc.as(owner).post(`/api/v1/webhook-deliveries/${dead.id}/replay`).expect(409)).body.code).toBe('DELIVERY_NOT_REPLAYABLE');
  });

  it('a refused connection fails like a 5xx', async () => {
    const port = await closedPort();
    const owner = repOf('wh-dispatch');
    const { body } = await svc
      .as(owner)
      .post('/api/v1/webhook-endpoints')
      .send({ url: `http://127.0.0.1:${port}/none` })
      .expect(201);
    await leadAssigned(owner);
    await eventually(async () => expect(await rows(body.id)).toEqual([expect.objectContaining({ status: 'dead', attempts: 4, last_status: null })]));
    expect((await rows(body.id))[0].last_error).toContain('ECONNREFUSED');
  });

  it('disables an endpoint after N dead messages in a row and tells its owner in the app; enabling resets it', async () => {
    receiver.answer('/down', () => 503);
    const { owner, id } = await endpointOwner('/down', {}, 'zh-CN');
    await leadAssigned(owner, 'first');
    await eventually(async () => expect(await rows(id)).toEqual([expect.objectContaining({ status: 'dead' })]));
    expect(await endpoint(id)).toMatchObject({ enabled: true, consecutive_failures: 1 });
    await leadAssigned(owner, 'second');

    await eventually(async () => expect(await endpoint(id)).toMatchObject({ enabled: false, consecutive_failures: 2 }));
    expect((await rows(id)).map((r) => r.status)).toEqual(['dead', 'dead']);
    const [notice] = await disabledNotices(owner.sub);
    expect(notice).toMatchObject({ record_id: id, in_app: true, params: { ownerUserId: owner.sub, url: receiver.url('/down') } });
    expect(notice.params.reason).toContain('2 message(s) in a row');
    const read = await svc.as(owner).get(`/api/v1/webhook-endpoints/${id}`).expect(200);
    expect(read.body).toMatchObject({ enabled: false, consecutiveFailures: 2 });
    expect(read.body.disabledReason).toContain('503');

    // A dead message of a disabled endpoint is not replayed until the endpoint is enabled again.
    const [first] = await rows(id);
    expect((await svc.as(owner).post(`/api/v1/webhook-deliveries/${first.id}/replay`).expect(409)).body.code).toBe('ENDPOINT_DISABLED');
    const enabled = await svc.as(owner).post(`/api/v1/webhook-endpoints/${id}/enable`).expect(200);
    expect(enabled.body).toMatchObject({ enabled: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0 });
  });

  it('posts the IM robot formats, still signed', async () => {
    const { owner, id, secret } = await endpointOwner('/wecom', { format: 'wecom' }, 'zh-CN');
    await leadAssigned(owner, '华东机械');
    const [got] = await eventually(() => {
      expect(receiver.at('/wecom')).toHaveLength(1);
      return receiver.at('/wecom');
    });
    expect(JSON.parse(got.body)).toEqual({ msgtype: 'markdown', markdown: { content: expect.stringContaining('### 新线索分配给您：华东机械') } });
    expect(() => new Webhook(secret).verify(got.body, got.headers)).not.toThrow();
    await eventually(async () => expect((await rows(id))[0].status).toBe('sent'));
  });

  it('counts attempts by outcome in the metrics', async () => {
    const metrics = (await request(svc.app.getHttpServer()).get('/metrics').expect(200)).text;
    for (const outcome of ['sent', 'retry', 'dead', 'gone', 'cancelled']) {
      expect(metrics).toMatch(new RegExp(`crm_notifications_webhook_attempts_total\\{[^}]*outcome="${outcome}"[^}]*\\} [1-9]`));
    }
  });
});

describe('webhook dispatcher wake-up', () => {
  let svc: TestService;
  let receiver: Receiver;
  beforeAll(async () => {
    // An interval far longer than the test: only LISTEN deliveries can wake it.
    [svc, receiver] = await Promise.all([startNotifications({ ...ENV, NOTIFICATIONS_DISPATCH_INTERVAL_MS: '600000' }), startReceiver()]);
  });
  afterAll(async () => {
    await svc?.close();
    await receiver?.close();
  });

  it('sends as soon as a commit adds a webhook row (LISTEN deliveries), not at the next interval', async () => {
    const owner = repOf('wh-wake');
    const { body } = await svc
      .as(owner)
      .post('/api/v1/webhook-endpoints')
      .send({ url: receiver.url('/wake') })
      .expect(201);
    // Let the pass that ran at start-up go idle first.
    await new Promise((r) => setTimeout(r, 300));
    const leadId = randomUUID();
    await setRecordOwner(svc, 'lead', leadId, owner.sub);
    await fanOut(svc, { eventType: 'lead.assigned', record: { kind: 'lead', id: leadId }, data: {} });
    await eventually(() => expect(receiver.at('/wake')).toHaveLength(1), { timeoutMs: 5_000 });
    const [row] = await svc.dataSource.query(`SELECT id, status FROM deliveries WHERE target = $1`, [body.id]);
    expect(receiver.at('/wake')[0].headers['webhook-id']).toBe(row.id);
  });
});

/** A port nobody listens on: taken from the OS, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
