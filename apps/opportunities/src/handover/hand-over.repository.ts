import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@crm/contracts';
import { restrictToScope, type AuthUser } from '@crm/http';
import { appendToOutbox } from '@crm/messaging';
import { OpportunityEntity } from '../opportunities/opportunity.entities';
import type { OpportunityMove, OpportunityToHandOver } from './hand-over.domain';

const COLUMNS = ['o.id', 'o.status', 'o.repId', 'o.team', 'o.version'];

/** The SQL of an opportunity's hand-over: the locked row, the rep's open deals, the move and its record. */
@Injectable()
export class OpportunityHandOverRepository {
  /** The caller's opportunity under a row lock; undefined when absent or not theirs to see. */
  async lockVisible(m: EntityManager, user: AuthUser, id: string): Promise<OpportunityToHandOver | undefined> {
    const qb = restrictToScope(m.getRepository(OpportunityEntity).createQueryBuilder('o'), user, { rep: 'o.repId', team: 'o.team' });
    return (await qb.select(COLUMNS).andWhere('o.id = :id', { id }).setLock('pessimistic_write').getOne()) ?? undefined;
  }

  /** Every open opportunity of a rep, locked in id order. */
  openOf(m: EntityManager, repId: string): Promise<OpportunityToHandOver[]> {
    return m
      .getRepository(OpportunityEntity)
      .createQueryBuilder('o')
      .select(COLUMNS)
      .where('o.repId = :repId AND o.status = :open', { repId, open: 'open' })
      .orderBy('o.id')
      .setLock('pessimistic_write')
      .getMany();
  }

  /** The new owner and team (one version: the ETag moves), the move with its reason, and its events when given. */
  async save(m: EntityManager, c: OpportunityMove, events: readonly EventEnvelope[] = []): Promise<OpportunityEntity> {
    await m.update(OpportunityEntity, { id: c.opportunityId }, { repId: c.toRepId, team: c.team });
    await m.query(
      'INSERT INTO opportunity_hand_overs (opportunity_id, from_rep_id, to_rep_id, reason, hand_over_id, by, at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [c.opportunityId, c.fromRepId, c.toRepId, c.reason, c.handOverId, c.by, c.at],
    );
    await appendToOutbox(m, events);
    return m.findOneByOrFail(OpportunityEntity, { id: c.opportunityId });
  }
}
