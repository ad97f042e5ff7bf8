import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import { CustomerRefsRepository, type MergeApplied, type MergeUndone } from '@crm/customer-refs';

export type CustomerKind = 'account' | 'contact';

/** The receivables' columns each kind of merge moves (CustomerRefsRepository remembers the rows, for the undo). */
const REFS: Record<CustomerKind, CustomerRefsRepository> = {
  account: new CustomerRefsRepository([{ table: 'receivables', column: 'account_id', key: 'id' }]),
  contact: new CustomerRefsRepository([{ table: 'receivables', column: 'contact_id', key: 'id' }]),
};

/**
 * Re-points receivables on a merge and back on its undo. Amounts, payments and versions stay: only who the
 * receivable is with changes. A redelivered or late event moves nothing (the merge id is applied once).
 */
@Injectable()
export class CustomerMergesService {
  private readonly logger = new Logger(CustomerMergesService.name);

  async merged(m: EntityManager, kind: CustomerKind, data: EventData<'account.merged'> & MergeApplied): Promise<number> {
    const moved = await REFS[kind].applyMerge(m, data);
    this.logger.log(`${kind} merge ${data.mergeId}: ${moved} receivable(s) now point at ${data.survivorId}`);
    return moved;
  }

  async undone(m: EntityManager, kind: CustomerKind, data: EventData<'account.merge_undone'> & MergeUndone): Promise<number> {
    const restored = await REFS[kind].undoMerge(m, data);
    this.logger.log(`${kind} merge ${data.mergeId} undone: ${restored} receivable(s) point at ${data.restoredId} again`);
    return restored;
  }
}
