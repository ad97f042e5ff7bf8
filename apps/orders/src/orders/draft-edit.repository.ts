import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DraftEditChanges } from './draft-edit.domain';
import { OrderDraftEditEntity } from './draft-edit.entity';
import type { Order } from './order.domain';
import { OrderEntity, OrderLineEntity } from './order.entities';

/** The only SQL of a draft's edit: the row, its replaced lines and the edit's record, in the caller's transaction. */
@Injectable()
export class DraftEditRepository {
  /** Stores an edit as one new version of the order; an edit that changed nothing writes nothing. */
  async save(m: EntityManager, order: Order, { set, lines, edit }: DraftEditChanges): Promise<void> {
    if (!edit) return;
    await m.update(OrderEntity, { id: order.id }, set);
    if (lines) {
      await m.delete(OrderLineEntity, { orderId: order.id });
      await m.insert(
        OrderLineEntity,
        lines.map((l) => ({ ...l, orderId: order.id })),
      );
    }
    // The update moved the version on by one (TypeORM's version column): the edit names the version it made.
    await m.insert(OrderDraftEditEntity, { orderId: order.id, version: order.version + 1, ...edit });
  }

  /** An order's edits, oldest first. */
  editsOf(m: EntityManager, orderId: string): Promise<OrderDraftEditEntity[]> {
    return m.find(OrderDraftEditEntity, { where: { orderId }, order: { id: 'ASC' } });
  }
}
