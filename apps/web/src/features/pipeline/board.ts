// The board's pure logic: exact decimal sums (amounts never pass through a float), the per-stage totals moved
// when a card moves, the totals of a filtered board, and the unmet exit criteria a refused move names.
import type { components } from '@crm/api-client';
import { ApiProblem } from '@crm/api-client';

export type Opportunity = components['schemas']['OpportunityView'];
export type Stage = components['schemas']['StageView'];
export type Summary = components['schemas']['PipelineSummaryView'];
export type StageTotal = components['schemas']['StageTotalView'];

/** A decimal string as an integer of `scale` fractional digits. */
function scaled(value: string, scale: number): bigint {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace(/^[-+]/, '').split('.');
  const digits = BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale));
  return negative ? -digits : digits;
}

const scaleOf = (value: string) => value.split('.')[1]?.length ?? 0;

function unscaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

/** `a + b` exactly, with the larger number of fractional digits of the two (at least 2). */
export function addDecimal(a: string, b: string): string {
  const scale = Math.max(2, scaleOf(a), scaleOf(b));
  return unscaled(scaled(a, scale) + scaled(b, scale), scale);
}

export const subtractDecimal = (a: string, b: string): string => addDecimal(a, b.startsWith('-') ? b.slice(1) : `-${b}`);

/** Two decimal strings are the same amount (`125.5` and `125.50`). */
export function sameAmount(a: string, b: string): boolean {
  const scale = Math.max(scaleOf(a), scaleOf(b));
  return scaled(a, scale) === scaled(b, scale);
}

/** The open stages, the board's columns, in pipeline order. */
export const openStages = (stages: readonly Stage[]): Stage[] => stages.filter((s) => !s.outcome).sort((a, b) => a.position - b.position);

/** Cards by stage key, each column sorted by expected close date (soonest first). */
export function groupByStage(items: readonly Opportunity[], stages: readonly Stage[]): Map<string, Opportunity[]> {
  const columns = new Map(stages.map((s) => [s.key, [] as Opportunity[]]));
  for (const item of items) columns.get(item.stage)?.push(item);
  for (const cards of columns.values()) cards.sort((a, b) => a.expectedCloseDate.localeCompare(b.expectedCloseDate));
  return columns;
}

export interface ColumnTotals {
  count: number;
  totals: { currency: string; count: number; amount: string }[];
}

/** Per-currency count and amount of some cards (the totals of a filtered board). */
export function totalsOf(cards: readonly Pick<Opportunity, 'currency' | 'expectedAmount'>[]): ColumnTotals {
  const byCurrency = new Map<string, { currency: string; count: number; amount: string }>();
  for (const card of cards) {
    const total = byCurrency.get(card.currency) ?? { currency: card.currency, count: 0, amount: '0.00' };
    byCurrency.set(card.currency, { ...total, count: total.count + 1, amount: addDecimal(total.amount, card.expectedAmount) });
  }
  return { count: cards.length, totals: [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency)) };
}

function shifted(totals: StageTotal[], card: Pick<Opportunity, 'currency' | 'expectedAmount'>, sign: 1 | -1): StageTotal[] {
  const existing = totals.find((t) => t.currency === card.currency);
  const amount = (base: string) => (sign > 0 ? addDecimal(base, card.expectedAmount) : subtractDecimal(base, card.expectedAmount));
  const next = existing
    ? totals.map((t) => (t === existing ? { ...t, count: t.count + sign, amount: amount(t.amount) } : t))
    : [...totals, { currency: card.currency, count: 1, amount: card.expectedAmount, weightedAmount: '0.00' }];
  return next.filter((t) => t.count > 0);
}

/** The summary as it is once `card` has left its stage for `toStage` (the optimistic view of a move). */
export function moveInSummary(summary: Summary, card: Pick<Opportunity, 'stage' | 'currency' | 'expectedAmount'>, toStage: string): Summary {
  return {
    ...summary,
    stages: summary.stages.map((s) => {
      if (s.stage === card.stage) return { ...s, count: s.count - 1, totals: shifted(s.totals, card, -1) };
      if (s.stage === toStage) return { ...s, count: s.count + 1, totals: shifted(s.totals, card, 1) };
      return s;
    }),
  };
}

/** A card stayed past its stage's time limit. */
export function overdueInStage(card: Pick<Opportunity, 'stageEnteredAt'>, stage: Pick<Stage, 'timeLimitHours'> | undefined, now = Date.now()): boolean {
  if (!stage?.timeLimitHours) return false;
  return Date.parse(card.stageEnteredAt) + stage.timeLimitHours * 3_600_000 < now;
}

export interface UnmetCriterion {
  /** the stage whose exit criterion is unmet */
  stage: string;
  kind: 'field' | 'task';
  name: string;
}

/** The unmet exit criteria a refused move names (409 EXIT_CRITERIA_UNMET: one field error per criterion). */
export function unmetCriteriaOf(error: unknown): UnmetCriterion[] {
  if (!(error instanceof ApiProblem)) return [];
  return error.errors
    .filter((e) => e.constraint?.startsWith('exitCriteria:'))
    .map((e) => {
      const stage = (e.constraint ?? '').slice('exitCriteria:'.length);
      return e.field.startsWith('tasks.')
        ? { stage, kind: 'task' as const, name: e.field.slice('tasks.'.length) }
        : { stage, kind: 'field' as const, name: e.field };
    });
}

/** The exit criteria of one stage an opportunity does not meet yet (to show before trying). */
export function unmetOf(
  stage: Pick<Stage, 'key' | 'exitCriteria'> | undefined,
  o: { fields?: Record<string, string>; lines?: unknown[]; tasks?: { key: string; doneAt: string | null }[] } & Partial<Record<string, unknown>>,
): UnmetCriterion[] {
  if (!stage) return [];
  const filled = (name: string) => {
    const value = name === 'lines' ? o.lines : (o.fields?.[name] ?? o[name]);
    return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && String(value).trim() !== '';
  };
  const done = new Set((o.tasks ?? []).filter((t) => t.doneAt).map((t) => t.key));
  return [
    ...(stage.exitCriteria.requiredFields ?? []).filter((f) => !filled(f)).map((name) => ({ stage: stage.key, kind: 'field' as const, name })),
    ...(stage.exitCriteria.requiredTasks ?? []).filter((k) => !done.has(k)).map((name) => ({ stage: stage.key, kind: 'task' as const, name })),
  ];
}
