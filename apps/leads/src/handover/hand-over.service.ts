import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventEnvelope } from '@crm/contracts';
import { assertHandOverTarget, assertMayHandOverFrom, DomainError } from '@crm/domain';
import { accessScope, HAND_OVER_KINDS, type AuthUser, type HandOverDto, type RepHandOverDto } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { DEFAULT_SLA_SETTINGS, SLA_SETTINGS, type SlaSettings } from '../assignment/sla.settings';
import { assertNotErased } from '../leads/lead.domain';
import type { LeadEntity } from '../leads/lead.entities';
import { assertAnotherRep, decideLeadHandOver, decideRepHandOver, type RepHandOver } from './hand-over.domain';
import { HandOverRepository } from './hand-over.repository';

/** Hands leads to another rep: one lead, or all of a rep's open work (leads here, the rest by `rep.handed_over`). */
@Injectable()
export class HandOverService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: HandOverRepository,
    @Optional() @Inject(SLA_SETTINGS) private readonly sla: SlaSettings = DEFAULT_SLA_SETTINGS,
  ) {}

  /** One lead, loaded locked in the caller's scope, version checked; the lead as it is now. */
  handOverLead(user: AuthUser, id: string, dto: HandOverDto, expectedVersion?: number): Promise<LeadEntity> {
    const scope = accessScope(user);
    const cmd = { reason: dto.reason, by: user.sub, now: new Date(), hourMs: this.sla.hourMs };
    return inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: async (m) => {
          const lead = await this.repo.lockVisibleLead(m, user, id);
          return lead && { ...lead, reps: await this.repo.lockReps(m, [lead.ownerRepId, dto.toRepId]) };
        },
        notFound: () => DomainError.notFound('lead', id),
        expectedVersion,
        decide: (lead) => {
          assertNotErased(lead);
          return decideLeadHandOver(lead, { scope, toRepId: dto.toRepId, target: lead.reps.get(dto.toRepId) }, cmd);
        },
        save: async (m, _lead, move) => {
          await this.repo.saveMove(m, move);
          if (move.movesLoad) await this.repo.moveLoad(m, move.fromRepId, move.toRepId, 1);
          return this.repo.loadLead(m, id);
        },
      }),
    );
  }

  /**
   * Every open lead of the rep to another rep in one transaction, each with its `lead.reassigned`, then
   * `rep.handed_over` for opportunities and orders. The rep handing over may be inactive; the one taking over
   * must be known and active. A refusal changes nothing.
   */
  handOverRep(user: AuthUser, fromRepId: string, dto: RepHandOverDto): Promise<RepHandOver> {
    const scope = accessScope(user);
    const kinds = dto.kinds ?? [...HAND_OVER_KINDS];
    const handOverId = randomUUID();
    const cmd = { reason: dto.reason, by: user.sub, now: new Date(), hourMs: this.sla.hourMs, handOverId };
    assertAnotherRep(fromRepId, dto.toRepId);
    return inTransaction(this.dataSource, async (m) => {
      const from = await this.repo.rep(m, fromRepId);
      if (!from) throw DomainError.notFound('rep', fromRepId);
      assertMayHandOverFrom(scope, from);
      const leads = kinds.includes('leads') ? await this.repo.openLeadsOf(m, fromRepId) : [];
      const reps = await this.repo.lockReps(m, [fromRepId, dto.toRepId]);
      const target = assertHandOverTarget(scope, dto.toRepId, reps.get(dto.toRepId));
      const events: EventEnvelope[] = [];
      let load = 0;
      for (const lead of leads) {
        const { changes, events: moved } = decideLeadHandOver(lead, { scope, toRepId: target.id, target }, cmd);
        await this.repo.saveMove(m, changes);
        events.push(...moved);
        if (changes.movesLoad) load++;
      }
      await this.repo.moveLoad(m, fromRepId, target.id, load);
      const handOver = { id: handOverId, fromRepId, toRepId: target.id, reason: dto.reason, kinds, leadsMoved: leads.length, by: user.sub, at: cmd.now };
      const decision = decideRepHandOver(handOver, target.team);
      await this.repo.saveHandOver(m, decision, events);
      return handOver;
    });
  }

  /** A hand-over by its id: an admin sees any, a manager those from or to a rep of their team. */
  async get(user: AuthUser, id: string): Promise<RepHandOver> {
    const scope = accessScope(user);
    const found = await this.repo.handOver(id);
    const visible = found && (scope.kind === 'all' || (scope.kind === 'team' && (found.fromTeam === scope.team || found.toTeam === scope.team)));
    if (!visible) throw DomainError.notFound('hand-over', id);
    const { fromTeam: _from, toTeam: _to, ...handOver } = found;
    return handOver;
  }
}
