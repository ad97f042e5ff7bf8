export interface StrategyLink {
  id: string;
  replacesId: string | null;
}

export class StrategyConflictError extends Error {
  override name = 'StrategyConflictError';
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
