import { DomainError, type Decision } from '@crm/domain';
import { trainLogistic, type LabelledExample } from './logistic.domain';
import { FACTORS, type Factor, type FeatureVector } from './scoring.domain';

/** Closed opportunities needed before a learned model is trained, and the held-out accuracy it must reach to be used. */
export const MIN_TRAINING_HISTORY = 50;
export const MIN_HOLDOUT_ACCURACY = 0.6;

/** A new scoring model version as stored. */
export interface NewModelVersion {
  kind: 'weights' | 'learned';
  weights?: FeatureVector;
  model?: { intercept: number; coefficients: FeatureVector; means: FeatureVector; stds: FeatureVector };
  importances?: { factor: Factor; coefficient: number; importance: number }[];
  trainingSize?: number;
  holdoutSize?: number;
  holdoutAccuracy?: number | null;
  trainedAt?: Date;
  createdBy: string;
}

export interface ModelChange {
  version: NewModelVersion;
  /** Made the active model (the one every score uses from now on). */
  activate: boolean;
}

/** New weights are a new active version; all zero would score nothing. */
export function decideWeights(weights: Record<Factor, number>, by: string): Decision<ModelChange> {
  const picked = Object.fromEntries(FACTORS.map((f) => [f, weights[f]])) as FeatureVector;
  if (FACTORS.every((f) => picked[f] === 0)) throw DomainError.invalidField('weights', 'at least one weight must be above 0');
  return { changes: { version: { kind: 'weights', weights: picked, createdBy: by }, activate: true }, events: [] };
}

/** A closed opportunity with the features it had while open. */
export interface ClosedExample {
  id: string;
  features: FeatureVector;
  status: string;
}

/**
 * A logistic regression trained on the closed history. It is a new version either way, and made active only
 * with enough history and a useful held-out accuracy.
 */
export function decideTraining(history: readonly ClosedExample[], by: string, now: Date): Decision<ModelChange> {
  if (history.length < MIN_TRAINING_HISTORY) {
    throw DomainError.conflict(
      'NOT_ENOUGH_HISTORY',
      `A learned model needs at least ${MIN_TRAINING_HISTORY} closed opportunities; there are ${history.length}.`,
    );
  }
  const examples: LabelledExample[] = history.map((r) => ({ id: r.id, features: r.features, won: r.status === 'won' }));
  const trained = trainLogistic(examples);
  const activate = trained.holdoutAccuracy !== null && trained.holdoutAccuracy >= MIN_HOLDOUT_ACCURACY;
  const version: NewModelVersion = {
    kind: 'learned',
    model: { intercept: trained.intercept, coefficients: trained.coefficients, means: trained.means, stds: trained.stds },
    importances: trained.importances,
    trainingSize: trained.trainingSize,
    holdoutSize: trained.holdoutSize,
    holdoutAccuracy: trained.holdoutAccuracy,
    trainedAt: now,
    createdBy: by,
  };
  return { changes: { version, activate }, events: [] };
}
