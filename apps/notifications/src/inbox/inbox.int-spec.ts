import { randomUUID } from 'node:crypto';
import type { TestService } from '@crm/testing';
import { addRecipient, assignLead, fanOut, managerOf, repOf, setRecordOwner, startNotifications } from '../testing/notifications-fixtures';

describe('in-app inbox (real PostgreSQL)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startNotifications();
  });
  afterAll(() => svc?.close());

  const list = async (user: { sub: string; roles: string[] }, query = '') => (await svc.as(user).get(`/api/v1/notifications${query}`).expect(200)).body;
  const unread = async (user: { sub: string; roles: string[] }) => (await svc.as(user).get('/api/v1/notifications/unread-count').expect(200)).body.unread;

  it("lists the caller's own notifications unread first, then newest, in cursor pages, rendered in their language", async () => {
    const rep = repOf('inbox-east');
    await addRecipient(svc, { userId: rep.sub, locale: 'en', timeZone: 'Asia/Shanghai' });
    for (let i = 0; i < 5; i++) await assignLead(svc, rep.sub, `Lead ${i}`);
    await assignLead(svc, repOf('other').sub); // someone else's: never shown
    const all = await list(rep);
    expect(all.items).toHaveLength(5);
    expect(all.items[0]).toMatchObject({ type: 'lead_assigned', critical: false, recordKind: 'lead', title: 'New lead for you: Lead 4', readAt: null });
    expect(all.items[0].body).toBe('Follow up first by Dec 1, 2026, 10:00 AM.'); // 02:00Z in the recipient's Shanghai time
    expect(all.items[0].link).toBe(`/leads/${all.items[0].recordId}`);
    const ids: string[] = all.items.map((n: { id: string }) => n.id);
    expect(ids).toEqual([...ids].sort((a, b) => Number(b) - Number(a)));

    // Reading the two newest puts them after the unread ones.
    await svc.as(rep).post(`/api/v1/notifications/${ids[0]}/read`).expect(200);
    await svc.as(rep).post(`/api/v1/notifications/${ids[1]}/read`).expect(200);
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await list(rep, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual([ids[2], ids[3], ids[4], ids[0], ids[1]]);
    await svc.as(rep).get('/api/v1/notifications?cursor=abc').expect(400);
  });

  it('renders in Accept-Language, else Chinese, for a user with no recipient row, in the business time zone', async () => {
    const rep = repOf('inbox-lang');
    await assignLead(svc, rep.sub, 'Acme');
    const en = (await svc.as(rep).get('/api/v1/notifications').set('accept-language', 'en-US,en;q=0.9').expect(200)).body.items[0];
    expect(en.title).toBe('New lead for you: Acme');
    expect(en.body).toBe('Follow up first by Dec 1, 2026, 2:00 AM.'); // CRM_TIMEZONE defaults to UTC
    expect((await list(rep)).items[0].title).toBe('新线索分配给您：Acme');
  });

  it('filters by status and type, and counts the unread', async () => {
    const rep = repOf('inbox-filter');
    const [a, b, c] = [await assignLead(svc, rep.sub), await assignLead(svc, rep.sub), await assignLead(svc, rep.sub)];
    const leadId = randomUUID();
    await setRecordOwner(svc, 'lead', leadId, rep.sub);
    await fanOut(svc, {
      eventType: 'lead.first_follow_up_due_soon',
      record: { kind: 'lead', id: leadId },
      data: { leadId, firstFollowUpDueAt: new Date().toISOString() },
    });
    const byRecord = Object.fromEntries((await list(rep)).items.map((n: { recordId: string; id: string }) => [n.recordId, n.id]));
    expect(await unread(rep)).toBe(4);

    await svc.as(rep).post(`/api/v1/notifications/${byRecord[a]}/read`).expect(200);
    await svc.as(rep).post(`/api/v1/notifications/${byRecord[b]}/archive`).expect(200);
    const ids = async (q: string) => (await list(rep, q)).items.map((n: { recordId: string }) => n.recordId).sort();
    expect(await ids('?status=unread')).toEqual([c, leadId].sort());
    expect(await ids('?status=read')).toEqual([a]);
    expect(await ids('?status=archived')).toEqual([b]);
    expect(await ids('')).toEqual([a, c, leadId].sort());
    expect(await ids('?status=all')).toEqual([a, b, c, leadId].sort());
    expect(await ids('?type=first_follow_up_due_soon')).toEqual([leadId]);
    expect((await list(rep, '?type=first_follow_up_due_soon')).items[0].critical).toBe(true);
    expect(await unread(rep)).toBe(2);
    await svc.as(rep).get('/api/v1/notifications?status=deleted').expect(400);
  });

  it('marks read and unread, and read-all (optionally up to an id); reading acknowledges an escalating alert', async () => {
    const rep = repOf('inbox-read');
    const leadId = randomUUID();
    await setRecordOwner(svc, 'lead', leadId, rep.sub);
    await fanOut(svc, { eventType: 'reminder.next_action_overdue', record: { kind: 'lead', id: leadId }, data: { leadId, nextAction: 'call' } });
    const [alert] = (await list(rep)).items;
    const escalation = async () =>
      (await svc.dataSource.query('SELECT escalates_at FROM notifications WHERE id = $1', [alert.id]))[0].escalates_at as Date | null;
    expect(await escalation()).not.toBeNull();

    const read = (await svc.as(rep).post(`/api/v1/notifications/${alert.id}/read`).expect(200)).body;
    expect(read.readAt).not.toBeNull();
    expect(await escalation()).toBeNull();
    const unreadAgain = (await svc.as(rep).post(`/api/v1/notifications/${alert.id}/unread`).expect(200)).body;
    expect(unreadAgain.readAt).toBeNull();
    expect(await escalation()).toBeNull(); // acknowledged once is acknowledged
    expect(await unread(rep)).toBe(1);

    await assignLead(svc, rep.sub);
    await assignLead(svc, rep.sub);
    const [newest] = (await list(rep)).items;
    const upTo = (
      await svc
        .as(rep)
        .post('/api/v1/notifications/read-all')
        .send({ before: String(Number(newest.id) - 1) })
        .expect(200)
    ).body;
    expect(upTo).toEqual({ updated: 2, unread: 1 });
    expect(await svc.as(rep).post('/api/v1/notifications/read-all').send({}).expect(200)).toMatchObject({ body: { updated: 1, unread: 0 } });
    await svc.as(rep).post('/api/v1/notifications/read-all').send({ before: 'x' }).expect(400);
  });

  it('archives: hidden from the default list, acknowledged', async () => {
    const rep = repOf('inbox-archive');
    await assignLead(svc, rep.sub);
    const [n] = (await list(rep)).items;
    const archived = (await svc.as(rep).post(`/api/v1/notifications/${n.id}/archive`).expect(200)).body;
    expect(archived.archivedAt).not.toBeNull();
    expect((await list(rep)).items).toEqual([]);
    expect(await unread(rep)).toBe(0);
  });

  it('snoozes: hidden and not counted until due; a past or too distant time is a 400 on until', async () => {
    const rep = repOf('inbox-snooze');
    await assignLead(svc, rep.sub);
    const [n] = (await list(rep)).items;
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect((await svc.as(rep).post(`/api/v1/notifications/${n.id}/snooze`).send({ until }).expect(200)).body.snoozedUntil).toBe(until);
    expect((await list(rep)).items).toEqual([]);
    expect(await unread(rep)).toBe(0);
    expect((await list(rep, '?status=all')).items.map((x: { id: string }) => x.id)).toEqual([n.id]);

    // The snooze passes.
    await svc.dataSource.query(`UPDATE notifications SET snoozed_until = now() - interval '1 second' WHERE id = $1`, [n.id]);
    expect((await list(rep)).items.map((x: { id: string }) => x.id)).toEqual([n.id]);
    expect(await unread(rep)).toBe(1);

    for (const bad of [new Date(Date.now() - 60_000).toISOString(), new Date(Date.now() + 31 * 86_400_000).toISOString(), 'tomorrow']) {
      const res = await svc.as(rep).post(`/api/v1/notifications/${n.id}/snooze`).send({ until: bad }).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'until' })]);
    }
  });

  it("answers 404 for someone else's notification or an id that is none, and lets every role read its own", async () => {
    const owner = repOf('inbox-404');
    const other = managerOf('inbox-404');
    await assignLead(svc, owner.sub);
    const [n] = (await list(owner)).items;
    for (const action of ['read', 'unread', 'archive']) {
      const res = await svc.as(other).post(`/api/v1/notifications/${n.id}/${action}`).expect(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    await svc
      .as(other)
      .post(`/api/v1/notifications/${n.id}/snooze`)
      .send({ until: new Date(Date.now() + 60_000).toISOString() })
      .expect(404);
    await svc.as(owner).post('/api/v1/notifications/abc/read').expect(404);
    expect((await list(owner)).items[0].readAt).toBeNull();
    for (const role of ['admin', 'sales_manager', 'sales_rep', 'integration', 'product_team', 'finance']) {
      await svc
        .as({ sub: randomUUID(), roles: [role] })
        .get('/api/v1/notifications/unread-count')
        .expect(200, { unread: 0 });
    }
  });
});
