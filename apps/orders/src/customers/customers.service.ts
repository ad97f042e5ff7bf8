import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventOf } from '@crm/contracts';
import { decideAccountCopy, type OrderAddresses } from './account.domain';
import { CustomersRepository } from './customers.repository';

type Merge = EventOf<'account.merged'> | EventOf<'contact.merged'>;
type Undo = EventOf<'account.merge_undone'> | EventOf<'contact.merge_undone'>;

/**
 * What orders keeps of the customers service (ADR 0018): a copy of the accounts for an order's default
 * addresses, and the merges, which re-point `orders.account_id` / `contact_id` and whose undos put them back.
 * A merge never touches an order's customer snapshot or addresses: they are the record of what was agreed.
 */
@Injectable()
export class CustomersService {
  private readonly logger = new Logger(CustomersService.name);

  constructor(private readonly customers: CustomersRepository) {}

  async upsertAccount(m: EntityManager, event: EventOf<'account.created'> | EventOf<'account.updated'>): Promise<void> {
    const { changes } = decideAccountCopy(await this.customers.account(m, event.data.accountId), event);
    if (changes) await this.customers.saveAccount(m, changes);
  }

  /** The account's addresses as the copy has them now; undefined when the copy does not know the account (yet). */
  async addressesOf(m: EntityManager, accountId: string): Promise<OrderAddresses | undefined> {
    const account = await this.customers.account(m, accountId);
    return account && { billingAddress: account.billingAddress, shippingAddress: account.shippingAddress };
  }

  async merged(m: EntityManager, { type, data }: Merge): Promise<void> {
    const refs = type === 'crm.account.merged' ? this.customers.accountRefs : this.customers.contactRefs;
    const moved = await refs.applyMerge(m, data);
    if (moved) this.logger.log(`${type} ${data.mergeId}: ${moved} orders now point at ${data.survivorId}`);
  }

  async mergeUndone(m: EntityManager, { type, data }: Undo): Promise<void> {
    const refs = type === 'crm.account.merge_undone' ? this.customers.accountRefs : this.customers.contactRefs;
    const restored = await refs.undoMerge(m, data);
    if (restored) this.logger.log(`${type} ${data.mergeId}: ${restored} orders point at ${data.restoredId} again`);
  }
}
