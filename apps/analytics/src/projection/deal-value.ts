import Big from 'big.js';
import { formatAmount, parseAmount } from '@crm/money';

/** amount × probability, rounded half-even to 4 places: the probability-weighted value of one deal. */
export function weightedAmount(amount: string, probability: number): string {
  if (probability < 0 || probability > 1) throw new RangeError(`probability ${probability} is outside 0..1`);
  return formatAmount(parseAmount(amount).times(new Big(probability)));
}

export type ForecastCategory = 'commit' | 'best_case' | 'pipeline';
/** Stages that count as commit whatever their probability (a signed contract is waiting for the order). */
export const COMMIT_STAGES: readonly string[] = ['contract'];

/**
 * The forecast category of an open deal: commit when its win probability is at least 0.8 or it sits in a
 * commit stage, best case from 0.5, pipeline below.
 */
export function forecastCategory(stage: string, probability: number): ForecastCategory {
  if (probability >= 0.8 || COMMIT_STAGES.includes(stage.toLowerCase())) return 'commit';
  if (probability >= 0.5) return 'best_case';
  return 'pipeline';
}
