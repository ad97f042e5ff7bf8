import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventOf } from '@crm/contracts';
import { ScoringService } from '../scoring/scoring.service';
import { purchaseOf } from './account.domain';
import { AccountRepository } from './account.repository';

/**
 * The purchase history of each account, from order events (one row per order): it feeds the purchase-history
 * factor, and a change re-scores that account's open opportunities. Runs in the inbox transaction.
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly scoring: ScoringService,
  ) {}

  async orderConfirmed(m: EntityManager, { data }: EventOf<'order.confirmed'>): Promise<void> {
    const entry = purchaseOf(data);
    if (!entry) return;
    if (await this.accounts.recordConfirmed(m, entry)) await this.scoring.rescoreOpen(m, { accountKey: entry.accountKey });
  }

  async orderCompleted(m: EntityManager, { data }: EventOf<'order.completed'>): Promise<void> {
    // order.completed names no customer: it completes the row its order.confirmed opened (same topic and key, so it came first).
    await this.accounts.recordCompleted(m, data.orderId, data.total, data.completedAt);
  }

  async orderCancelled(m: EntityManager, { data }: EventOf<'order.cancelled'>): Promise<void> {
    const key = await this.accounts.recordCancelled(m, data.orderId);
    if (key) await this.scoring.rescoreOpen(m, { accountKey: key });
  }
}
