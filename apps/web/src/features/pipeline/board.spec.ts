import { ApiProblem } from '@crm/api-client';
import {
  addDecimal,
  groupByStage,
  moveInSummary,
  overdueInStage,
  sameAmount,
  subtractDecimal,
  totalsOf,
  unmetCriteriaOf,
  unmetOf,
  type Opportunity,
  type Stage,
  type Summary,
} from './board';

const stage = (key: string, position: number, extra: Partial<Stage> = {}): Stage => ({
  key,
  name: key,
  position,
  winProbability: 0.5,
  outcome: null,
  exitCriteria: {},
  timeLimitHours: null,
  ...extra,
});

describe('exact decimal sums', () => {
  it('adds and subtracts without a float, keeping the longer scale', () => {
    expect(addDecimal('0.10', '0.20')).toBe('0.30');
    expect(addDecimal('169679.94', '15575.6300')).toBe('185255.5700');
    expect(subtractDecimal('100.00', '2000.50')).toBe('-1900.50');
    expect(subtractDecimal('2000.50', '2000.50')).toBe('0.00');
    expect(addDecimal('99999999999999.99', '0.01')).toBe('100000000000000.00');
    expect(sameAmount('125.5', '125.5000')).toBe(true);
  });

  it('totals cards per currency', () => {
    const cards = [
      { currency: 'CNY', expectedAmount: '0.10' },
      { currency: 'USD', expectedAmount: '5' },
      { currency: 'CNY', expectedAmount: '0.20' },
    ];
    expect(totalsOf(cards)).toEqual({
      count: 3,
      totals: [
        { currency: 'CNY', count: 2, amount: '0.30' },
        { currency: 'USD', count: 1, amount: '5.00' },
      ],
    });
  });
});

describe('a move in the summary', () => {
  const summary: Summary = {
    pipelineId: 'p',
    stages: [
      {
        stage: 'a',
        name: 'A',
        position: 0,
        winProbability: 0.1,
        outcome: null,
        count: 2,
        totals: [{ currency: 'CNY', count: 2, amount: '300.00', weightedAmount: '30.00' }],
      },
      {
        stage: 'b',
        name: 'B',
        position: 1,
        winProbability: 0.3,
        outcome: null,
        count: 1,
        totals: [{ currency: 'USD', count: 1, amount: '10.00', weightedAmount: '3.00' }],
      },
    ],
  };

  it('takes the card out of its stage and adds it to the target, per currency', () => {
    const moved = moveInSummary(summary, { stage: 'a', currency: 'CNY', expectedAmount: '100.25' }, 'b');
    expect(moved.stages[0]).toMatchObject({ count: 1, totals: [{ currency: 'CNY', count: 1, amount: '199.75' }] });
    expect(moved.stages[1]).toMatchObject({
      count: 2,
      totals: [
        { currency: 'USD', count: 1 },
        { currency: 'CNY', count: 1, amount: '100.25' },
      ],
    });
  });

  it('drops a currency whose last card left', () => {
    const moved = moveInSummary(summary, { stage: 'b', currency: 'USD', expectedAmount: '10.00' }, 'a');
    expect(moved.stages[1]).toMatchObject({ count: 0, totals: [] });
  });
});

describe('the board', () => {
  it('groups cards by stage, soonest close first, and leaves out unknown stages', () => {
    const card = (id: string, s: string, close: string) => ({ id, stage: s, expectedCloseDate: close }) as Opportunity;
    const columns = groupByStage([card('1', 'a', '2027-02-01'), card('2', 'a', '2027-01-01'), card('3', 'won', '2027-01-01')], [stage('a', 0), stage('b', 1)]);
    expect(columns.get('a')!.map((c) => c.id)).toEqual(['2', '1']);
    expect(columns.get('b')).toEqual([]);
    expect(columns.has('won')).toBe(false);
  });

  it('marks a card overdue once its stage time limit has passed', () => {
    const now = Date.parse('2026-12-10T00:00:00Z');
    expect(overdueInStage({ stageEnteredAt: '2026-12-02T00:00:00Z' }, stage('a', 0, { timeLimitHours: 168 }), now)).toBe(true);
    expect(overdueInStage({ stageEnteredAt: '2026-12-04T00:00:00Z' }, stage('a', 0, { timeLimitHours: 168 }), now)).toBe(false);
    expect(overdueInStage({ stageEnteredAt: '2020-01-01T00:00:00Z' }, stage('a', 0), now)).toBe(false);
  });
});

describe('exit criteria', () => {
  it('reads the unmet criteria from a refused move', () => {
    const response = new Response(null, { status: 409 });
    const problem = new ApiProblem(response, {
      type: 'urn:crm:problem:exit-criteria-unmet',
      title: 'Conflict',
      status: 409,
      detail: 'Cannot move',
      code: 'EXIT_CRITERIA_UNMET',
      errors: [
        { field: 'needsReport', message: 'needsReport is required before leaving needs_analysis', constraint: 'exitCriteria:needs_analysis' },
        { field: 'tasks.discovery_call', message: 'task discovery_call must be completed', constraint: 'exitCriteria:proposal' },
        { field: 'other', message: 'not a criterion', constraint: 'isString' },
      ],
    });
    expect(unmetCriteriaOf(problem)).toEqual([
      { stage: 'needs_analysis', kind: 'field', name: 'needsReport' },
      { stage: 'proposal', kind: 'task', name: 'discovery_call' },
    ]);
    expect(unmetCriteriaOf(new Error('offline'))).toEqual([]);
  });

  it("lists what an opportunity still lacks for its stage's criteria", () => {
    const s = stage('a', 0, { exitCriteria: { requiredFields: ['needsReport', 'lines', 'expectedAmount'], requiredTasks: ['call'] } });
    expect(unmetOf(s, { fields: {}, lines: [], tasks: [{ key: 'call', doneAt: null }], expectedAmount: '10.00' }).map((u) => u.name)).toEqual([
      'needsReport',
      'lines',
      'call',
    ]);
    expect(unmetOf(s, { fields: { needsReport: 'x' }, lines: [{}], tasks: [{ key: 'call', doneAt: '2026-01-01' }], expectedAmount: '10.00' })).toEqual([]);
  });
});
