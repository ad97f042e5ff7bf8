import { historicalId } from '@crm/contracts';
import { decideLeadHistory, leadHistoryIssues, type LeadHistoryRecord } from './history.domain';

const now = new Date('2026-01-01T00:00:00Z');
const repId = '00000000-0000-4000-8000-000000000001';
const lead = (more: Partial<LeadHistoryRecord> = {}): LeadHistoryRecord => ({
  externalId: 'L-1',
  source: 'phone',
  name: 'Li Wei',
  phone: '+86 138 0013 8000',
  capturedAt: '2025-03-01T08:00:00Z',
  ...more,
});

describe('leadHistoryIssues', () => {
  it('needs an owner, known here, for a lead that was worked', () => {
    expect(leadHistoryIssues(lead({ qualifiedAt: '2025-03-05T00:00:00Z' }), true, now)).toEqual([
      expect.objectContaining({ field: 'ownerRepId', constraint: 'required' }),
    ]);
    expect(leadHistoryIssues(lead({ ownerRepId: repId }), false, now)).toEqual([expect.objectContaining({ field: 'ownerRepId', constraint: 'exists' })]);
    expect(leadHistoryIssues(lead({ ownerRepId: repId, qualifiedAt: '2025-03-05T00:00:00Z' }), true, now)).toEqual([]);
  });

  it('refuses a lead both disqualified and converted, a reason without a date, and moments out of order', () => {
    const fields = leadHistoryIssues(
      lead({
        ownerRepId: repId,
        assignedAt: '2025-02-01T00:00:00Z',
        qualifiedAt: '2025-03-10T00:00:00Z',
        convertedAt: '2025-03-09T00:00:00Z',
        disqualifiedAt: '2025-03-11T00:00:00Z',
      }),
      true,
      now,
    ).map((i) => i.field);
    expect(fields).toEqual(['convertedAt', 'disqualifyReason', 'assignedAt', 'convertedAt']);
  });
});

describe('decideLeadHistory', () => {
  it('derives the status, keeps every moment, stores no live deadline and publishes the conversion as historical', () => {
    const plan = decideLeadHistory(
      lead({
        ownerRepId: repId,
        followUps: [
          { at: '2025-03-04T00:00:00Z', channel: 'email', content: 'second' },
          { at: '2025-03-02T00:00:00Z', channel: 'call', content: 'first' },
        ],
        qualifiedAt: '2025-03-05T00:00:00Z',
        convertedAt: '2025-03-06T00:00:00Z',
      }),
      { ownerTeam: 'east', by: 'importer', correlationId: 'c-1' },
    );
    expect(plan.lead).toMatchObject({
      id: historicalId('lead', 'L-1'),
      status: 'converted',
      team: 'east',
      assignedAt: '2025-03-01T08:00:00.000Z',
      firstFollowedUpAt: '2025-03-02T00:00:00.000Z',
      createdAt: '2025-03-01T08:00:00.000Z',
      normalizedPhone: '+8613800138000',
    });
    expect(plan.lead).not.toHaveProperty('firstFollowUpDueAt');
    expect(plan.followUps.map((f) => f.content)).toEqual(['first', 'second']);
    expect(plan.events.map((e) => `${e.type}@${e.time}`)).toEqual([
      'crm.lead.captured@2025-03-01T08:00:00.000Z',
      'crm.lead.assigned@2025-03-01T08:00:00.000Z',
      'crm.lead.followed_up@2025-03-02T00:00:00.000Z',
      'crm.lead.followed_up@2025-03-04T00:00:00.000Z',
      'crm.lead.qualified@2025-03-05T00:00:00.000Z',
      'crm.lead.converted@2025-03-06T00:00:00.000Z',
    ]);
    expect(plan.events.at(-1)!.data).toMatchObject({ convertedAt: '2025-03-06T00:00:00.000Z', capturedAt: '2025-03-01T08:00:00.000Z', historical: true });
  });

  it('leaves a lead nobody owned unassigned, with no assignment', () => {
    const plan = decideLeadHistory(lead(), { ownerTeam: null, by: 'importer', correlationId: 'c-1' });
    expect(plan.lead.status).toBe('unassigned');
    expect(plan.assignment).toBeNull();
    expect(plan.events.map((e) => e.type)).toEqual(['crm.lead.captured']);
  });
});
