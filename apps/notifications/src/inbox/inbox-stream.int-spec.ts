import { lastUnread, notificationIds, openStream, startTestService, type SseClient, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { notificationsSettings } from '../notifications.settings';
import { assignLead, repOf, startNotifications } from '../testing/notifications-fixtures';

const HEARTBEAT_MS = 300;

describe('live notification stream (SSE, real PostgreSQL, two replicas)', () => {
  let a: TestService;
  let b: TestService;
  let urlA: string;
  let urlB: string;
  const clients: SseClient[] = [];
  const open = async (url: string, path: string, headers: Record<string, string> = {}) => {
    const c = await openStream(url, path, headers);
    clients.push(c);
    return c;
  };
  const auth = (svc: TestService, user: { sub: string; roles: string[] }) => ({ authorization: `Bearer ${svc.token(user)}` });

  beforeAll(async () => {
    const env = { NOTIFICATIONS_SSE_HEARTBEAT_MS: String(HEARTBEAT_MS) };
    a = await startNotifications(env);
    // A second replica on the same database, re-checking only every minute: it hears A's commits through NOTIFY.
    b = await startTestService('notifications', (config) => AppModule.forRoot(config), {
      settings: notificationsSettings,
      env: { NOTIFICATIONS_SSE_HEARTBEAT_MS: '60000' },
      database: a.db,
      prefix: a.prefix,
    });
    await a.app.listen(0, '127.0.0.1');
    await b.app.listen(0, '127.0.0.1');
    urlA = (await a.app.getUrl()).replace('[::1]', '127.0.0.1');
    urlB = (await b.app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await b?.close();
    await a?.close();
  });

  it('starts from now with the unread count, then pushes each new notification with its id, retry hint and heartbeats', async () => {
    const rep = repOf('sse-live');
    await assignLead(a, rep.sub); // before the stream: not sent again
    const s = await open(urlA, '/api/v1/notifications/stream', auth(a, rep));
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toContain('text/event-stream');
    await s.until((e) => lastUnread(e) === 1);
    expect(s.events[0]).toMatchObject({ event: 'unread-count', data: '{"unread":1}' });

    const lead = await assignLead(a, rep.sub, 'Live One');
    const events = await s.until((e) => notificationIds(e).length === 1 && lastUnread(e) === 2);
    const pushed = events.find((e) => e.event === 'notification')!;
    const item = JSON.parse(pushed.data);
    expect(item).toMatchObject({ id: pushed.id, type: 'lead_assigned', recordId: lead, title: '新线索分配给您：Live One', readAt: null });
    const [listed] = (await a.as(rep).get('/api/v1/notifications').expect(200)).body.items;
    expect(item).toEqual(listed); // the same JSON as the list item
    expect(s.retry).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS * 2.5));
    expect(s.comments.length).toBeGreaterThanOrEqual(1);

    // Reading it elsewhere updates the count on the stream.
    await a.as(rep).post(`/api/v1/notifications/${pushed.id}/read`).expect(200);
    await s.until((e) => lastUnread(e) === 1);
  });

  it('after a disconnect, resumes after Last-Event-ID with exactly the missed ones, none repeated', async () => {
    const rep = repOf('sse-resume');
    // The missed ones straddle 99999 → 100000: a cursor that compared ids as text would repeat some.
    await a.dataSource.query(`SELECT setval('notifications_id_seq', 99994)`);
    const first = await open(urlA, '/api/v1/notifications/stream', auth(a, rep));
    await first.until((e) => lastUnread(e) === 0);
    for (let i = 0; i < 3; i++) await assignLead(a, rep.sub);
    const seen = notificationIds(await first.until((e) => notificationIds(e).length === 3));
    first.close();

    for (let i = 0; i < 4; i++) await assignLead(a, rep.sub);
    const again = await open(urlA, '/api/v1/notifications/stream', { ...auth(a, rep), 'last-event-id': seen[2]! });
    await again.until((e) => notificationIds(e).length === 4);
    await assignLead(a, rep.sub);
    const all = notificationIds(await again.until((e) => notificationIds(e).length === 5));
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS * 2)); // re-checks on heartbeats send nothing twice
    const ids = (await a.as(rep).get('/api/v1/notifications?limit=50').expect(200)).body.items
      .map((n: { id: string }) => n.id)
      .sort((x: string, y: string) => Number(x) - Number(y));
    expect(seen).toEqual(ids.slice(0, 3));
    expect(notificationIds(again.events)).toEqual(ids.slice(3));
    expect(all).toHaveLength(5);

    // The query parameter works too, for a client that cannot set the header.
    const byQuery = await open(urlA, `/api/v1/notifications/stream?lastEventId=${ids[6]}`, auth(a, rep));
    expect(notificationIds(await byQuery.until((e) => notificationIds(e).length === 1))).toEqual([ids[7]]);
  });

  it('reaches a stream held by the other replica within 2 s', async () => {
    const rep = repOf('sse-replicas');
    const onB = await open(urlB, '/api/v1/notifications/stream', auth(b, rep));
    await onB.until((e) => lastUnread(e) === 0);
    const t0 = Date.now();
    await assignLead(a, rep.sub); // committed through replica A
    await onB.until((e) => notificationIds(e).length === 1, 2_000);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('reopens a dropped LISTEN connection and catches up with what was committed meanwhile', async () => {
    const rep = repOf('sse-relisten');
    const onB = await open(urlB, '/api/v1/notifications/stream', auth(b, rep));
    await onB.until((e) => lastUnread(e) === 0);
    const killed = await a.dataSource.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN notifications'`,
    );
    expect(killed).toHaveLength(2); // one per replica
    await assignLead(a, rep.sub); // probably committed while B has no LISTEN connection
    await onB.until((e) => notificationIds(e).length === 1, 3_000);
    await assignLead(a, rep.sub);
    await onB.until((e) => notificationIds(e).length === 2, 2_000);
  });

  it('takes the token from access_token on the stream only, and refuses a stream without a token', async () => {
    const rep = repOf('sse-token');
    const s = await open(urlA, `/api/v1/notifications/stream?access_token=${a.token(rep)}`);
    expect(s.status).toBe(200);
    await s.until((e) => lastUnread(e) === 0);
    const none = await open(urlA, '/api/v1/notifications/stream');
    expect(none.status).toBe(401);
    const res = await fetch(`${urlA}/api/v1/notifications/unread-count?access_token=${a.token(rep)}`);
    expect(res.status).toBe(401);
  });

  it('counts open streams and pushed notifications in /metrics, and forgets a closed stream', async () => {
    const rep = repOf('sse-metrics');
    const s = await open(urlA, '/api/v1/notifications/stream', auth(a, rep));
    await s.until((e) => lastUnread(e) === 0);
    const metric = async (name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\d+)`, 'm').exec(await (await fetch(`${urlA}/metrics`)).text())?.[1]);
    const before = await metric('crm_notifications_streams_open');
    const pushed = await metric('crm_notifications_pushed_total');
    await assignLead(a, rep.sub);
    await s.until((e) => notificationIds(e).length === 1);
    expect(await metric('crm_notifications_pushed_total')).toBeGreaterThan(pushed);
    s.close();
    const deadline = Date.now() + 2_000;
    while ((await metric('crm_notifications_streams_open')) !== before - 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await metric('crm_notifications_streams_open')).toBe(before - 1);
  });
});
