import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { analyticsSettings } from './analytics.settings';
import { AppModule } from './app.module';
import { OpportunityTerms1764720000011 } from './migrations/1764720000011-opportunity-terms';
import { RebuildService } from './projection/rebuild.service';
import { ADMIN, inboxCount, snapshotReadModel } from './testing/analytics-fixtures';

const REP = randomUUID();
const X = randomUUID(); // EUR: created, moved, then edited twice (one edit arrives late)
const Y = randomUUID(); // USD: its edit arrives before its creation
const at = (s: string) => new Date(s).toISOString();

const terms = (opportunityId: string, currency: string, changedAt: string, expectedAmount: string, expectedCloseDate: string) =>
  createEvent('opportunity.terms_changed', {
    subject: opportunityId,
    data: {
      opportunityId,
      repId: REP,
      expectedAmount,
      currency,
      expectedCloseDate,
      lines: [],
      changed: ['expectedAmount', 'expectedCloseDate'],
      by: REP,
      changedAt: at(changedAt),
    },
  });
const created = (opportunityId: string, currency: string, createdAt: string, expectedAmount: string, expectedCloseDate: string, p: number) =>
  createEvent('opportunity.created', {
    subject: opportunityId,
    data: {
      opportunityId,
      leadId: null,
      repId: REP,
      team: 'alpha',
      customer: { name: 'Acme' },
      region: 'north',
      productLine: 'pumps',
      expectedAmount,
      currency,
      expectedCloseDate,
      stage: 'proposal',
      winProbability: p,
      createdAt: at(createdAt),
    },
  });

// X: proposal (0.5) from 06-01 at 1000.00 closing in July, negotiation (0.6) from 06-08.
const first: EventEnvelope[] = [
  created(X, 'EUR', '2026-06-01T09:00:00Z', '1000.00', '2026-07-15', 0.5),
  createEvent('opportunity.stage_changed', {
    subject: X,
    data: { opportunityId: X, repId: REP, fromStage: 'proposal', toStage: 'negotiation', winProbability: 0.6, by: REP, changedAt: at('2026-06-08T09:00:00Z') },
  }),
  terms(Y, 'USD', '2026-06-20T09:00:00Z', '700.00', '2026-09-10'),
];
// The edit of 06-10: 4000.00 closing in August; Y's creation (06-15, 500.00 in July) after its own edit.
const second: EventEnvelope[] = [
  terms(X, 'EUR', '2026-06-10T09:00:00Z', '4000.00', '2026-08-20'),
  created(Y, 'USD', '2026-06-15T09:00:00Z', '500.00', '2026-07-01', 0.3),
];
// An edit made on 06-05 that arrives last.
const late: EventEnvelope[] = [terms(X, 'EUR', '2026-06-05T09:00:00Z', '2000.00', '2026-07-31')];

describe('analytics follows an opportunity’s edited amount and close date (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  let published = 0;
  const get = async (url: string) => (await svc.as(ADMIN).get(url).expect(200)).body;
  const publish = async (events: EventEnvelope[]) => {
    await svc.publish(...events);
    published += events.length;
    await eventually(async () => expect(await inboxCount(svc)).toBe(published), { timeoutMs: 30_000 });
  };
  /** The pipeline of one currency as [label, points] (the counts left out), now or as it stood at the end of `asOf`. */
  const pipeline = async (currency: string, asOf?: string) =>
    (await get(`/api/v1/analytics/pipeline?currency=${currency}${asOf ? `&asOf=${asOf}` : ''}`)).series
      .filter((s: { measure: string }) => s.measure !== 'opportunities')
      .map((s: { label: string; points: unknown[] }) => [s.label, s.points]);
  /** The pipeline forecast for July, August and September: [best case, weighted] per month. */
  const forecast = async (currency: string) => {
    const { series } = await get(`/api/v1/analytics/forecast?horizon=3&currency=${currency}&historyEnd=2026-06`);
    const pts = (measure: string) => series.find((s: { measure: string }) => s.measure === measure).points.map((p: { y: string }) => p.y);
    const [best, weighted] = [pts('pipeline_best_case'), pts('pipeline_weighted')];
    return best.map((b: string, i: number) => [b, weighted[i]]);
  };
  const stage = (x: string, amount: string, weighted: string) => [
    ['amount EUR', [{ x, y: amount }]],
    ['weighted EUR', [{ x, y: weighted }]],
  ];

  beforeAll(async () => {
    svc = await startTestService('analytics', (config) => AppModule.forRoot(config), { settings: analyticsSettings });
  }, 60_000);
  afterAll(() => svc?.close());

  it('shows the amount and close month of the creation before any edit', async () => {
    await publish(first);
    expect(await pipeline('EUR')).toEqual(stage('negotiation', '1000.00', '600.00'));
    expect(await forecast('EUR')).toEqual([
      ['1000.00', '600.00'],
      ['0.00', '0.00'],
      ['0.00', '0.00'],
    ]);
    // An edit without its opportunity counts nowhere yet.
    expect(await pipeline('USD')).toEqual([]);
  });

  it('moves the pipeline, weighted pipeline and forecast to the edited terms; the past keeps the old amount', async () => {
    await publish(second);
    expect(await pipeline('EUR')).toEqual(stage('negotiation', '4000.00', '2400.00'));
    expect(await forecast('EUR')).toEqual([
      ['0.00', '0.00'],
      ['4000.00', '2400.00'],
      ['0.00', '0.00'],
    ]);
    expect(await pipeline('EUR', '2026-06-09')).toEqual(stage('negotiation', '1000.00', '600.00'));
    expect(await pipeline('EUR', '2026-06-10')).toEqual(stage('negotiation', '4000.00', '2400.00'));
    // Y's creation arrived after its edit of 06-20: the edit still wins, and the past has the creation's amount.
    expect(await pipeline('USD')).toEqual([
      ['amount USD', [{ x: 'proposal', y: '700.00' }]],
      ['weighted USD', [{ x: 'proposal', y: '210.00' }]],
    ]);
    expect(await forecast('USD')).toEqual([
      ['0.00', '0.00'],
      ['0.00', '0.00'],
      ['0.00', '210.00'],
    ]);
    expect((await pipeline('USD', '2026-06-19'))[0]).toEqual(['amount USD', [{ x: 'proposal', y: '500.00' }]]);
  });

  it('places a late edit at its own time: the latest terms stay current, the days after it show its amount', async () => {
    await publish(late);
    expect(await pipeline('EUR')).toEqual(stage('negotiation', '4000.00', '2400.00'));
    expect(await pipeline('EUR', '2026-06-03')).toEqual(stage('proposal', '1000.00', '500.00'));
    expect(await pipeline('EUR', '2026-06-06')).toEqual(stage('proposal', '2000.00', '1000.00'));
    expect(await pipeline('EUR', '2026-06-09')).toEqual(stage('negotiation', '2000.00', '1200.00'));
    expect(await pipeline('EUR', '2026-06-12')).toEqual(stage('negotiation', '4000.00', '2400.00'));
    expect((await forecast('EUR'))[1]).toEqual(['4000.00', '2400.00']);
  });

  it('gives the same figures after a rebuild from the topics', async () => {
    const before = await snapshotReadModel(svc);
    const answers = async () => ({
      now: [await pipeline('EUR'), await pipeline('USD')],
      forecast: [await forecast('EUR'), await forecast('USD')],
      past: await Promise.all(['2026-06-03', '2026-06-06', '2026-06-09', '2026-06-12', '2026-06-19'].map((d) => pipeline('EUR', d))),
    });
    const expected = await answers();
    const result = await svc.app.get(RebuildService).rebuild(45_000);
    expect(result).toEqual({ applied: published, skipped: 0, failed: 0 });
    expect(await snapshotReadModel(svc)).toEqual(before);
    expect(await answers()).toEqual(expected);
  }, 90_000);

  // Last: it rewrites the terms column of every row.
  it('gives a row from before terms were kept its creation terms when the column is added', async () => {
    const q = svc.dataSource.createQueryRunner();
    const migration = new OpportunityTerms1764720000011();
    const legacy = randomUUID();
    try {
      await migration.down(q);
      await q.query(
        `INSERT INTO opportunity_facts (opportunity_id, currency, expected_amount, expected_close_date, created_at)
         VALUES ($1, 'EUR', 1234.5, '2026-07-15', '2026-06-01T09:00:00Z')`,
        [legacy],
      );
      await migration.up(q);
      const [{ terms }] = await q.query('SELECT terms FROM opportunity_facts WHERE opportunity_id = $1', [legacy]);
      expect(terms).toEqual([{ kind: 'created', at: expect.any(String), amount: '1234.5000', closeDate: '2026-07-15' }]);
      expect(Date.parse(terms[0].at)).toBe(Date.parse('2026-06-01T09:00:00Z'));
    } finally {
      await q.release();
    }
  });

  it('moves an open deal of the pipeline to the rep it was handed over to (ADR 0022)', async () => {
    const deal = randomUUID();
    const taker = randomUUID();
    const byRep = async () =>
      (await get('/api/v1/analytics/pipeline?currency=GBP&groupBy=rep')).series
        .filter((s: { measure: string }) => s.measure === 'opportunities')
        .flatMap((s: { points: { x: string }[] }) => s.points.map((p) => p.x));
    await publish([created(deal, 'GBP', '2026-06-01T09:00:00Z', '800.00', '2026-07-15', 0.5)]);
    expect(await byRep()).toEqual([REP]);
    await publish([
      createEvent('opportunity.reassigned', {
        subject: deal,
        data: {
          opportunityId: deal,
          fromRepId: REP,
          toRepId: taker,
          team: 'beta',
          reason: 'leaves',
          by: 'manager-1',
          reassignedAt: at('2026-06-02T09:00:00Z'),
        },
      }),
    ]);
    expect(await byRep()).toEqual([taker]);
    expect(await svc.dataSource.query('SELECT rep_id, team FROM opportunity_facts WHERE opportunity_id = $1', [deal])).toEqual([
      { rep_id: taker, team: 'beta' },
    ]);
  });
});
