import { FACTORS, sigmoid, standardise, type Factor, type FeatureVector } from './scoring.domain';

export interface LabelledExample {
  id: string;
  features: FeatureVector;
  won: boolean;
}

export interface TrainingOptions {
  iterations?: number;
  learningRate?: number;
  /** L2 penalty: keeps the coefficients finite when one factor separates the classes perfectly. */
  l2?: number;
  /** Every n-th example (after a deterministic ordering by id) is held out for the accuracy check. */
  holdoutEvery?: number;
}

export interface TrainedModel {
  intercept: number;
  coefficients: FeatureVector;
  means: FeatureVector;
  stds: FeatureVector;
  /** Factors by |standardised coefficient|, most important first. */
  importances: { factor: Factor; coefficient: number; importance: number }[];
  trainingSize: number;
  holdoutSize: number;
  holdoutAccuracy: number | null;
}

/**
 * Logistic regression by full-batch gradient descent on standardised features. Deterministic: examples are
 * ordered by id, every fifth is held out (an 80/20 split), weights start at zero. The held-out accuracy is
 * what the model earns on history it never saw.
 */
export function trainLogistic(examples: readonly LabelledExample[], options: TrainingOptions = {}): TrainedModel {
  const { iterations = 1500, learningRate = 0.5, l2 = 0.001, holdoutEvery = 5 } = options;
  const ordered = [...examples].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const train = ordered.filter((_, i) => i % holdoutEvery !== holdoutEvery - 1);
  const holdout = ordered.filter((_, i) => i % holdoutEvery === holdoutEvery - 1);
  if (!train.length) throw new Error('no training examples');

  const means = {} as FeatureVector;
  const stds = {} as FeatureVector;
  for (const f of FACTORS) {
    const xs = train.map((e) => e.features[f]);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    means[f] = mean;
    stds[f] = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
  }
  const X = train.map((e) => FACTORS.map((f) => standardise(e.features[f], means[f], stds[f])));
  const y = train.map((e) => (e.won ? 1 : 0));
  const w = FACTORS.map(() => 0);
  let b = 0;
  const n = X.length;
  for (let it = 0; it < iterations; it++) {
    const gw = w.map(() => 0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const err = sigmoid(b + dot(w, X[i])) - y[i];
      gb += err;
      for (let j = 0; j < w.length; j++) gw[j] += err * X[i][j];
    }
    b -= (learningRate * gb) / n;
    for (let j = 0; j < w.length; j++) w[j] -= learningRate * (gw[j] / n + l2 * w[j]);
  }

  const coefficients = Object.fromEntries(FACTORS.map((f, j) => [f, w[j]])) as FeatureVector;
  const predictWon = (e: LabelledExample) =>
    sigmoid(
      b +
        dot(
          w,
          FACTORS.map((f) => standardise(e.features[f], means[f], stds[f])),
        ),
    ) >= 0.5;
  const correct = holdout.filter((e) => predictWon(e) === e.won).length;
  const importances = FACTORS.map((factor, j) => ({ factor, coefficient: w[j], importance: Math.abs(w[j]) })).sort((a, b2) => b2.importance - a.importance);
  return {
    intercept: b,
    coefficients,
    means,
    stds,
    importances,
    trainingSize: train.length,
    holdoutSize: holdout.length,
    holdoutAccuracy: holdout.length ? correct / holdout.length : null,
  };
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((sum, x, i) => sum + x * b[i], 0);
