import { randomUUID } from 'node:crypto';
import type { EventData } from '@crm/contracts';
import { REP_ID, STAGES } from '../../test/domain-fixtures';
import { decideOpen, fromConvertedLead, newOpportunity, type CreateOpportunity } from './opportunity-opening.domain';

const request: CreateOpportunity = {
  customer: { name: 'Li Wei', company: 'Acme Trading Ltd.' },
  currency: 'USD',
  expectedCloseDate: '2026-06-30',
  expectedAmount: '1200',
};
const rep = { sub: REP_ID, team: 'east', scope: { kind: 'own' as const, repId: REP_ID } };
const admin = { sub: 'admin-1', scope: { kind: 'all' as const } };

describe('newOpportunity', () => {
  it('opens for the caller in their team, the amount formatted or summed from the lines', () => {
    expect(newOpportunity(request, rep)).toMatchObject({ repId: REP_ID, team: 'east', expectedAmount: '1200.00', leadId: null, by: REP_ID, fields: {} });
    const fromLines = newOpportunity(
      { ...request, expectedAmount: undefined, lines: [{ sku: 'A', productName: 'A', quantity: 2, unitPrice: '10', discount: '1' }] },
      rep,
    );
    expect(fromLines.expectedAmount).toBe('19.00');
    expect(newOpportunity({ ...request, team: 'west', repId: REP_ID }, admin)).toMatchObject({ team: 'west', repId: REP_ID });
    expect(newOpportunity(request, { sub: 'm-1', team: 'x', scope: { kind: 'team', team: 'north' } }).team).toBe('north');
  });

  it('refuses another owner for a rep, a team named by a non-admin, and no amount at all', () => {
    const field = (f: string) => expect.objectContaining({ kind: 'invalid', fields: [expect.objectContaining({ field: f })] });
    expect(() => newOpportunity({ ...request, repId: randomUUID() }, rep)).toThrow(field('repId'));
    expect(() => newOpportunity({ ...request, team: 'west' }, rep)).toThrow(field('team'));
    expect(() => newOpportunity({ ...request, expectedAmount: undefined }, rep)).toThrow(field('expectedAmount'));
    expect(() => newOpportunity({ ...request, fields: { 'bad key': 'x' } }, rep)).toThrow(field('fields.bad key'));
  });
});

describe('fromConvertedLead', () => {
  const lead = (overrides: Partial<EventData<'lead.converted'>> = {}): EventData<'lead.converted'> => ({
    leadId: randomUUID(),
    repId: REP_ID,
    customer: { name: 'Chen Jie' },
    productNeeds: ['pumps'],
    capturedAt: '2026-01-01T00:00:00.000Z',
    convertedAt: '2026-01-30T18:00:00.000Z',
    ...overrides,
  });
  const defaults = { defaultCurrency: 'EUR', defaultCloseDays: 90 };

  it('takes what the lead names, else the defaults: currency, a close date some days after conversion, amount 0', () => {
    expect(fromConvertedLead(lead(), { companySize: 'large' }, defaults)).toMatchObject({
      currency: 'EUR',
      expectedCloseDate: '2026-04-30',
      expectedAmount: '0.00',
      companySize: 'large',
      team: null,
      by: 'system',
      lines: [],
    });
    expect(
      fromConvertedLead(lead({ currency: 'USD', expectedCloseDate: '2026-03-01', expectedAmount: '5000', team: 'east' }), { companySize: null }, defaults),
    ).toMatchObject({
      currency: 'USD',
      expectedCloseDate: '2026-03-01',
      expectedAmount: '5000.00',
      team: 'east',
      companySize: null,
    });
    expect(fromConvertedLead(lead(), { companySize: null }, { ...defaults, defaultCloseDays: 1 }).expectedCloseDate).toBe('2026-01-31');
  });

  it('counts the default close days from the business day of the conversion: 18:00 UTC on Jan 30 is Jan 31 in Beijing', () => {
    const oneDay = { ...defaults, defaultCloseDays: 1 };
    expect(fromConvertedLead(lead(), { companySize: null }, oneDay, 'Asia/Shanghai').expectedCloseDate).toBe('2026-02-01');
    expect(fromConvertedLead(lead(), { companySize: null }, oneDay, 'UTC').expectedCloseDate).toBe('2026-01-31');
  });
});

describe('decideOpen', () => {
  it('opens in the first open stage with its history entry, its account key and opportunity.created', () => {
    const id = randomUUID();
    const now = new Date('2026-02-01T10:00:00Z');
    const { changes, events } = decideOpen({ ...newOpportunity(request, rep), pipeline: { id: randomUUID(), stages: [...STAGES].reverse() } }, id, now);
    expect(changes.row).toMatchObject({ id, stage: 'needs_analysis', accountKey: 'company:acme trading', createdBy: REP_ID, createdAt: now });
    expect(changes.move).toEqual({ fromStage: null, toStage: 'needs_analysis', by: REP_ID, at: now });
    expect(events.map((e) => e.type)).toEqual(['crm.opportunity.created']);
    expect(events[0].data).toMatchObject({
      opportunityId: id,
      stage: 'needs_analysis',
      winProbability: 0.1,
      expectedAmount: '1200.00',
      createdAt: now.toISOString(),
      team: 'east',
    });
  });

  it('carries the account and contact a request names, or a resolution kept for the lead', () => {
    const [accountId, contactId] = [randomUUID(), randomUUID()];
    const opened = (t: Omit<Parameters<typeof decideOpen>[0], 'pipeline'>) =>
      decideOpen({ ...t, pipeline: { id: randomUUID(), stages: STAGES } }, randomUUID(), new Date());
    const direct = opened(newOpportunity({ ...request, accountId, contactId }, rep));
    expect(direct.changes.row).toMatchObject({ accountId, contactId });
    expect(direct.events[0].data).toMatchObject({ accountId, contactId });
    const lead: EventData<'lead.converted'> = {
      leadId: randomUUID(),
      repId: REP_ID,
      customer: { name: 'C' },
      productNeeds: [],
      capturedAt: '2026-01-01T00:00:00.000Z',
      convertedAt: '2026-01-02T00:00:00.000Z',
    };
    const converted = opened(
      fromConvertedLead(lead, { companySize: null }, { defaultCurrency: 'EUR', defaultCloseDays: 30 }, 'UTC', { accountId: null, contactId }),
    );
    expect(converted.changes.row).toMatchObject({ accountId: null, contactId });
    expect(converted.events[0].data).toMatchObject({ contactId });
    expect((converted.events[0].data as { accountId?: string }).accountId).toBeUndefined();
    expect(opened(newOpportunity(request, rep)).changes.row).toMatchObject({ accountId: null, contactId: null });
  });
});
