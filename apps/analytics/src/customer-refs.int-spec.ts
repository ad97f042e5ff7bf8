import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { eventually, startTestService, type TestService } from '@crm/testing';
import { analyticsSettings } from './analytics.settings';
import { AppModule } from './app.module';
import { RebuildService } from './projection/rebuild.service';
import { ADMIN, inboxCount, snapshotReadModel } from './testing/analytics-fixtures';

const REP = randomUUID();
const [SURVIVOR, MERGED, CONTACT, OTHER_CONTACT] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const [LEAD, OPP_LINKED, OPP_WON, ORDER_MERGED, ORDER_SURVIVOR] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const at = (s: string) => new Date(s).toISOString();
const line = (amount: string) => ({ sku: 'PUMP-1', productName: 'Pump', quantity: 1, unitPrice: amount, discount: '0' });

const orderTerms = (orderId: string, accountId: string, total: string) => ({
  orderId,
  opportunityId: null,
  repId: REP,
  team: 'alpha',
  customer: { name: 'Acme' },
  accountId,
  contactId: CONTACT,
  region: 'north',
  currency: 'EUR',
  paymentTerms: 'NET30' as const,
  lines: [{ lineId: randomUUID(), ...line(total), lineTotal: total }],
  total,
  by: REP,
});

// Two accounts: MERGED's lead, linked opportunity and order; SURVIVOR's won opportunity and order.
const facts: EventEnvelope[] = [
  createEvent('lead.captured', {
    subject: LEAD,
    data: { leadId: LEAD, source: 'web_form', contact: { name: 'Lee' }, region: 'north', capturedAt: at('2026-05-02T09:00:00Z') },
  }),
  createEvent('contact.lead_resolved', {
    subject: CONTACT,
    data: { leadId: LEAD, contactId: CONTACT, accountId: MERGED, contactCreated: true, accountCreated: true, resolvedAt: at('2026-05-03T09:00:00Z') },
  }),
  createEvent('opportunity.created', {
    subject: OPP_LINKED,
    data: {
      opportunityId: OPP_LINKED,
      leadId: LEAD,
      repId: REP,
      customer: { name: 'Acme' },
      expectedAmount: '500.00',
      currency: 'EUR',
      expectedCloseDate: '2026-07-01',
      stage: 'proposal',
      winProbability: 0.5,
      createdAt: at('2026-05-03T10:00:00Z'),
    },
  }),
  createEvent('opportunity.customer_linked', {
    subject: OPP_LINKED,
    data: { opportunityId: OPP_LINKED, leadId: LEAD, accountId: MERGED, contactId: CONTACT, linkedAt: at('2026-05-03T10:00:01Z') },
  }),
  createEvent('opportunity.won', {
    subject: OPP_WON,
    data: {
      opportunityId: OPP_WON,
      leadId: null,
      repId: REP,
      customer: { name: 'Acme' },
      accountId: SURVIVOR,
      contactId: OTHER_CONTACT,
      currency: 'EUR',
      amount: '800.00',
      lines: [line('800.00')],
      createdAt: at('2026-05-04T09:00:00Z'),
      wonAt: at('2026-05-10T09:00:00Z'),
    },
  }),
  createEvent('order.drafted', { subject: ORDER_MERGED, data: { ...orderTerms(ORDER_MERGED, MERGED, '250.50'), draftedAt: at('2026-05-11T09:00:00Z') } }),
  createEvent('order.confirmed', {
    subject: ORDER_MERGED,
    data: { ...orderTerms(ORDER_MERGED, MERGED, '250.50'), autoConfirmed: false, confirmedAt: at('2026-05-12T09:00:00Z') },
  }),
  createEvent('order.confirmed', {
    subject: ORDER_SURVIVOR,
    data: { ...orderTerms(ORDER_SURVIVOR, SURVIVOR, '1000.25'), autoConfirmed: false, confirmedAt: at('2026-05-12T10:00:00Z') },
  }),
];
const MERGE_ID = randomUUID();
const merge = () =>
  createEvent('account.merged', {
    subject: SURVIVOR,
    data: { mergeId: MERGE_ID, survivorId: SURVIVOR, mergedId: MERGED, by: 'manager-1', at: at('2026-06-01T09:00:00Z') },
  });
const undo = createEvent('account.merge_undone', {
  subject: SURVIVOR,
  data: { mergeId: MERGE_ID, survivorId: SURVIVOR, restoredId: MERGED, by: 'manager-1', at: at('2026-06-01T10:00:00Z') },
});

describe('analytics facts keep their account and contact and follow merges (real Kafka and PostgreSQL)', () => {
  let svc: TestService;
  let published = 0;
  const publish = async (...events: EventEnvelope[]) => {
    await svc.publish(...events);
    published += events.length;
    await eventually(async () => expect(await inboxCount(svc)).toBe(published), { timeoutMs: 30_000 });
  };
  /** Every fact's account and contact, by table and id. */
  const accounts = async () => ({
    leads: await svc.dataSource.query('SELECT lead_id AS id, account_id, contact_id FROM lead_facts ORDER BY 1'),
    opportunities: await svc.dataSource.query('SELECT opportunity_id AS id, account_id, contact_id FROM opportunity_facts ORDER BY 1'),
    orders: await svc.dataSource.query('SELECT order_id AS id, account_id, contact_id FROM order_facts ORDER BY 1'),
  });
  const accountOf = async (table: 'lead_facts' | 'opportunity_facts' | 'order_facts', key: string, id: string) =>
    (await svc.dataSource.query(`SELECT account_id FROM ${table} WHERE ${key} = $1`, [id]))[0]?.account_id;
  /** The aggregates and the sales report (not the watermarks and `asOf`, which every applied event moves). */
  const totals = async () => {
    const { watermark: _, ...aggregates } = await snapshotReadModel(svc);
    const { asOf: __, ...sales } = (await svc.as(ADMIN).get('/api/v1/analytics/sales?from=2026-05-01&to=2026-05-31&currency=EUR').expect(200)).body;
    return { aggregates, sales };
  };
  const ofMerged = () =>
    Promise.all([
      accountOf('lead_facts', 'lead_id', LEAD),
      accountOf('opportunity_facts', 'opportunity_id', OPP_LINKED),
      accountOf('order_facts', 'order_id', ORDER_MERGED),
    ]);

  beforeAll(async () => {
    svc = await startTestService('analytics', (config) => AppModule.forRoot(config), { settings: analyticsSettings });
  }, 60_000);
  afterAll(() => svc?.close());

  it('takes the account and contact from the lead resolution, the opportunity and order events', async () => {
    await publish(...facts);
    expect(await ofMerged()).toEqual([MERGED, MERGED, MERGED]);
    expect(await accountOf('opportunity_facts', 'opportunity_id', OPP_WON)).toBe(SURVIVOR);
    expect(await accountOf('order_facts', 'order_id', ORDER_SURVIVOR)).toBe(SURVIVOR);
    const [order] = await svc.dataSource.query('SELECT contact_id, total::text, status FROM order_facts WHERE order_id = $1', [ORDER_MERGED]);
    expect(order).toEqual({ contact_id: CONTACT, total: '250.5000', status: 'confirmed' });
  });

  it('a merge re-points every fact of the merged account and leaves every total as it was; the undo restores them', async () => {
    const before = await totals();
    expect(before.sales.series.length).toBeGreaterThan(0);

    await publish(merge());
    expect(await ofMerged()).toEqual([SURVIVOR, SURVIVOR, SURVIVOR]);
    expect(await accountOf('order_facts', 'order_id', ORDER_SURVIVOR)).toBe(SURVIVOR);
    expect(await totals()).toEqual(before);

    await publish(undo);
    expect(await ofMerged()).toEqual([MERGED, MERGED, MERGED]);
    expect(await accountOf('opportunity_facts', 'opportunity_id', OPP_WON)).toBe(SURVIVOR);
    expect(await totals()).toEqual(before);
  });

  it('a merge redelivered (a new event id, the same merge) after its undo changes nothing', async () => {
    const before = await accounts();
    await publish(merge());
    expect(await accounts()).toEqual(before);
  });

  it('merges the same account again, then the survivor into a third: every fact of both ends at the third', async () => {
    const third = randomUUID();
    const again = createEvent('account.merged', {
      subject: SURVIVOR,
      data: { mergeId: randomUUID(), survivorId: SURVIVOR, mergedId: MERGED, by: 'manager-1', at: at('2026-06-02T09:00:00Z') },
    });
    const intoThird = createEvent('account.merged', {
      subject: third,
      data: { mergeId: randomUUID(), survivorId: third, mergedId: SURVIVOR, by: 'manager-1', at: at('2026-06-03T09:00:00Z') },
    });
    await publish(again);
    await publish(intoThird);
    expect(await ofMerged()).toEqual([third, third, third]);
    expect(await accountOf('order_facts', 'order_id', ORDER_SURVIVOR)).toBe(third);
  });

  // The merges are replayed after every fact, in the order they were made, from an emptied record of merges.
  it('a rebuild from the topics ends with the same accounts and the same figures', async () => {
    const [ids, figures] = [await accounts(), await totals()];
    const result = await svc.app.get(RebuildService).rebuild(45_000);
    expect(result).toEqual({ applied: published, skipped: 0, failed: 0 });
    expect(await accounts()).toEqual(ids);
    expect(await totals()).toEqual(figures);
  }, 90_000);
});
