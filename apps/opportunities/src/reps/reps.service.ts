import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventOf } from '@crm/contracts';
import type { HandOverTarget } from '@crm/domain';
import { asTarget, decideRepCopy, repFrom } from './rep-copy.domain';
import { RepsCopyRepository } from './reps.repository';

/** The opportunities service's own copy of the reps, from leads' `rep.upserted` (ADR 0022). */
@Injectable()
export class RepsCopyService {
  constructor(private readonly reps: RepsCopyRepository) {}

  async upsert(m: EntityManager, event: EventOf<'rep.upserted'>): Promise<void> {
    const rep = repFrom(event);
    const { changes } = decideRepCopy(await this.reps.find(m, rep.repId), rep);
    if (changes) await this.reps.save(m, changes);
  }

  /** The rep as a hand-over target; undefined when the copy does not know them. */
  async target(m: EntityManager, repId: string): Promise<HandOverTarget | undefined> {
    const rep = await this.reps.find(m, repId);
    return rep && asTarget(rep);
  }
}
