import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CustomerRefsRepository } from '@crm/customer-refs';
import type { AccountCopy } from './account.domain';
import { AccountCopyEntity } from './account.entity';

/** The accounts copy, and the order columns that account and contact merges re-point. */
@Injectable()
export class CustomersRepository {
  readonly accountRefs = new CustomerRefsRepository([{ table: 'orders', column: 'account_id', key: 'id' }]);
  readonly contactRefs = new CustomerRefsRepository([{ table: 'orders', column: 'contact_id', key: 'id' }]);

  async account(m: EntityManager, id: string): Promise<AccountCopy | undefined> {
    const row = await m.findOne(AccountCopyEntity, { where: { id } });
    return row ? { ...row, updatedAt: row.updatedAt.toISOString() } : undefined;
  }

  // The WHERE repeats the newer-wins rule for two first copies racing past the read.
  async saveAccount(m: EntityManager, a: AccountCopy): Promise<void> {
    await m.query(
      `INSERT INTO accounts (id, name, billing_address, shipping_address, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, billing_address = EXCLUDED.billing_address,
         shipping_address = EXCLUDED.shipping_address, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
       WHERE accounts.version <= EXCLUDED.version`,
      [a.id, a.name, json(a.billingAddress), json(a.shippingAddress), a.version, a.updatedAt],
    );
  }
}

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
