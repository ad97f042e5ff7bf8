import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { personalDataVault, SEALED, sealEvents } from '@crm/privacy';
import { eventually, startTestService, storedTexts, valuesIn, type TestService } from '@crm/testing';
import { analyticsSettings } from './analytics.settings';
import { AppModule } from './app.module';
import { inboxCount } from './testing/analytics-fixtures';

const PERSON = { name: 'Situ Mingyue', email: 'situ.mingyue@example.cn', phone: '+86 137 2468 1357', company: 'Lanshan Valves' };
const MESSAGE = 'Please call Situ Mingyue after five';
const [REP, LEAD, OPP, ORDER] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const at = (s: string) => new Date(s).toISOString();
const lines = [{ lineId: randomUUID(), sku: 'VALVE-1', productName: 'Valve', quantity: 2, unitPrice: '60.00', discount: '0', lineTotal: '120.00' }];

const events: EventEnvelope[] = [
  createEvent('lead.captured', {
    subject: LEAD,
    data: { leadId: LEAD, source: 'web_form', contact: PERSON, message: MESSAGE, region: 'north', capturedAt: at('2026-05-02T09:00:00Z') },
  }),
  createEvent('opportunity.created', {
    subject: OPP,
    data: {
      opportunityId: OPP,
      leadId: LEAD,
      repId: REP,
      customer: PERSON,
      expectedAmount: '120.00',
      currency: 'EUR',
      expectedCloseDate: '2026-07-01',
      stage: 'proposal',
      createdAt: at('2026-05-03T10:00:00Z'),
    },
  }),
  createEvent('order.confirmed', {
    subject: ORDER,
    data: {
      orderId: ORDER,
      opportunityId: OPP,
      repId: REP,
      customer: PERSON,
      currency: 'EUR',
      lines,
      total: '120.00',
      paymentTerms: 'NET30',
      by: REP,
      autoConfirmed: false,
      confirmedAt: at('2026-05-12T09:00:00Z'),
    },
  }),
];

describe('analytics reads the personal fields sealed and stores none of them (real Kafka and PostgreSQL)', () => {
  let svc: TestService;

  beforeAll(async () => {
    svc = await startTestService('analytics', (config) => AppModule.forRoot(config), { settings: analyticsSettings });
  }, 60_000);
  afterAll(() => svc?.close());

  it('projects sealed lead.captured, opportunity.created and order.confirmed with their facts, and no value of the person in any table', async () => {
    const sealed = await sealEvents(events, personalDataVault());
    // What is on the topic: the placeholders, the values only encrypted.
    expect(JSON.stringify(sealed)).not.toContain(PERSON.name);
    expect(sealed.map((e) => (e.data as { customer?: { name: string } }).customer?.name ?? (e.data as { contact: { name: string } }).contact.name)).toEqual([
      SEALED,
      SEALED,
      SEALED,
    ]);
    await svc.publish(...sealed);
    await eventually(async () => expect(await inboxCount(svc)).toBe(sealed.length), { timeoutMs: 30_000 });

    const [order] = await svc.dataSource.query('SELECT total::text, status, opportunity_id FROM order_facts WHERE order_id = $1', [ORDER]);
    expect(order).toEqual({ total: '120.0000', status: 'confirmed', opportunity_id: OPP });
    expect(await svc.dataSource.query('SELECT lead_id FROM opportunity_facts WHERE opportunity_id = $1', [OPP])).toEqual([{ lead_id: LEAD }]);
    expect(await svc.dataSource.query('SELECT region FROM lead_facts WHERE lead_id = $1', [LEAD])).toEqual([{ region: 'north' }]);

    const dump = await storedTexts(svc.dataSource);
    expect(dump.length).toBeGreaterThan(0);
    expect(valuesIn(dump, [PERSON.name, PERSON.email, PERSON.phone, MESSAGE])).toEqual([]);
  });
});
