import type { EventOf } from '@crm/contracts';
import type { Decision } from '@crm/domain';

/** The orders service's copy of a catalogue item (inventory's `item.upserted`). */
export interface CatalogueItem {
  sku: string;
  name: string;
  productLine: string | null;
  active: boolean;
  /** ISO timestamp, kept as sent so the stored copy loses no precision. */
  updatedAt: string;
}

/** The orders service's copy of a rep (leads' `rep.upserted`). */
export interface Rep {
  repId: string;
  name: string;
  team: string | null;
  active: boolean;
  /** ISO timestamp, kept as sent so the stored copy loses no precision. */
  updatedAt: string;
}

/** A late, older update never overwrites a newer one; an update as new as the copy does (a redelivery). */
export function decideCopy<T extends { updatedAt: string }>(current: { updatedAt: Date } | undefined, incoming: T): Decision<T | null> {
  const supersedes = !current || current.updatedAt.getTime() <= Date.parse(incoming.updatedAt);
  return { changes: supersedes ? incoming : null, events: [] };
}

export const itemFrom = ({ data }: EventOf<'item.upserted'>): CatalogueItem => ({
  sku: data.sku,
  name: data.name,
  productLine: data.productLine ?? null,
  active: data.active,
  updatedAt: data.updatedAt,
});

export const repFrom = ({ data }: EventOf<'rep.upserted'>): Rep => ({
  repId: data.repId,
  name: data.name,
  team: data.team ?? null,
  active: data.active,
  updatedAt: data.updatedAt,
});

/** The SKUs among `skus`, in their order, that are not among the active items the catalogue sells. */
export const unsellable = (skus: readonly string[], sellable: ReadonlySet<string>): Set<string> => new Set(skus.filter((s) => !sellable.has(s)));
