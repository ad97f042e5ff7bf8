import { FACTORS, type FeatureVector } from './scoring.domain';
import { trainLogistic, type LabelledExample } from './logistic.domain';

/** A seeded generator, so the history is the same on every run. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generatedHistory(n: number, decisive: (typeof FACTORS)[number], seed = 42): LabelledExample[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const features = Object.fromEntries(FACTORS.map((f) => [f, Math.round(rand() * 10_000) / 10_000])) as FeatureVector;
    return { id: `op-${String(i).padStart(5, '0')}-${Math.floor(rand() * 1e6)}`, features, won: features[decisive] > 0.5 };
  });
}

describe('trainLogistic', () => {
  it.each(['engagement', 'companySize'] as const)('ranks the factor that decides the outcome (%s) highest, with high held-out accuracy', (decisive) => {
    const model = trainLogistic(generatedHistory(300, decisive));
    expect(model.importances[0].factor).toBe(decisive);
    expect(model.coefficients[decisive]).toBeGreaterThan(0);
    expect(model.trainingSize).toBe(240);
    expect(model.holdoutSize).toBe(60);
    expect(model.holdoutAccuracy).toBeGreaterThan(0.9);
  });

  it('is deterministic and reports chance-level accuracy when no factor matters', () => {
    const history = generatedHistory(200, 'amount', 7);
    expect(trainLogistic(history)).toEqual(trainLogistic([...history].reverse()));
    const noise = generatedHistory(200, 'amount', 9).map((e, i) => ({ ...e, won: i % 2 === 0 }));
    expect(trainLogistic(noise).holdoutAccuracy).toBeLessThan(0.75);
  });
});
