import type { Contribution } from './aggregates';
import type { FactTable } from './fact-rows';
import type { ProjectionContext } from './projection-context';
import { diffContributions } from './projection.domain';

/** A re-projected fact: what it contributed as stored, and what it contributes now. */
export interface Settled {
  id: string;
  before: Contribution[];
  after: Contribution[];
}

export interface Settlement {
  /** after − before of every fact that changed, for the aggregates. */
  deltas: Contribution[];
  /** The facts whose stored contribution becomes `after`. */
  changed: { id: string; contrib: Contribution[] }[];
}

/** The differences re-projected facts make; a fact whose contribution did not move is left alone. */
export function settlement(facts: readonly Settled[]): Settlement {
  const out: Settlement = { deltas: [], changed: [] };
  for (const f of facts) {
    const delta = diffContributions(f.before, f.after);
    if (!delta.length) continue;
    out.deltas.push(...delta);
    out.changed.push({ id: f.id, contrib: f.after });
  }
  return out;
}

/** Collects the facts' differences in `deltas` (written to the aggregates at the flush) and stores their new contributions. */
export async function settle({ m, repos }: ProjectionContext, table: FactTable, facts: readonly Settled[], deltas: Contribution[]): Promise<void> {
  const { deltas: delta, changed } = settlement(facts);
  deltas.push(...delta);
  await repos.aggregates.saveContributions(m, table, changed);
}

/** Rows by their order id, in the order given. */
export function byOrder<R extends { order_id: string }>(rows: readonly R[]): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of rows) {
    const list = out.get(r.order_id);
    if (list) list.push(r);
    else out.set(r.order_id, [r]);
  }
  return out;
}
