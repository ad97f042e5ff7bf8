import type { StageInterval } from './projection.domain';

/** An opportunity's amount and expected close date, in effect from `at` (`opportunity.created`, then each `opportunity.terms_changed`). */
export interface TermsEntry {
  kind: 'created' | 'changed';
  at: string;
  amount: string;
  closeDate: string;
}

/** A stage interval with the amount in effect during it. */
export interface PricedInterval extends StageInterval {
  amount: string;
}

const KIND_ORDER = { created: 0, changed: 1 } as const;
const ms = (at: string) => Date.parse(at);

/**
 * The terms in the order they took effect, whatever order their events arrived in: by time, the creation first
 * on a tie, then as they arrived (one opportunity's events share a partition, so a rebuild sees the same order).
 */
export function termsTimeline(terms: readonly TermsEntry[]): TermsEntry[] {
  return [...terms].sort((a, b) => ms(a.at) - ms(b.at) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

/** The terms in effect at `at`; before the first known terms, those first terms (a deal has one amount from its start). */
export function termsAt(timeline: readonly TermsEntry[], at: string): TermsEntry | null {
  let found: TermsEntry | null = timeline[0] ?? null;
  for (const t of timeline) if (ms(t.at) <= ms(at)) found = t;
  return found;
}

/**
 * Cuts each stage interval where the terms changed inside it, so every piece carries the amount of its own
 * time; pieces are numbered afresh in time order. Without terms, nothing is priced.
 */
export function priceIntervals(intervals: readonly StageInterval[], timeline: readonly TermsEntry[]): PricedInterval[] {
  if (!timeline.length) return [];
  const out: PricedInterval[] = [];
  for (const i of intervals) {
    const from = ms(i.validFrom);
    const to = i.validTo === null ? Infinity : ms(i.validTo);
    // The timeline is in time order; one cut per instant however it was written.
    const cuts = [...new Map(timeline.filter((t) => ms(t.at) > from && ms(t.at) < to).map((t) => [ms(t.at), new Date(ms(t.at)).toISOString()])).values()];
    const starts = [i.validFrom, ...cuts];
    starts.forEach((start, k) => {
      const end = k + 1 < starts.length ? starts[k + 1] : i.validTo;
      out.push({ ...i, seq: out.length, validFrom: start, validTo: end, amount: (termsAt(timeline, start) as TermsEntry).amount });
    });
  }
  return out;
}
