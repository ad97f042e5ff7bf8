import { DomainError, nothingToDo, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';

// Pure rules of a catalogue item: PUT replaces it whole, a change is published, a PUT that changes nothing is not.

export interface ItemFields {
  name: string;
  productLine: string | null;
  reorderPoint: number;
  active: boolean;
}

export interface Item extends ItemFields {
  sku: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The item a PUT finds: created by this very PUT (its If-Match can only name "0"), or there before, locked. */
export interface ItemState {
  /** The version an If-Match is checked against: 0 for an item this PUT created. */
  version: number;
  item: Item;
  created: boolean;
}

export interface UpsertItemCommand {
  name: string;
  productLine?: string;
  reorderPoint?: number;
  active?: boolean;
  now: Date;
}

export const itemNotFound = (sku: string) => new DomainError({ kind: 'not_found', code: 'ITEM_NOT_FOUND', detail: `There is no item with SKU ${sku}.` });

/** A PUT replaces the item: an omitted optional field takes its default. */
export const itemFields = (cmd: Omit<UpsertItemCommand, 'now'>): ItemFields => ({
  name: cmd.name,
  productLine: cmd.productLine ?? null,
  reorderPoint: cmd.reorderPoint ?? 0,
  active: cmd.active ?? true,
});

const upserted = (item: Item) =>
  newEvent('item.upserted', {
    subject: item.sku,
    data: { sku: item.sku, name: item.name, productLine: item.productLine ?? undefined, active: item.active, updatedAt: item.updatedAt.toISOString() },
  });

/** `update`: the item as it is to be stored, or null when there is nothing to write. */
export function decideUpsert(state: ItemState, cmd: UpsertItemCommand): Decision<{ update: Item | null }> {
  if (state.created) return { changes: { update: null }, events: [upserted(state.item)] };
  const wanted = itemFields(cmd);
  if ((Object.keys(wanted) as (keyof ItemFields)[]).every((k) => state.item[k] === wanted[k])) return nothingToDo({ update: null });
  const next: Item = { ...state.item, ...wanted, version: state.item.version + 1, updatedAt: cmd.now };
  return { changes: { update: next }, events: [upserted(next)] };
}
