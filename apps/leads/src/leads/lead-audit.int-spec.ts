import { randomUUID } from 'node:crypto';
import { ERASED, personalDataVault, personalKeyId } from '@crm/privacy';
import { startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { leadsSettings } from '../leads.settings';

const team = 'aud';
const admin = { sub: randomUUID(), roles: ['admin'] };
const rep = { sub: randomUUID(), roles: ['sales_rep'], team };

describe('leads audit trail (real PostgreSQL)', () => {
  let svc: TestService;
  let leadId: string;
  const trailOf = (claims: { sub: string; roles: string[]; team?: string }) => svc.as(claims).get(`/api/v1/audit/leads?recordType=lead&recordId=${leadId}`);

  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), { settings: leadsSettings });
    await svc.as(admin).post('/api/v1/reps').send({ id: rep.sub, name: 'Audit Rep', email: 'audit.rep@crm.example', team, capacity: 10 }).expect(201);
    await svc
      .as(admin)
      .post('/api/v1/assignment-rules')
      .send({ name: 'All to aud', position: 1, target: { kind: 'team', team } })
      .expect(201);
    leadId = (await svc.as(admin).post('/api/v1/leads').send({ name: 'Wang Fang', phone: '+86 138 0011 2233', source: 'phone', needs: '40 pumps' }).expect(201))
      .body.leadId;
    const lead = (await svc.as(rep).get(`/api/v1/leads/${leadId}`).expect(200)).body;
    await svc
      .as(rep)
      .patch(`/api/v1/leads/${leadId}`)
      .set('If-Match', `"${lead.version}"`)
      .set('X-Forwarded-For', '203.0.113.9')
      .send({ phone: '+86 139 0022 4455', score: 70 })
      .expect(200);
    await svc.as(rep).post(`/api/v1/leads/${leadId}/follow-ups`).send({ channel: 'call', content: 'Called Wang Fang about the pumps' }).expect(201);
  });
  afterAll(() => svc?.close());

  it('records the capture, the field edit with who, where, old and new values, and the follow-up; an admin reads them in clear', async () => {
    const { body } = await trailOf(admin).expect(200);
    expect(body.items.map((e: { action: string }) => e.action)).toEqual(['followed_up', 'updated', 'created']);
    const [followUp, edit, created] = body.items;
    expect(edit).toMatchObject({ actor: rep.sub, actorRoles: ['sales_rep'], ip: '203.0.113.9' });
    expect(edit.changes).toEqual([
      { field: 'phone', old: '+86 138 0011 2233', new: '+86 139 0022 4455', personal: true },
      { field: 'score', old: null, new: 70, personal: false },
    ]);
    expect(created).toMatchObject({ actor: admin.sub });
    expect(created.changes).toEqual(
      expect.arrayContaining([
        { field: 'contactName', old: null, new: 'Wang Fang', personal: true },
        { field: 'ownerRepId', old: null, new: rep.sub, personal: false },
      ]),
    );
    expect(followUp.changes).toContainEqual({ field: 'content', old: null, new: 'Called Wang Fang about the pumps', personal: true });
  });

  it('shows the owning rep the personal values masked', async () => {
    const { body } = await trailOf(rep).expect(200);
    expect(body.items[1].changes).toEqual([
      { field: 'phone', old: '•••33', new: '•••55', personal: true },
      { field: 'score', old: null, new: 70, personal: false },
    ]);
    expect(body.items[0].changes).toContainEqual({ field: 'content', old: null, new: 'C•••', personal: true });
  });

  it('keeps the trail append-only in the database', async () => {
    await expect(svc.dataSource.query('UPDATE audit_trail SET action = action')).rejects.toThrow(/append-only/);
    await expect(svc.dataSource.query('DELETE FROM audit_trail WHERE record_id = $1', [leadId])).rejects.toThrow(/append-only/);
  });

  it("reads [erased] for the personal values once the lead's key is destroyed", async () => {
    await personalDataVault().destroy([personalKeyId('leads', leadId)], 'leads', 'erasure');
    const { body } = await trailOf(admin).expect(200);
    expect(body.items[1].changes).toEqual([
      { field: 'phone', old: ERASED, new: ERASED, personal: true },
      { field: 'score', old: null, new: 70, personal: false },
    ]);
    const [{ raw }] = await svc.dataSource.query("SELECT string_agg(changes::text, ' ') AS raw FROM audit_trail");
    expect(raw).not.toContain('Wang Fang');
  });
});
