import { dayOf, DEFAULT_TIME_ZONE } from '@crm/calendar';
import type { Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { stageProgress, type StageDef } from '../pipeline/pipeline.domain';

/** The factors every opportunity is scored on; the learned model uses the same features. */
export const FACTORS = ['companySize', 'purchaseHistory', 'urgency', 'engagement', 'amount'] as const;
export type Factor = (typeof FACTORS)[number];
export type FeatureVector = Record<Factor, number>;

export const COMPANY_SIZE_VALUE: Record<string, number> = { micro: 0.1, small: 0.3, medium: 0.5, large: 0.8, enterprise: 1 };
const UNKNOWN_SIZE_VALUE = 0.3;

export interface ScoringSubject {
  companySize: string | null;
  expectedAmount: string;
  currency: string;
  expectedCloseDate: string;
}

export interface ScoringContext {
  /** YYYY-MM-DD the score is computed for (urgency counts days from it). */
  today: string;
  /** Non-cancelled orders of the account and their total, from order events. */
  purchases: { orders: number; total: string | null; currency: string | null };
  /** Where the stage sits among the open stages, 0…1. */
  stageProgress: number;
  stage: string;
  /** Completed tasks, strategy records and lead follow-ups. */
  activity: number;
}

export type WeightsModel = { kind: 'weights'; version: number; weights: FeatureVector };
export type LearnedModel = {
  kind: 'learned';
  version: number;
  intercept: number;
  coefficients: FeatureVector;
  means: FeatureVector;
  stds: FeatureVector;
};
export type ScoringModel = WeightsModel | LearnedModel;

export interface FactorScore {
  factor: string;
  weight: number;
  value: number;
  contribution: number;
  explanation: string;
}

export interface ScoreResult {
  score: number;
  factors: FactorScore[];
  features: FeatureVector;
}

export const DEFAULT_WEIGHTS: FeatureVector = { companySize: 20, purchaseHistory: 20, urgency: 20, engagement: 25, amount: 15 };

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const clamp01 = (n: number) => Math.min(1, Math.max(0, n));
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Each factor as a value in 0…1 with a sentence saying where it came from. */
export function featuresOf(subject: ScoringSubject, context: ScoringContext): { values: FeatureVector; notes: Record<Factor, string> } {
  const size = subject.companySize ? COMPANY_SIZE_VALUE[subject.companySize] : undefined;
  const orders = context.purchases.orders;
  const days = daysBetween(context.today, subject.expectedCloseDate);
  // Closing within two weeks is most urgent; beyond half a year it adds nothing. A passed date means the deal is slipping.
  const urgency = days < 0 ? 0.2 : clamp01(1 - Math.max(0, days - 14) / 166);
  const activity = Math.min(1, context.activity / 6);
  // A feature, not money arithmetic: the float only places the amount on a log scale (1 000 000 → 1).
  const amount = clamp01(Math.log10(Number(subject.expectedAmount) + 1) / 6);
  const values: FeatureVector = {
    companySize: size ?? UNKNOWN_SIZE_VALUE,
    purchaseHistory: Math.min(1, orders / 5),
    urgency,
    engagement: 0.5 * clamp01(context.stageProgress) + 0.5 * activity,
    amount,
  };
  const notes: Record<Factor, string> = {
    companySize: size === undefined ? 'company size unknown' : `${subject.companySize} company`,
    purchaseHistory: orders
      ? `${orders} earlier order(s) from this account${context.purchases.total ? ` totalling ${context.purchases.total} ${context.purchases.currency ?? ''}`.trimEnd() : ''}`
      : 'no earlier orders from this account',
    urgency: days < 0 ? `expected close date passed ${-days} day(s) ago` : `${days} day(s) to the expected close date`,
    engagement: `stage ${context.stage} (${Math.round(clamp01(context.stageProgress) * 100)}% of the pipeline), ${context.activity} activit${context.activity === 1 ? 'y' : 'ies'}`,
    amount: `expected amount ${subject.expectedAmount} ${subject.currency}`,
  };
  for (const f of FACTORS) values[f] = round(values[f], 4);
  return { values, notes };
}

/**
 * Scores 0…100 with each factor's contribution. Contributions are kept in hundredths and the score is their
 * sum, so they add up to it exactly. Weights model: contribution = normalised weight × value. Learned model:
 * the average opportunity's win chance is a `baseline` contribution and the rest is shared out in proportion
 * to each factor's term of the logit.
 */
export function score(subject: ScoringSubject, context: ScoringContext, model: ScoringModel): ScoreResult {
  const { values, notes } = featuresOf(subject, context);
  const cents = (n: number) => Math.round(n * 100);
  let factors: FactorScore[];
  if (model.kind === 'weights') {
    const total = FACTORS.reduce((sum, f) => sum + model.weights[f], 0);
    factors = FACTORS.map((f) => {
      const weight = total > 0 ? (model.weights[f] / total) * 100 : 0;
      return { factor: f, weight: round(weight, 4), value: values[f], contribution: cents(weight * values[f]) / 100, explanation: notes[f] };
    });
  } else {
    const terms = FACTORS.map((f) => model.coefficients[f] * standardise(values[f], model.means[f], model.stds[f]));
    const baseline = sigmoid(model.intercept) * 100;
    const full = sigmoid(model.intercept + terms.reduce((a, b) => a + b, 0)) * 100;
    const logitShift = terms.reduce((a, b) => a + b, 0);
    const targetCents = cents(full);
    const termCents = FACTORS.map((_, i) => (logitShift === 0 ? 0 : cents(((full - baseline) * terms[i]) / logitShift)));
    // Whatever rounding leaves over goes to the baseline, so the parts add up to the score to the hundredth.
    const baselineCents = targetCents - termCents.reduce((a, b) => a + b, 0);
    factors = [
      {
        factor: 'baseline',
        weight: round(model.intercept, 4),
        value: 1,
        contribution: baselineCents / 100,
        explanation: 'win chance of an average opportunity in the closed history',
      },
      ...FACTORS.map((f, i) => ({
        factor: f,
        weight: round(model.coefficients[f], 4),
        value: values[f],
        contribution: termCents[i] / 100,
        explanation: `${notes[f]} (learned coefficient ${round(model.coefficients[f], 3)})`,
      })),
    ];
  }
  const total = factors.reduce((sum, f) => sum + cents(f.contribution), 0);
  return { score: Math.min(100, Math.max(0, total / 100)), factors, features: values };
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
export const standardise = (x: number, mean: number, std: number) => (std > 0 ? (x - mean) / std : 0);

/** One opportunity as scoring sees it, with what its context needs. */
export interface ScoringState extends ScoringSubject {
  id: string;
  version: number;
  stage: string;
  /** Completed tasks, strategy records and lead follow-ups. */
  activity: number;
  /** The score and model it has now. */
  score: number;
  modelVersion: number | null;
  stages: readonly StageDef[];
  purchases: ScoringContext['purchases'];
}

export interface ScoreChanges {
  score: number;
  factors: FactorScore[];
  features: FeatureVector;
  modelVersion: number;
  scoredAt: Date;
}

/**
 * Scores an opportunity as of `now` (days to close counted from today in the business time zone `zone`);
 * `opportunity.scored` only when the score or the model changed.
 */
export function decideScore(s: ScoringState, model: ScoringModel, now: Date, zone = DEFAULT_TIME_ZONE): Decision<ScoreChanges> {
  const result = score(
    { companySize: s.companySize, expectedAmount: s.expectedAmount, currency: s.currency, expectedCloseDate: s.expectedCloseDate },
    { today: dayOf(now, zone), purchases: s.purchases, stageProgress: stageProgress(s.stages, s.stage), stage: s.stage, activity: s.activity },
    model,
  );
  const changes = { score: result.score, factors: result.factors, features: result.features, modelVersion: model.version, scoredAt: now };
  if (s.score === result.score && s.modelVersion === model.version) return { changes, events: [] };
  const event = newEvent('opportunity.scored', {
    subject: s.id,
    data: { opportunityId: s.id, score: result.score, factors: result.factors, scoredAt: now.toISOString() },
  });
  return { changes, events: [event] };
}
