import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import type { EventEnvelope } from '@crm/contracts';
import type { EventOf } from '@crm/contracts';
import { DomainError, type HandOverTarget } from '@crm/domain';
import { accessScope, type AuthUser, type HandOverDto } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { DirectoryService } from '../directory/directory.service';
import { handOverChanges, ORDER_RECORD } from '../orders/order-audit';
import type { OrderEntity } from '../orders/order.entities';
import { decideOrderHandOver, type OrderMove } from './hand-over.domain';
import { OrderHandOverRepository } from './hand-over.repository';

/** Hands orders to another rep: one by its id, or all of a rep's open ones when leads says `rep.handed_over`. */
@Injectable()
export class OrderHandOverService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: OrderHandOverRepository,
    private readonly directory: DirectoryService,
    private readonly audit: AuditTrail,
  ) {}

  /** One open order to a rep the directory copy knows as active; the order as it is now. */
  handOver(user: AuthUser, id: string, dto: HandOverDto, expectedVersion?: number): Promise<OrderEntity> {
    const scope = accessScope(user);
    const cmd = { reason: dto.reason, by: user.sub, now: new Date() };
    return inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: async (m) => {
          const order = await this.repo.lockVisible(m, user, id);
          return order && { ...order, target: await this.target(m, dto.toRepId) };
        },
        notFound: () => DomainError.notFound('order', id),
        expectedVersion,
        decide: (order) => decideOrderHandOver(order, { scope, toRepId: dto.toRepId, target: order.target }, cmd),
        save: (m, order, move) => this.saveAudited(m, order, move),
      }),
    );
  }

  /**
   * Leads has checked both reps and moved the leads; here every open order the rep still owns moves, each with
   * its own `order.reassigned`, in the inbox transaction. A redelivery finds none left to move. The target's
   * team comes with the event: the directory copy may not have the rep yet (another key of the topic).
   */
  async onRepHandedOver(m: EntityManager, { data }: EventOf<'rep.handed_over'>): Promise<number> {
    if (!data.kinds.includes('orders')) return 0;
    const target = { id: data.toRepId, team: data.toTeam ?? null, active: true };
    const cmd = { reason: data.reason, by: data.by, now: new Date(), handOverId: data.handOverId };
    const open = await this.repo.openOf(m, data.fromRepId);
    for (const order of open) {
      const { changes, events } = decideOrderHandOver(order, { scope: { kind: 'all' }, toRepId: data.toRepId, target }, cmd);
      await this.saveAudited(m, order, changes, events, data.by);
    }
    return open.length;
  }

  /** The move and its audit entry (new owner and team, and why), in the same transaction. */
  private async saveAudited(
    m: EntityManager,
    before: { repId: string; team: string | null },
    move: OrderMove,
    events?: readonly EventEnvelope[],
    actor?: string,
  ): Promise<OrderEntity> {
    const after = await this.repo.save(m, move, events);
    await this.audit.record(m, {
      recordType: ORDER_RECORD,
      recordId: move.orderId,
      action: 'handed_over',
      changes: handOverChanges(before, after, move.reason),
      actor,
    });
    return after;
  }

  private async target(m: EntityManager, repId: string): Promise<HandOverTarget | undefined> {
    const rep = await this.directory.rep(m, repId);
    return rep ? { id: rep.repId, name: rep.name, team: rep.team, active: rep.active } : undefined;
  }
}
