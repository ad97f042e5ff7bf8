import { randomUUID } from 'node:crypto';
import { createEvent } from '@crm/contracts';
import { ERASED } from '@crm/privacy';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { opportunitiesSettings } from '../opportunities.settings';

const rep = { sub: randomUUID(), roles: ['sales_rep'], team: 'aud' };
const admin = { sub: randomUUID(), roles: ['admin'] };
const closeDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
type Claims = { sub: string; roles: string[]; team?: string };
interface Entry {
  action: string;
  actor: string;
  changes: { field: string; old: unknown; new: unknown; personal: boolean }[];
}

describe('opportunities audit trail (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  let id: string;
  const contactId = randomUUID();
  const trailOf = async (claims: Claims): Promise<Entry[]> =>
    (await svc.as(claims).get(`/api/v1/audit/opportunities?recordType=opportunity&recordId=${id}`).expect(200)).body.items;
  const entry = (entries: Entry[], action: string) => entries.find((e) => e.action === action)!;

  beforeAll(async () => {
    svc = await startTestService('opportunities', (config) => AppModule.forRoot(config), { settings: opportunitiesSettings });
    const customer = { name: 'Lin Yutang', company: 'Audit Pumps', email: 'lin.yutang@audit.example', phone: '+86 138 0099 4411' };
    id = (
      await svc
        .as(rep)
        .post('/api/v1/opportunities')
        .send({ customer, contactId, currency: 'USD', expectedCloseDate: closeDate, expectedAmount: '12000' })
        .expect(201)
    ).body.id;
    await svc
      .as(rep)
      .patch(`/api/v1/opportunities/${id}`)
      .set('X-Forwarded-For', '203.0.113.21')
      .set('User-Agent', 'opportunity-audit/1.0')
      .send({ expectedAmount: '15000', fields: { needsReport: 'Lin wants pumps by May' } })
      .expect(200);
    await svc.as(rep).post(`/api/v1/opportunities/${id}/tasks`).send({ key: 'call', title: 'Call Lin' }).expect(201);
    await svc.as(rep).post(`/api/v1/opportunities/${id}/lose`).send({ reason: 'budget cut', competitor: 'Globex' }).expect(200);
  });
  afterAll(() => svc?.close());

  it('records the creation, the edit with who, when, where, old and new values, the task and the loss; an admin reads them in clear', async () => {
    const entries = await trailOf(admin);
    expect(entries.map((e) => e.action)).toEqual(['lost', 'task_added', 'updated', 'created']);
    const edit = entry(entries, 'updated');
    expect(edit).toMatchObject({ actor: rep.sub, actorRoles: ['sales_rep'], ip: '203.0.113.21', userAgent: 'opportunity-audit/1.0' });
    expect(Date.now() - Date.parse((edit as unknown as { at: string }).at)).toBeLessThan(60_000);
    expect(edit.changes).toEqual([
      { field: 'expectedAmount', old: expect.stringMatching(/^12000/), new: expect.stringMatching(/^15000/), personal: false },
      { field: 'fields.needsReport', old: null, new: 'Lin wants pumps by May', personal: true },
    ]);
    expect(entry(entries, 'created').changes).toEqual(
      expect.arrayContaining([
        { field: 'customerName', old: null, new: 'Lin Yutang', personal: true },
        { field: 'customerEmail', old: null, new: 'lin.yutang@audit.example', personal: true },
        { field: 'customerPhone', old: null, new: '+86 138 0099 4411', personal: true },
        { field: 'customerCompany', old: null, new: 'Audit Pumps', personal: false },
        { field: 'repId', old: null, new: rep.sub, personal: false },
      ]),
    );
    expect(entry(entries, 'task_added').changes).toContainEqual({ field: 'tasks.call.title', old: null, new: 'Call Lin', personal: true });
    expect(entry(entries, 'lost').changes).toEqual(
      expect.arrayContaining([
        { field: 'status', old: 'open', new: 'lost', personal: false },
        { field: 'lostReason', old: null, new: 'budget cut', personal: true },
      ]),
    );
    // Stored sealed: the table holds none of the personal values.
    const [{ raw }] = await svc.dataSource.query("SELECT string_agg(changes::text, ' ') AS raw FROM audit_trail WHERE record_id = $1", [id]);
    expect(raw).toContain('15000');
    for (const value of ['Lin Yutang', 'lin.yutang', '0099 4411', 'pumps by May', 'budget cut']) expect(raw).not.toContain(value);
  });

  it('shows the owning sales rep the personal values masked', async () => {
    const entries = await trailOf(rep);
    expect(entry(entries, 'created').changes).toEqual(
      expect.arrayContaining([
        { field: 'customerName', old: null, new: 'L•••', personal: true },
        { field: 'customerEmail', old: null, new: 'l•••@audit.example', personal: true },
        { field: 'customerPhone', old: null, new: '•••11', personal: true },
      ]),
    );
    expect(entry(entries, 'updated').changes).toContainEqual({ field: 'fields.needsReport', old: null, new: 'L•••', personal: true });
  });

  it("records the person's export per opportunity handed out, and their erasure by whoever erased them", async () => {
    await svc.as(admin).get(`/api/v1/personal-data/opportunities?contactId=${contactId}`).expect(200);
    expect(entry(await trailOf(admin), 'exported')).toMatchObject({ actor: admin.sub, changes: [] });

    const erasedBy = randomUUID();
    const erased = createEvent('contact.erased', {
      subject: contactId,
      data: {
        contactId,
        leadIds: [],
        opportunityIds: [],
        orderIds: [],
        receivableIds: [],
        requestId: randomUUID(),
        by: erasedBy,
        erasedAt: new Date().toISOString(),
      },
    });
    await svc.publish(erased);
    const entries = await eventually(async () => {
      const found = await trailOf(admin);
      expect(found[0].action).toBe('erased');
      return found;
    });
    expect(entries[0]).toMatchObject({ actor: erasedBy, actorRoles: [] });
    expect(entries[0].changes).toEqual([
      { field: 'customerName', old: ERASED, new: ERASED, personal: true },
      { field: 'customerEmail', old: ERASED, new: ERASED, personal: true },
      { field: 'customerPhone', old: ERASED, new: ERASED, personal: true },
    ]);
    // The entries stay; their personal values are gone with the opportunity's key.
    expect(entry(entries, 'created').changes).toContainEqual({ field: 'customerName', old: ERASED, new: ERASED, personal: true });
    expect(entry(entries, 'updated').changes).toContainEqual({
      field: 'expectedAmount',
      old: expect.stringMatching(/^12000/),
      new: expect.stringMatching(/^15000/),
      personal: false,
    });
  });
});
