import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import type { EventOf } from '@crm/contracts';
import { DomainError } from '@crm/domain';
import { accessScope, type AuthUser, type HandOverDto } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { handOverChanges, OPPORTUNITY_RECORD } from '../opportunities/opportunity-audit';
import type { OpportunityEntity } from '../opportunities/opportunity.entities';
import type { OpportunityMove } from './hand-over.domain';
import { RepsCopyService } from '../reps/reps.service';
import { decideOpportunityHandOver } from './hand-over.domain';
import { OpportunityHandOverRepository } from './hand-over.repository';

/** Hands opportunities to another rep: one by its id, or all of a rep's open ones when leads says `rep.handed_over`. */
@Injectable()
export class OpportunityHandOverService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: OpportunityHandOverRepository,
    private readonly reps: RepsCopyService,
    private readonly audit: AuditTrail,
  ) {}

  /** One open opportunity to a rep this service's copy knows as active; the opportunity as it is now. */
  handOver(user: AuthUser, id: string, dto: HandOverDto, expectedVersion?: number): Promise<OpportunityEntity> {
    const scope = accessScope(user);
    const cmd = { reason: dto.reason, by: user.sub, now: new Date() };
    return inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: async (m) => {
          const o = await this.repo.lockVisible(m, user, id);
          return o && { ...o, target: await this.reps.target(m, dto.toRepId) };
        },
        notFound: () => DomainError.notFound('opportunity', id),
        expectedVersion,
        decide: (o) => decideOpportunityHandOver(o, { scope, toRepId: dto.toRepId, target: o.target }, cmd),
        save: (m, o, move) => this.saveAudited(m, o, move),
      }),
    );
  }

  /**
   * Leads has checked both reps and moved the leads; here every open opportunity the rep still owns moves, each
   * with its own `opportunity.reassigned`, in the inbox transaction. A redelivery finds none left to move. The
   * target's team comes with the event: this copy may not have the rep yet (another key of the topic).
   */
  async onRepHandedOver(m: EntityManager, { data }: EventOf<'rep.handed_over'>): Promise<number> {
    if (!data.kinds.includes('opportunities')) return 0;
    const target = { id: data.toRepId, team: data.toTeam ?? null, active: true };
    const cmd = { reason: data.reason, by: data.by, now: new Date(), handOverId: data.handOverId };
    const open = await this.repo.openOf(m, data.fromRepId);
    for (const o of open) {
      const { changes, events } = decideOpportunityHandOver(o, { scope: { kind: 'all' }, toRepId: data.toRepId, target }, cmd);
      await this.saveAudited(m, o, changes, events, data.by);
    }
    return open.length;
  }

  /** The move and its audit entry (new owner and team, and why), in the same transaction. */
  private async saveAudited(
    m: EntityManager,
    before: { repId: string; team: string | null },
    move: OpportunityMove,
    events?: Parameters<OpportunityHandOverRepository['save']>[2],
    actor?: string,
  ): Promise<OpportunityEntity> {
    const after = await this.repo.save(m, move, events);
    const changes = handOverChanges(before, after, move.reason);
    await this.audit.record(m, { recordType: OPPORTUNITY_RECORD, recordId: move.opportunityId, action: 'handed_over', changes, actor });
    return after;
  }
}
