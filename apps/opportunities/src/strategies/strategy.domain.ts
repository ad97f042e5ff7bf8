import { DomainError, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';

export interface StrategyLink {
  id: string;
  replacesId: string | null;
}

/** An adjustment that does not name the latest record: 409 STRATEGY_CONFLICT. */
export class StrategyConflictError extends DomainError {
  override name = 'StrategyConflictError';
  constructor(detail: string) {
    super({ kind: 'conflict', code: 'STRATEGY_CONFLICT', detail });
  }
}

/**
 * Strategy records form one chain per opportunity: the first replaces nothing, each later one names the
 * record it adjusts, which must be the latest (an adjustment of a superseded record would fork the history).
 */
export function checkAppend(chain: readonly StrategyLink[], replacesId: string | undefined | null): void {
  const latest = chain.length ? chain[chain.length - 1] : undefined;
  if (!latest) {
    if (replacesId) throw new StrategyConflictError(`there is no strategy record to replace yet (replacesId ${replacesId})`);
    return;
  }
  if (!replacesId) throw new StrategyConflictError(`name the record this adjusts: replacesId must be the latest record ${latest.id}`);
  if (replacesId !== latest.id) {
    throw new StrategyConflictError(
      chain.some((r) => r.id === replacesId)
        ? `record ${replacesId} was already replaced; the latest is ${latest.id}`
        : `record ${replacesId} is not a strategy of this opportunity; the latest is ${latest.id}`,
    );
  }
}

/** Orders records first to latest by following the links; a broken or forked chain is an error. */
export function orderChain<T extends StrategyLink>(records: readonly T[]): T[] {
  if (!records.length) return [];
  const byReplaced = new Map<string | null, T>();
  for (const r of records) {
    if (byReplaced.has(r.replacesId)) throw new Error(`strategy chain forks at ${r.replacesId ?? 'the start'}`);
    byReplaced.set(r.replacesId, r);
  }
  const ordered: T[] = [];
  for (let next = byReplaced.get(null); next; next = byReplaced.get(next.id)) ordered.push(next);
  if (ordered.length !== records.length) throw new Error('strategy chain is broken: some records are not linked from the first');
  return ordered;
}

export interface StrategyRecord extends StrategyLink {
  opportunityId: string;
  products: string[];
  pricing: string | null;
  discountPercent: number | null;
  promotions: string[];
  rationale: string | null;
  by: string;
  at: Date;
}

/** The opportunity a strategy is recorded on, with its chain so far (first to latest). */
export interface StrategyState {
  id: string;
  status: 'open' | 'won' | 'lost';
  version: number;
  chain: readonly StrategyLink[];
}

export interface RecordStrategy {
  replacesId?: string;
  products?: string[];
  pricing?: string;
  discountPercent?: number;
  promotions?: string[];
  rationale: string;
}

/** Appends a record to an open opportunity's chain, with `opportunity.strategy_recorded`. */
export function decideRecord(o: StrategyState, cmd: RecordStrategy, by: { id: string; at: Date; user: string }): Decision<StrategyRecord> {
  if (o.status !== 'open') throw DomainError.conflict('OPPORTUNITY_CLOSED', `Opportunity ${o.id} is ${o.status}.`);
  checkAppend(o.chain, cmd.replacesId);
  const record: StrategyRecord = {
    id: by.id,
    opportunityId: o.id,
    replacesId: cmd.replacesId ?? null,
    products: cmd.products ?? [],
    pricing: cmd.pricing ?? null,
    discountPercent: cmd.discountPercent ?? null,
    promotions: cmd.promotions ?? [],
    rationale: cmd.rationale,
    by: by.user,
    at: by.at,
  };
  const event = newEvent('opportunity.strategy_recorded', {
    subject: o.id,
    data: {
      opportunityId: o.id,
      strategyId: record.id,
      replacesId: record.replacesId,
      by: by.user,
      recommendedProducts: record.products,
      pricing: cmd.pricing,
      discountPercent: cmd.discountPercent,
      promotions: record.promotions,
      note: cmd.rationale,
      recordedAt: record.at.toISOString(),
    },
  });
  return { changes: record, events: [event] };
}
