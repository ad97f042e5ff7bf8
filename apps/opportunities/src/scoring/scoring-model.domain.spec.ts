import { FACTORS, type FeatureVector } from './scoring.domain';
import { decideTraining, decideWeights, MIN_TRAINING_HISTORY, type ClosedExample } from './scoring-model.domain';

/** Closed deals whose outcome one factor decides (seeded: the same on every run), or a coin toss. */
function history(n: number, decisive: keyof FeatureVector | null, seed = 11): ClosedExample[] {
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  return Array.from({ length: n }, (_, i) => {
    const features = Object.fromEntries(FACTORS.map((f) => [f, Math.round(rand() * 10_000) / 10_000])) as FeatureVector;
    const won = decisive ? features[decisive] > 0.5 : i % 2 === 0;
    return { id: `op-${String(i).padStart(4, '0')}`, features, status: won ? 'won' : 'lost' };
  });
}

describe('decideWeights', () => {
  it('makes the weights a new active version, refusing all zero', () => {
    const weights = { companySize: 1, purchaseHistory: 0, urgency: 2, engagement: 3, amount: 4 };
    expect(decideWeights({ ...weights, extra: 9 } as typeof weights, 'admin').changes).toEqual({
      version: { kind: 'weights', weights, createdBy: 'admin' },
      activate: true,
    });
    expect(() => decideWeights({ companySize: 0, purchaseHistory: 0, urgency: 0, engagement: 0, amount: 0 }, 'admin')).toThrow(
      expect.objectContaining({ kind: 'invalid', fields: [expect.objectContaining({ field: 'weights' })] }),
    );
  });
});

describe('decideTraining', () => {
  const now = new Date('2026-02-01T02:00:00Z');

  it('needs enough closed history', () => {
    expect(() => decideTraining(history(MIN_TRAINING_HISTORY - 1, 'engagement'), 'system', now)).toThrow(
      expect.objectContaining({
        kind: 'conflict',
        code: 'NOT_ENOUGH_HISTORY',
        detail: `A learned model needs at least ${MIN_TRAINING_HISTORY} closed opportunities; there are ${MIN_TRAINING_HISTORY - 1}.`,
      }),
    );
  });

  it('activates a model that predicts the held-out history well, and keeps one that does not as an inactive version', () => {
    const useful = decideTraining(history(200, 'engagement'), 'system', now).changes;
    expect(useful.activate).toBe(true);
    expect(useful.version).toMatchObject({ kind: 'learned', trainingSize: 160, holdoutSize: 40, trainedAt: now, createdBy: 'system' });
    expect(useful.version.importances![0].factor).toBe('engagement');
    const noise = decideTraining(history(200, null), 'system', now).changes;
    expect(noise.version.holdoutAccuracy).toBeLessThan(0.6);
    expect(noise.activate).toBe(false);
  });
});
