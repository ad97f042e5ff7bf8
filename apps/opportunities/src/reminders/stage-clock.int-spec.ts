import { randomUUID } from 'node:crypto';
import { SchedulerRegistry } from '@nestjs/schedule';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { opportunitiesSettings } from '../opportunities.settings';
import { stageDueAt } from './reminder.domain';
import { STAGE_OVERDUE_JOB } from './reminders.job';

const HOUR_MS = 1000;
const rep = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };
const admin = { sub: 'admin-1', roles: ['admin'] };

/** Compressed time for demos and system tests: nothing here calls the scan, the interval does. */
describe('stage-overdue scan on a compressed clock (real Kafka and PostgreSQL)', () => {
  let svc: TestService | undefined;
  const service = () => svc as TestService;

  beforeAll(async () => {
    svc = await startTestService('opportunities', (config) => AppModule.forRoot(config), {
      settings: opportunitiesSettings,
      env: { OPPORTUNITIES_STAGE_HOUR_MS: String(HOUR_MS), OPPORTUNITIES_STAGE_SCAN_INTERVAL_MS: '500' },
    });
  });
  afterAll(() => svc?.close());

  it('publishes opportunity.stage_overdue on its own once a 1-hour stage limit (1 s) has run out, and only once', async () => {
    const pipeline = await service()
      .as(admin)
      .post('/api/v1/pipelines')
      .send({
        name: 'one-hour',
        stages: [
          { key: 'qualify', name: 'Qualify', winProbability: 0.2, timeLimitHours: 1 },
          { key: 'close', name: 'Close', winProbability: 0.7 },
          { key: 'won', name: 'Won', winProbability: 1, outcome: 'won' },
          { key: 'lost', name: 'Lost', winProbability: 0, outcome: 'lost' },
        ],
      })
      .expect(201);
    const body = (pipelineId?: string) => ({
      customer: { name: 'Li Wei', company: 'Clockwork Ltd' },
      currency: 'USD',
      expectedCloseDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      expectedAmount: '1000',
      ...(pipelineId ? { pipelineId } : {}),
    });
    const o = (await service().as(rep).post('/api/v1/opportunities').send(body(pipeline.body.id)).expect(201)).body;
    // The default pipeline's first stage allows 168 h (168 s here): it must stay quiet meanwhile.
    const slow = (await service().as(rep).post('/api/v1/opportunities').send(body()).expect(201)).body;
    const enteredAt = new Date(o.stageEnteredAt);

    const overdue = async (id: string) => (await service().published('opportunity.stage_overdue')).filter((e) => e.subject === id);
    const [event] = await eventually(
      async () => {
        const found = await overdue(o.id);
        expect(found).toHaveLength(1);
        return found;
      },
      { timeoutMs: 8_000, intervalMs: 200 },
    );
    const data = event.data as { limitHours: number; enteredAt: string; detectedAt: string; stage: string; repId: string };
    // Detected by a scan after the compressed hour ran out, at most a scan interval or so later; the event keeps the configured hours.
    expect(data).toMatchObject({ opportunityId: o.id, repId: rep.sub, stage: 'qualify', limitHours: 1, enteredAt: enteredAt.toISOString() });
    const late = Date.parse(data.detectedAt) - enteredAt.getTime();
    expect(late).toBeGreaterThanOrEqual(HOUR_MS);
    expect(late).toBeLessThan(HOUR_MS + 3_000);

    // The stored reminder is due when the domain's rule says, and later scans raise nothing more.
    const reminders = async () => (await service().as(rep).get(`/api/v1/reminders?opportunityId=${o.id}`).expect(200)).body.items;
    expect(await reminders()).toEqual([expect.objectContaining({ stage: 'qualify', limitHours: 1, dueAt: stageDueAt(enteredAt, 1, HOUR_MS).toISOString() })]);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await overdue(o.id)).toHaveLength(1);
    expect(await reminders()).toHaveLength(1);
    expect(await overdue(slow.id)).toEqual([]);
  });

  it('runs the scan as an interval of the scheduler, which shutdown clears', async () => {
    const registry = service().app.get(SchedulerRegistry);
    expect(registry.getIntervals()).toContain(STAGE_OVERDUE_JOB);
    await service().close();
    svc = undefined;
    expect(registry.getIntervals()).not.toContain(STAGE_OVERDUE_JOB);
  });
});
