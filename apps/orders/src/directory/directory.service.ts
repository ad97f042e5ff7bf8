import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventOf } from '@crm/contracts';
import { decideCopy, itemFrom, repFrom, unsellable } from './directory.domain';
import { DirectoryRepository } from './directory.repository';

/**
 * The orders service's own copies of the catalogue (from inventory's `item.upserted`) and of the reps
 * (from leads' `rep.upserted`): enough to refuse an unknown SKU and to file an order under its rep's team.
 * A late, older update never overwrites a newer one.
 */
@Injectable()
export class DirectoryService {
  constructor(private readonly directory: DirectoryRepository) {}

  async upsertItem(m: EntityManager, event: EventOf<'item.upserted'>): Promise<void> {
    const item = itemFrom(event);
    const { changes } = decideCopy((await this.directory.item(m, item.sku)) ?? undefined, item);
    if (changes) await this.directory.saveItem(m, changes);
  }

  async upsertRep(m: EntityManager, event: EventOf<'rep.upserted'>): Promise<void> {
    const rep = repFrom(event);
    const { changes } = decideCopy((await this.directory.rep(m, rep.repId)) ?? undefined, rep);
    if (changes) await this.directory.saveRep(m, changes);
  }

  /** The SKUs among `skus` that the catalogue does not know or has retired. */
  async unsellableSkus(m: EntityManager, skus: readonly string[]): Promise<Set<string>> {
    return unsellable(skus, await this.directory.sellable(m, skus));
  }

  /** The rep as the copy has them (a hand-over checks they are active), undefined when it does not know them. */
  async rep(m: EntityManager, repId: string): Promise<{ repId: string; name: string; team: string | null; active: boolean } | undefined> {
    return (await this.directory.rep(m, repId)) ?? undefined;
  }

  /** The rep's team: null without one, undefined when the directory does not know the rep. */
  async teamOf(m: EntityManager, repId: string): Promise<string | null | undefined> {
    return (await this.directory.rep(m, repId))?.team;
  }
}
