import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { opportunitiesSettings } from '../opportunities.settings';
import { StageOverdueJob } from '../reminders/reminders.job';
import { FACTORS } from '../scoring/scoring.domain';

const now = () => new Date().toISOString();
const team = 'east';
const rep = { sub: randomUUID(), roles: ['sales_rep'], team };
const otherRep = { sub: randomUUID(), roles: ['sales_rep'], team: 'west' };
const manager = { sub: randomUUID(), roles: ['sales_manager'], team };
const admin = { sub: 'admin-1', roles: ['admin'] };
const cents = (n: number) => Math.round(n * 100);

const opportunity = (overrides: Record<string, unknown> = {}) => ({
  customer: { name: 'Li Wei', company: 'Acme Trading', email: 'li.wei@acme.example' },
  currency: 'USD',
  expectedCloseDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
  expectedAmount: '12000',
  companySize: 'medium',
  ...overrides,
});
const lines = [
  { sku: 'PUMP-200', productName: 'Pump 200 W', quantity: 3, unitPrice: '19.99', discount: '5' },
  { sku: 'VALVE-10', productName: 'Valve 10 mm', quantity: 2, unitPrice: '100.10' },
];

describe('opportunities service (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  const count = async (sql: string, params: unknown[] = []) => Number((await svc.dataSource.query(sql, params))[0].n);
  const eventsFor = async (name: Parameters<TestService['published']>[0], id: string) => (await svc.published(name)).filter((e) => e.subject === id);
  const create = async (body = opportunity(), as: { sub: string; roles: string[]; team?: string } = rep) =>
    (await svc.as(as).post('/api/v1/opportunities').send(body).expect(201)).body;

  beforeAll(async () => {
    svc = await startTestService('opportunities', (config) => AppModule.forRoot(config), { settings: opportunitiesSettings });
  });
  afterAll(() => svc?.close());

  it('creates with an Idempotency-Key in one transaction with its answer: the answer reads what it wrote, a retry replays it', async () => {
    const key = randomUUID();
    const body = opportunity({ customer: { name: 'Zhao Min', company: 'Idempotent Ltd' } });
    const first = await svc.as(rep).post('/api/v1/opportunities').set('Idempotency-Key', key).send(body).expect(201);
    const again = await svc.as(rep).post('/api/v1/opportunities').set('Idempotency-Key', key).send(body).expect(201);

    expect(first.body).toMatchObject({ id: expect.any(String), customer: { company: 'Idempotent Ltd' } });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    expect(await count(`SELECT count(*) AS n FROM opportunities WHERE customer->>'company' = 'Idempotent Ltd'`)).toBe(1);
    await eventually(async () => expect(await eventsFor('opportunity.created', first.body.id)).toHaveLength(1));
  });

  it('refuses an opportunity without its customer with a field error, storing nothing', async () => {
    const { customer: _left, ...noCustomer } = opportunity();
    const before = await count('SELECT count(*) AS n FROM opportunities');
    const refused = await svc.as(rep).post('/api/v1/opportunities').send(noCustomer).expect(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['customer']);
    expect(await count('SELECT count(*) AS n FROM opportunities')).toBe(before);
  });

  it('opens one opportunity per converted lead, however often and under whatever id lead.converted arrives', async () => {
    const leadId = randomUUID();
    const captured = createEvent('lead.captured', {
      subject: leadId,
      data: { leadId, source: 'web_form', contact: { name: 'Chen Jie', company: 'Harbour Tools' }, companySize: 'enterprise', capturedAt: now() },
    });
    const converted = createEvent('lead.converted', {
      subject: leadId,
      data: {
        leadId,
        repId: rep.sub,
        team,
        customer: { name: 'Chen Jie', company: 'Harbour Tools' },
        expectedAmount: '5000',
        currency: 'EUR',
        productNeeds: ['pumps'],
        capturedAt: now(),
        convertedAt: now(),
      },
    });
    await svc.publish(captured, converted, converted, { ...converted, id: randomUUID() } as EventEnvelope);
    const [row] = await eventually(async () => {
      const rows = await svc.dataSource.query('SELECT id, company_size FROM opportunities WHERE lead_id = $1', [leadId]);
      expect(rows).toHaveLength(1);
      return rows;
    });
    // A later event on the same partition proves the duplicates before it were consumed (and skipped).
    const marker = createEvent('lead.followed_up', {
      subject: leadId,
      data: { leadId, followUpId: randomUUID(), repId: rep.sub, channel: 'call', at: now(), content: 'called' },
    });
    await svc.publish(marker);
    await eventually(async () => expect(await count('SELECT follow_ups AS n FROM lead_facts WHERE lead_id = $1', [leadId])).toBe(1));
    expect(await count('SELECT count(*) AS n FROM opportunities WHERE lead_id = $1', [leadId])).toBe(1);
    expect(row.company_size).toBe('enterprise');
    const created = await eventually(async () => {
      const found = await eventsFor('opportunity.created', row.id);
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(created.data).toMatchObject({ leadId, repId: rep.sub, stage: 'needs_analysis', winProbability: 0.1, expectedAmount: '5000.00', currency: 'EUR' });
    const detail = (await svc.as(rep).get(`/api/v1/opportunities/${row.id}`).expect(200)).body;
    expect(detail.scoreFactors.find((f: { factor: string }) => f.factor === 'engagement').explanation).toContain('1 activity');
  });

  it('refuses to move past a stage with unmet exit criteria, listing them; records the move once they are met', async () => {
    const o = await create();
    const refused = await svc.as(rep).post(`/api/v1/opportunities/${o.id}/stage`).send({ toStage: 'negotiation' }).expect(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.code).toBe('EXIT_CRITERIA_UNMET');
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'needsReport', constraint: 'exitCriteria:needs_analysis' }),
      expect.objectContaining({ field: 'lines', constraint: 'exitCriteria:proposal' }),
    ]);
    await svc.as(rep).post(`/api/v1/opportunities/${o.id}/stage`).send({ toStage: 'proposal' }).expect(409);
    expect((await svc.as(rep).get(`/api/v1/opportunities/${o.id}`)).body.stage).toBe('needs_analysis');

    const patched = await svc
      .as(rep)
      .patch(`/api/v1/opportunities/${o.id}`)
      .set('if-match', `"${o.version}"`)
      .send({ fields: { needsReport: 'https://docs.example/needs.pdf' }, lines })
      .expect(200);
    await svc.as(rep).patch(`/api/v1/opportunities/${o.id}`).set('if-match', `"${o.version}"`).send({ region: 'north' }).expect(412);
    const moved = await svc.as(rep).post(`/api/v1/opportunities/${o.id}/stage`).send({ toStage: 'negotiation' }).expect(200);
    expect(moved.body).toMatchObject({ stage: 'negotiation', winProbability: 0.6 });
    expect(moved.body.version).toBeGreaterThan(patched.body.version);
    expect(moved.body.history.map((h: { toStage: string }) => h.toStage)).toEqual(['needs_analysis', 'negotiation']);
    expect(moved.body.history[1]).toMatchObject({ fromStage: 'needs_analysis', by: rep.sub });
    const backwards = await svc.as(rep).post(`/api/v1/opportunities/${o.id}/stage`).send({ toStage: 'proposal' }).expect(409);
    expect(backwards.body.code).toBe('ILLEGAL_STAGE_MOVE');

    // A required task: a custom pipeline demands a completed task before leaving its first stage.
    const pipeline = await svc
      .as(admin)
      .post('/api/v1/pipelines')
      .send({
        name: 'with-task',
        stages: [
          { key: 'qualify', name: 'Qualify', winProbability: 0.2, exitCriteria: { requiredTasks: ['discovery_call'] }, timeLimitHours: 24 },
          { key: 'close', name: 'Close', winProbability: 0.7 },
          { key: 'won', name: 'Won', winProbability: 1, outcome: 'won' },
          { key: 'lost', name: 'Lost', winProbability: 0, outcome: 'lost' },
        ],
      })
      .expect(201);
    const t = await create(opportunity({ pipelineId: pipeline.body.id }));
    const unmet = await svc.as(rep).post(`/api/v1/opportunities/${t.id}/stage`).send({ toStage: 'close' }).expect(409);
    expect(unmet.body.errors.map((e: { field: string }) => e.field)).toEqual(['tasks.discovery_call']);
    const withTask = await svc.as(rep).post(`/api/v1/opportunities/${t.id}/tasks`).send({ key: 'discovery_call', title: 'Discovery call' }).expect(201);
    const task = withTask.body.tasks[0];
    await svc.as(rep).post(`/api/v1/opportunities/${t.id}/tasks/${task.id}/complete`).expect(200);
    await svc.as(rep).post(`/api/v1/opportunities/${t.id}/stage`).send({ toStage: 'close' }).expect(200);

    const [changed] = await eventually(async () => {
      const found = await eventsFor('opportunity.stage_changed', o.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(changed.data).toMatchObject({ fromStage: 'needs_analysis', toStage: 'negotiation', winProbability: 0.6, by: rep.sub });
  });

  it('publishes opportunity.terms_changed for each edit that changes the amount, close date or lines, and nothing for one that does not', async () => {
    const o = await create(opportunity({ expectedAmount: '12000', expectedCloseDate: '2026-09-30' }));
    const patch = (body: object) => svc.as(rep).patch(`/api/v1/opportunities/${o.id}`).send(body).expect(200);
    await patch({ expectedAmount: '15000.5', expectedCloseDate: '2026-10-15' });
    // The same terms written differently, and details that are not terms: no event.
    await patch({ expectedAmount: '15000.50', expectedCloseDate: '2026-10-15', region: 'north', fields: { note: 'x' } });
    const last = await patch({ lines });
    expect(last.body).toMatchObject({ expectedAmount: '15000.50', expectedCloseDate: '2026-10-15' });

    // Per-key order on the topic: had the second edit published, it would come before the third.
    const found = await eventually(async () => {
      const events = await eventsFor('opportunity.terms_changed', o.id);
      expect(events).toHaveLength(2);
      return events;
    });
    expect(found.map((e) => e.data)).toEqual([
      expect.objectContaining({
        expectedAmount: '15000.50',
        expectedCloseDate: '2026-10-15',
        currency: 'USD',
        lines: [],
        changed: ['expectedAmount', 'expectedCloseDate'],
      }),
      expect.objectContaining({
        expectedAmount: '15000.50',
        changed: ['lines'],
        lines: [expect.objectContaining({ sku: 'PUMP-200' }), expect.objectContaining({ sku: 'VALVE-10' })],
      }),
    ]);
    expect(found[0].data).toMatchObject({ opportunityId: o.id, repId: rep.sub, by: rep.sub });
    expect(Date.parse((found[0].data as { changedAt: string }).changedAt)).toBeLessThanOrEqual(Date.parse((found[1].data as { changedAt: string }).changedAt));
  });

  it('publishes exactly one stage_overdue reminder per crossing of a stage time limit, even with two concurrent scans', async () => {
    const o = await create(opportunity({ customer: { name: 'Late Co', company: 'Late Co' } }));
    const job = svc.app.get(StageOverdueJob);
    const enteredAt = new Date((await svc.as(rep).get(`/api/v1/opportunities/${o.id}`)).body.stageEnteredAt);
    // needs_analysis allows 168 hours.
    expect(await job.scan(new Date(enteredAt.getTime() + 167 * 3_600_000))).toBe(0);
    const later = new Date(enteredAt.getTime() + 169 * 3_600_000);
    const stored = () => count('SELECT count(*) AS n FROM stage_overdue_reminders');
    const before = await stored();
    const [a, b] = await Promise.all([job.scan(later), job.scan(later)]);
    // Other tests' opportunities cross too: together the two runs raised each crossing once, no more.
    expect(a + b).toBe((await stored()) - before);
    expect(await count('SELECT count(*) AS n FROM outbox WHERE message_key = $1 AND event_type = $2', [o.id, 'crm.opportunity.stage_overdue'])).toBe(1);
    expect(await job.scan(new Date(later.getTime() + 3_600_000))).toBe(0);
    expect(await count('SELECT count(*) AS n FROM stage_overdue_reminders WHERE opportunity_id = $1', [o.id])).toBe(1);

    const reminders = (await svc.as(rep).get(`/api/v1/reminders?repId=${rep.sub}&opportunityId=${o.id}`).expect(200)).body.items;
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ stage: 'needs_analysis', limitHours: 168, repId: rep.sub });
    expect((await svc.as(otherRep).get(`/api/v1/reminders?opportunityId=${o.id}`).expect(200)).body.items).toHaveLength(0);
    const [event] = await eventually(async () => {
      const found = await eventsFor('opportunity.stage_overdue', o.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(event.data).toMatchObject({ opportunityId: o.id, repId: rep.sub, stage: 'needs_analysis', limitHours: 168, enteredAt: enteredAt.toISOString() });
  });

  it('explains every score (contributions sum to it) and ranks the worklist by it with cursor pages; filters narrow it', async () => {
    const ranker = { sub: randomUUID(), roles: ['sales_rep'], team: 'ranking' };
    const far = new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10);
    await create(opportunity({ companySize: 'micro', expectedAmount: '50', expectedCloseDate: far }), ranker);
    await create(opportunity({ companySize: 'enterprise', expectedAmount: '900000' }), ranker);
    await create(opportunity({ companySize: 'medium', expectedAmount: '8000' }), ranker);
    const first = (await svc.as(ranker).get('/api/v1/opportunities?sort=-score&limit=2').expect(200)).body;
    const second = (
      await svc
        .as(ranker)
        .get(`/api/v1/opportunities?sort=-score&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)
        .expect(200)
    ).body;
    const ranked = [...first.items, ...second.items];
    expect(ranked).toHaveLength(3);
    expect(second.nextCursor).toBeNull();
    const scores = ranked.map((o: { score: number }) => o.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    expect(new Set(scores).size).toBe(3);
    expect(ranked[0].companySize).toBe('enterprise');
    for (const o of ranked) {
      expect(o.scoreFactors.map((f: { factor: string }) => f.factor)).toEqual([...FACTORS]);
      expect(o.scoreFactors.reduce((s: number, f: { contribution: number }) => s + cents(f.contribution), 0)).toBe(cents(o.score));
      for (const f of o.scoreFactors) expect(f.explanation).toEqual(expect.any(String));
    }
    const [scored] = await eventsFor('opportunity.scored', ranked[0].id);
    expect(scored.data).toMatchObject({ score: ranked[0].score });

    const minScore = scores[1];
    const filtered = (await svc.as(ranker).get(`/api/v1/opportunities?sort=-score&minScore=${minScore}&minAmount=100&closeTo=${far}`).expect(200)).body.items;
    expect(filtered.map((o: { id: string }) => o.id)).toEqual(ranked.slice(0, 2).map((o: { id: string }) => o.id));
    expect((await svc.as(otherRep).get('/api/v1/opportunities?sort=-score').expect(200)).body.items).toHaveLength(0);
    const bad = await svc
      .as(ranker)
      .get('/api/v1/opportunities?sort=score&cursor=' + encodeURIComponent(first.nextCursor))
      .expect(400);
    expect(bad.body.errors[0].field).toBe('cursor');
  });

  it('feeds the purchase history of an account from order events into its open opportunities', async () => {
    const o = await create(opportunity({ customer: { name: 'Buyer', company: 'Repeat Buyers GmbH' } }));
    const before = o.scoreFactors.find((f: { factor: string }) => f.factor === 'purchaseHistory');
    expect(before.value).toBe(0);
    const orderId = randomUUID();
    const confirmed = createEvent('order.confirmed', {
      subject: orderId,
      data: {
        orderId,
        opportunityId: null,
        repId: rep.sub,
        customer: { name: 'Other contact', company: 'repeat buyers' },
        currency: 'USD',
        lines: [{ lineId: randomUUID(), sku: 'X', productName: 'X', quantity: 1, unitPrice: '700', discount: '0', lineTotal: '700' }],
        total: '700',
        paymentTerms: 'NET30',
        by: manager.sub,
        autoConfirmed: false,
        confirmedAt: now(),
      },
    });
    await svc.publish(confirmed, confirmed);
    const after = await eventually(async () => {
      const detail = (await svc.as(rep).get(`/api/v1/opportunities/${o.id}`)).body;
      const factor = detail.scoreFactors.find((f: { factor: string }) => f.factor === 'purchaseHistory');
      expect(factor.value).toBe(0.2);
      return detail;
    });
    expect(after.score).toBeGreaterThan(o.score);
    expect(after.scoreFactors.find((f: { factor: string }) => f.factor === 'purchaseHistory').explanation).toBe(
      '1 earlier order(s) from this account totalling 700.00 USD',
    );
  });

  it('keeps the strategy history: adjusted twice, three records in order, each linked to the one it replaced', async () => {
    const o = await create();
    const url = `/api/v1/opportunities/${o.id}/strategies`;
    const first = (
      await svc
        .as(rep)
        .post(url)
        .send({ products: ['PUMP-200'], pricing: 'list price', rationale: 'first offer' })
        .expect(201)
    ).body;
    await svc.as(rep).post(url).send({ rationale: 'no link' }).expect(409);
    const second = (await svc.as(rep).post(url).send({ replacesId: first.id, discountPercent: 5, rationale: 'buyer asked for a discount' }).expect(201)).body;
    const stale = await svc.as(rep).post(url).send({ replacesId: first.id, rationale: 'stale' }).expect(409);
    expect(stale.body.code).toBe('STRATEGY_CONFLICT');
    const third = (
      await svc
        .as(rep)
        .post(url)
        .send({ replacesId: second.id, promotions: ['free installation'], rationale: 'competitor offers installation' })
        .expect(201)
    ).body;
    await svc.as(rep).post(url).send({ replacesId: second.id, rationale: 'x', sneaky: 1 }).expect(400);

    const history = (await svc.as(manager).get(url).expect(200)).body.items;
    expect(history.map((r: { id: string; replacesId: string | null }) => [r.id, r.replacesId])).toEqual([
      [first.id, null],
      [second.id, first.id],
      [third.id, second.id],
    ]);
    expect(history.map((r: { rationale: string }) => r.rationale)).toEqual(['first offer', 'buyer asked for a discount', 'competitor offers installation']);
    await svc.as(otherRep).get(url).expect(404);
    const events = await eventually(async () => {
      const found = await eventsFor('opportunity.strategy_recorded', o.id);
      expect(found).toHaveLength(3);
      return found;
    });
    expect(events.map((e) => (e.data as { replacesId: string | null }).replacesId)).toEqual([null, first.id, second.id]);
  });

  it('publishes exactly one opportunity.won with the lines and their exact sum; closed deals are final until a manager re-opens', async () => {
    const o = await create(opportunity({ lines }));
    await svc
      .as(rep)
      .patch(`/api/v1/opportunities/${o.id}`)
      .send({ fields: { needsReport: 'doc-17' } })
      .expect(200);
    const attempts = await Promise.all([1, 2].map(() => svc.as(rep).post(`/api/v1/opportunities/${o.id}/win`).send({ paymentTerms: 'NET30' })));
    expect(attempts.map((r) => r.status).sort()).toEqual([200, 409]);
    const won = attempts.find((r) => r.status === 200)!.body;
    expect(won).toMatchObject({ status: 'won', stage: 'won', wonAmount: '255.17', paymentTerms: 'NET30' });
    await svc.as(rep).post(`/api/v1/opportunities/${o.id}/lose`).send({ reason: 'late' }).expect(409);
    await svc.as(rep).post(`/api/v1/opportunities/${o.id}/reopen`).expect(403);

    const [event] = await eventually(async () => {
      const found = await eventsFor('opportunity.won', o.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(event.data).toMatchObject({ opportunityId: o.id, repId: rep.sub, team, amount: '255.17', currency: 'USD', paymentTerms: 'NET30' });
    expect((event.data as { lines: unknown[] }).lines).toEqual([
      { sku: 'PUMP-200', productName: 'Pump 200 W', quantity: 3, unitPrice: '19.99', discount: '5.00' },
      { sku: 'VALVE-10', productName: 'Valve 10 mm', quantity: 2, unitPrice: '100.10', discount: '0.00' },
    ]);

    const reopened = await svc.as(manager).post(`/api/v1/opportunities/${o.id}/reopen`).expect(200);
    expect(reopened.body).toMatchObject({ status: 'open', stage: 'needs_analysis', wonAmount: null });
    await svc.as(rep).post(`/api/v1/opportunities/${o.id}/lose`).send({}).expect(400);
    const lost = await svc.as(rep).post(`/api/v1/opportunities/${o.id}/lose`).send({ reason: 'budget frozen', competitor: 'Globex' }).expect(200);
    expect(lost.body).toMatchObject({ status: 'lost', lostReason: 'budget frozen' });
    await eventually(async () => expect(await eventsFor('opportunity.lost', o.id)).toHaveLength(1));
    expect(await eventsFor('opportunity.won', o.id)).toHaveLength(1);

    const noLines = await create();
    await svc
      .as(rep)
      .patch(`/api/v1/opportunities/${noLines.id}`)
      .send({ fields: { needsReport: 'doc' } })
      .expect(200);
    const refused = await svc.as(rep).post(`/api/v1/opportunities/${noLines.id}/win`).send({}).expect(400);
    expect(refused.body.errors[0].field).toBe('lines');
  });

  it('sums the pipeline by stage with probability-weighted amounts, within the caller scope', async () => {
    const summer = { sub: randomUUID(), roles: ['sales_rep'], team: 'summary' };
    await create(opportunity({ expectedAmount: '1000.10' }), summer);
    await create(opportunity({ expectedAmount: '333.33' }), summer);
    const summary = (await svc.as(summer).get('/api/v1/pipeline/summary').expect(200)).body;
    const needs = summary.stages.find((s: { stage: string }) => s.stage === 'needs_analysis');
    expect(needs).toMatchObject({ count: 2, winProbability: 0.1, totals: [{ currency: 'USD', count: 2, amount: '1333.43', weightedAmount: '133.343' }] });
    expect(summary.stages.map((s: { stage: string }) => s.stage)).toEqual(['needs_analysis', 'proposal', 'negotiation', 'contract', 'won', 'lost']);
  });

  it('refuses bad input with problem+json and stores nothing', async () => {
    const before = await count('SELECT count(*) AS n FROM opportunities');
    const cases: [Record<string, unknown>, string][] = [
      [opportunity({ sneaky: true }), 'sneaky'],
      [opportunity({ expectedAmount: '1.23456' }), 'expectedAmount'],
      [opportunity({ expectedAmount: undefined }), 'expectedAmount'],
      [opportunity({ lines: [{ sku: 'A', productName: 'A', quantity: 1, unitPrice: '1', discount: '2' }] }), 'lines[0].discount'],
      [opportunity({ repId: otherRep.sub }), 'repId'],
      [opportunity({ companySize: 'huge' }), 'companySize'],
    ];
    for (const [body, field] of cases) {
      const res = await svc.as(rep).post('/api/v1/opportunities').send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    await svc.as(rep).get(`/api/v1/opportunities/${randomUUID()}`).expect(404);
    await svc.as(rep).put('/api/v1/scoring-model').send({ companySize: 1, purchaseHistory: 1, urgency: 1, engagement: 1, amount: 1 }).expect(403);
    expect(await count('SELECT count(*) AS n FROM opportunities')).toBe(before);
  });

  it('learns from closed history: the deciding factor ranks highest, held-out accuracy reported; weights changes re-score', async () => {
    await svc.as(admin).post('/api/v1/scoring-model/train').expect(409); // not enough history yet
    // 250 closed deals where engagement alone decides the outcome (seeded, so the same every run).
    let seed = 1234;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const history = Array.from({ length: 250 }, () => {
      const features = Object.fromEntries(FACTORS.map((f) => [f, Math.round(rand() * 10_000) / 10_000]));
      return { id: randomUUID(), status: features.engagement > 0.5 ? 'won' : 'lost', features };
    });
    await svc.dataSource.query(
      `INSERT INTO opportunities (id, pipeline_id, stage, stage_entered_at, status, rep_id, customer, expected_amount, currency, expected_close_date, features, closed_at, created_by)
       SELECT x.id, p.id, x.status, now(), x.status, $2, '{"name":"History"}', 1000, 'USD', current_date, x.features, now(), 'test'
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, status text, features jsonb), pipelines p WHERE p.is_default`,
      [JSON.stringify(history), randomUUID()],
    );
    const trained = (await svc.as(admin).post('/api/v1/scoring-model/train').expect(200)).body;
    expect(trained.activated).toBe(true);
    expect(trained.model.importances[0].factor).toBe('engagement');
    expect(trained.model.holdoutSize).toBeGreaterThanOrEqual(50);
    expect(trained.model.holdoutAccuracy).toBeGreaterThan(0.9);
    const active = (await svc.as(manager).get('/api/v1/scoring-model').expect(200)).body;
    expect(active).toMatchObject({ kind: 'learned', version: trained.model.version, holdoutAccuracy: trained.model.holdoutAccuracy });

    const open = (await svc.as(admin).get('/api/v1/opportunities?status=open&sort=-score&limit=5').expect(200)).body.items;
    for (const o of open) {
      expect(o.modelVersion).toBe(trained.model.version);
      expect(o.scoreFactors[0].factor).toBe('baseline');
      expect(o.scoreFactors.reduce((s: number, f: { contribution: number }) => s + cents(f.contribution), 0)).toBe(cents(o.score));
    }

    const put = (
      await svc.as(admin).put('/api/v1/scoring-model').send({ companySize: 0, purchaseHistory: 0, urgency: 0, engagement: 0, amount: 1 }).expect(200)
    ).body;
    expect(put).toMatchObject({ kind: 'weights', version: trained.model.version + 1, active: true });
    expect(put.rescored).toBeGreaterThan(0);
    const rescored = (await svc.as(admin).get(`/api/v1/opportunities/${open[0].id}`).expect(200)).body;
    expect(rescored.modelVersion).toBe(put.version);
    expect(rescored.scoreFactors.find((f: { factor: string }) => f.factor === 'amount').weight).toBe(100);
    await eventually(async () => {
      const scored = await eventsFor('opportunity.scored', open[0].id);
      expect(scored.at(-1)?.data).toMatchObject({ score: rescored.score });
    });
    await svc.as(admin).put('/api/v1/scoring-model').send({ companySize: 0, purchaseHistory: 0, urgency: 0, engagement: 0, amount: 0 }).expect(400);
  });
});
