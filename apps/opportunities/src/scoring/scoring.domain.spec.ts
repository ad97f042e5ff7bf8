import { decideScore, DEFAULT_WEIGHTS, FACTORS, score, type LearnedModel, type ScoringContext, type ScoringState, type ScoringSubject } from './scoring.domain';

const subject: ScoringSubject = { companySize: 'large', expectedAmount: '25000.00', currency: 'USD', expectedCloseDate: '2026-03-01' };
const context: ScoringContext = {
  today: '2026-01-15',
  purchases: { orders: 2, total: '1200.00', currency: 'USD' },
  stageProgress: 1 / 3,
  stage: 'proposal',
  activity: 3,
};
const cents = (n: number) => Math.round(n * 100);

describe('score', () => {
  it('explains the weighted score: one entry per factor, contributions summing exactly to the score', () => {
    const result = score(subject, context, { kind: 'weights', version: 1, weights: DEFAULT_WEIGHTS });
    expect(result.factors.map((f) => f.factor)).toEqual([...FACTORS]);
    expect(result.factors.reduce((s, f) => s + cents(f.contribution), 0)).toBe(cents(result.score));
    expect(result.score).toBeGreaterThan(0);
    expect(result.score).toBeLessThanOrEqual(100);
    const size = result.factors.find((f) => f.factor === 'companySize')!;
    expect(size).toMatchObject({ weight: 20, value: 0.8, contribution: 16, explanation: 'large company' });
    expect(result.factors.find((f) => f.factor === 'urgency')!.explanation).toBe('45 day(s) to the expected close date');
    expect(result.factors.find((f) => f.factor === 'purchaseHistory')!.explanation).toContain('2 earlier order(s)');
  });

  it('normalises weights to 100 points and follows them', () => {
    const onlyAmount = score(subject, context, { kind: 'weights', version: 2, weights: { ...zero(), amount: 3 } });
    expect(onlyAmount.factors.find((f) => f.factor === 'amount')!.weight).toBe(100);
    expect(onlyAmount.score).toBe(cents(100 * onlyAmount.features.amount) / 100);
    const bigger = score({ ...subject, expectedAmount: '900000' }, context, { kind: 'weights', version: 2, weights: { ...zero(), amount: 1 } });
    expect(bigger.score).toBeGreaterThan(onlyAmount.score);
  });

  it('scores a passed close date low on urgency and an unknown size as such', () => {
    const late = score({ ...subject, companySize: null, expectedCloseDate: '2026-01-01' }, context, { kind: 'weights', version: 1, weights: DEFAULT_WEIGHTS });
    expect(late.features.urgency).toBe(0.2);
    expect(late.factors[0].explanation).toBe('company size unknown');
  });

  it('explains a learned score as a baseline plus factor shares that sum exactly to it', () => {
    const model: LearnedModel = {
      kind: 'learned',
      version: 3,
      intercept: -0.4,
      coefficients: { companySize: 0.3, purchaseHistory: 2.1, urgency: -0.2, engagement: 0.7, amount: 0.05 },
      means: { companySize: 0.4, purchaseHistory: 0.2, urgency: 0.5, engagement: 0.3, amount: 0.6 },
      stds: { companySize: 0.2, purchaseHistory: 0.3, urgency: 0.2, engagement: 0.2, amount: 0.1 },
    };
    const result = score(subject, context, model);
    expect(result.factors[0].factor).toBe('baseline');
    expect(result.factors.reduce((s, f) => s + cents(f.contribution), 0)).toBe(cents(result.score));
    // purchaseHistory is 0.4 here, above its mean, with the largest coefficient: the largest share.
    const top = [...result.factors.slice(1)].sort((a, b) => b.contribution - a.contribution)[0];
    expect(top.factor).toBe('purchaseHistory');
  });
});

describe('decideScore', () => {
  const now = new Date('2026-01-15T08:00:00Z');
  const weights = { kind: 'weights' as const, version: 4, weights: DEFAULT_WEIGHTS };
  const stages = ['needs_analysis', 'proposal', 'negotiation', 'contract'].map((key, position) => ({
    key,
    name: key,
    position,
    winProbability: 0.1,
    outcome: null,
    exitCriteria: {},
    timeLimitHours: null,
  }));
  const state: ScoringState = {
    ...subject,
    id: '6f1c1d8e-6a43-4a4e-9d8e-2f0b0c4b7a11',
    version: 2,
    stage: 'proposal',
    activity: 3,
    score: 0,
    modelVersion: null,
    stages,
    purchases: context.purchases,
  };

  it('scores as of now with the stage progress of the pipeline, and publishes opportunity.scored', () => {
    const { changes, events } = decideScore(state, weights, now);
    expect(changes.score).toBe(score(subject, context, weights).score);
    expect(changes).toMatchObject({ modelVersion: 4, scoredAt: now });
    expect(events.map((e) => e.type)).toEqual(['crm.opportunity.scored']);
    expect(events[0].data).toMatchObject({ opportunityId: state.id, score: changes.score, scoredAt: now.toISOString() });
  });

  it('publishes nothing when neither the score nor the model changed', () => {
    const { changes } = decideScore(state, weights, now);
    const same = { ...state, score: changes.score, modelVersion: 4 };
    expect(decideScore(same, weights, now).events).toEqual([]);
    expect(decideScore(same, { ...weights, version: 5 }, now).events).toHaveLength(1);
    expect(decideScore({ ...same, activity: 0 }, weights, now).events).toHaveLength(1);
  });

  it('counts the days to close from today in the business time zone: a close date that is today in UTC has passed in Beijing', () => {
    const evening = new Date('2026-01-15T20:00:00Z'); // 04:00 on Jan 16 in Beijing
    const closingToday = { ...state, expectedCloseDate: '2026-01-15' };
    expect(decideScore(closingToday, weights, evening, 'UTC').changes.features.urgency).toBe(1);
    expect(decideScore(closingToday, weights, evening, 'Asia/Shanghai').changes.features.urgency).toBe(0.2);
  });
});

function zero() {
  return Object.fromEntries(FACTORS.map((f) => [f, 0])) as Record<(typeof FACTORS)[number], number>;
}
