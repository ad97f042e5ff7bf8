import { DomainError, type Decision } from '@crm/domain';

// Pure rules of a warehouse: an id is taken once; a lower priority serves orders first.

export interface NewWarehouse {
  id: string;
  name: string;
  priority: number;
}

export const DEFAULT_PRIORITY = 100;

export const warehouseNotFound = (id: string) => new DomainError({ kind: 'not_found', code: 'WAREHOUSE_NOT_FOUND', detail: `There is no warehouse ${id}.` });

export const warehouseExists = (id: string) => DomainError.conflict('WAREHOUSE_EXISTS', `Warehouse ${id} exists already.`);

/** A new warehouse (an id in use is refused with `warehouseExists`). Nothing is published about warehouses. */
export function decideNewWarehouse(cmd: { id: string; name: string; priority?: number }): Decision<NewWarehouse> {
  return { changes: { id: cmd.id, name: cmd.name, priority: cmd.priority ?? DEFAULT_PRIORITY }, events: [] };
}
