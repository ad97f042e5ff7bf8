import { randomUUID } from 'node:crypto';
import { startTestService, type TestService } from '@crm/testing';
import { analyticsSettings } from '../analytics.settings';
import { AppModule } from '../app.module';

const admin = { sub: randomUUID(), roles: ['admin'] };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team: 'aud-team' };
const PLAN = { currency: 'EUR', commission: { method: 'whole', bands: [{ from: '0', to: null, rate: '0.05' }] }, bonuses: [] };

describe('analytics audit trail (real PostgreSQL)', () => {
  let svc: TestService;
  const repId = randomUUID();
  const trail = (query: string) => svc.as(admin).get(`/api/v1/audit/analytics?${query}`).expect(200);

  beforeAll(async () => {
    svc = await startTestService('analytics', (config) => AppModule.forRoot(config), { settings: analyticsSettings });
    await svc.as(admin).put(`/api/v1/quotas/2026-Q3/${repId}`).send({ amount: '1000', currency: 'EUR' }).expect(200);
    await svc
      .as(admin)
      .put(`/api/v1/quotas/2026-Q3/${repId}`)
      .set('X-Forwarded-For', '203.0.113.60')
      .set('User-Agent', 'analytics-audit/1.0')
      .send({ amount: '1500.50', currency: 'EUR' })
      .expect(200);
  });
  afterAll(() => svc?.close());

  it('records a quota edit with who, when, from where and the old and new values', async () => {
    const { items } = (await trail(`recordType=quota&recordId=2026-Q3/${repId}`)).body;
    expect(items.map((e: { action: string }) => e.action)).toEqual(['updated', 'created']);
    expect(items[0]).toMatchObject({ actor: admin.sub, actorRoles: ['admin'], ip: '203.0.113.60', userAgent: 'analytics-audit/1.0' });
    expect(Date.now() - Date.parse(items[0].at)).toBeLessThan(60_000);
    expect(items[0].changes).toEqual([{ field: 'amount', old: '1000.00', new: '1500.50', personal: false }]);
    expect(items[1].changes).toEqual([
      { field: 'amount', old: null, new: '1000.00', personal: false },
      { field: 'currency', old: null, new: 'EUR', personal: false },
    ]);
  });

  it("records a manager's incentive plan, its replacement and its removal", async () => {
    const created = await svc.as(manager).put('/api/v1/incentive-plans/2026-Q3/aud-team').send(PLAN).expect(200);
    const bonuses = [{ metric: 'revenue', top: 1, amount: '100.00' }];
    await svc
      .as(manager)
      .put('/api/v1/incentive-plans/2026-Q3/aud-team')
      .set('If-Match', created.headers.etag)
      .send({ ...PLAN, bonuses })
      .expect(200);
    await svc
      .as(manager)
      .delete('/api/v1/incentive-plans/2026-Q3/aud-team')
      .set('If-Match', `"${created.body.version + 1}"`)
      .expect(204);
    const { items } = (await trail('recordType=incentive_plan&recordId=2026-Q3/aud-team')).body;
    expect(items.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['deleted', manager.sub],
      ['updated', manager.sub],
      ['created', manager.sub],
    ]);
    expect(items[1].changes).toEqual([{ field: 'bonuses', old: [], new: bonuses, personal: false }]);
  });
});
