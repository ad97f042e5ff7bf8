import type { components } from '@crm/api-client';
import { dueDay, leadsNearBreach, spanParts, stageOverdue } from './home.logic';

type Lead = components['schemas']['LeadView'];
type Opportunity = components['schemas']['OpportunityView'];
type Pipeline = components['schemas']['PipelineView'];

const NOW = Date.parse('2026-12-04T12:00:00Z');
const H = 3_600_000;
const lead = (over: Partial<Lead>): Lead => ({ id: 'l', status: 'assigned', firstFollowedUpAt: null, firstFollowUpDueAt: null, ...over }) as Lead;
const at = (hours: number) => new Date(NOW + hours * H).toISOString();

describe('leads about to breach their first-follow-up deadline', () => {
  it('keeps the waiting ones due within the horizon or already breached, most urgent first', () => {
    const leads = [
      lead({ id: 'later', firstFollowUpDueAt: at(30) }),
      lead({ id: 'soon', firstFollowUpDueAt: at(2) }),
      lead({ id: 'breached', firstFollowUpDueAt: at(-5) }),
      lead({ id: 'done', firstFollowUpDueAt: at(1), firstFollowedUpAt: at(-1) }),
      lead({ id: 'contacted', status: 'contacted', firstFollowUpDueAt: at(1) }),
      lead({ id: 'no-deadline' }),
    ];
    expect(leadsNearBreach(leads, NOW).map((l) => l.id)).toEqual(['breached', 'soon']);
  });
});

describe('opportunities overdue in their stage', () => {
  const pipeline = {
    id: 'p',
    stages: [
      { key: 'proposal', name: 'Proposal', timeLimitHours: 48 },
      { key: 'contract', name: 'Contract', timeLimitHours: null },
    ],
  } as unknown as Pipeline;
  const opp = (id: string, stage: string, enteredHoursAgo: number, status = 'open') =>
    ({ id, pipelineId: 'p', stage, status, stageEnteredAt: at(-enteredHoursAgo) }) as Opportunity;

  it('is past the stage time limit, longest overdue first; stages without a limit and closed deals never are', () => {
    const rows = stageOverdue(
      [opp('a', 'proposal', 50), opp('b', 'proposal', 47), opp('c', 'proposal', 100), opp('d', 'contract', 1000), opp('e', 'proposal', 100, 'won')],
      [pipeline],
      NOW,
    );
    expect(rows.map((r) => [r.opportunity.id, r.stageName, r.dueAt])).toEqual([
      ['c', 'Proposal', at(-52)],
      ['a', 'Proposal', at(-2)],
    ]);
  });
});

describe('spans and days', () => {
  it('splits a span into days, hours and minutes, whichever its sign', () => {
    expect(spanParts(-(26 * H + 5 * 60_000))).toEqual({ days: 1, hours: 2, minutes: 5 });
  });
  it('places a due time on today, an earlier day or a later one', () => {
    const dayOf = (iso: string) => iso.slice(0, 10);
    expect(dueDay('2026-12-04T01:00:00Z', '2026-12-04', dayOf)).toBe('today');
    expect(dueDay('2026-12-03T23:00:00Z', '2026-12-04', dayOf)).toBe('earlier');
    expect(dueDay('2026-12-05T00:00:00Z', '2026-12-04', dayOf)).toBe('later');
  });
});
