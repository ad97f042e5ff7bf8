import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { DomainError } from '@crm/domain';
import { accessScope, type AuthUser, type Page } from '@crm/http';
import { appendToOutbox } from '@crm/messaging';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { accountChanges } from '../audit/customers-audit';
import { DuplicatesService } from '../duplicates/duplicates.service';
import { assertNotMerged } from '../merges/merge.domain';
import { decideOwnership } from '../ownership.domain';
import { accountKeys, decideCreateAccount, decideEditAccount } from './account.domain';
import type { AccountEntity } from './account.entity';
import type { CreateAccountDto, ListAccountsQuery, UpdateAccountDto } from './accounts.dto';
import { AccountsRepository } from './accounts.repository';

const notFound = (id: string) => DomainError.notFound('account', id);
const fields = ({ allowDuplicate: _a, ownerRepId: _o, team: _t, ...rest }: UpdateAccountDto) => rest;

/** Create, edit and read accounts; every save passes the duplicate rules first. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly duplicates: DuplicatesService,
    private readonly audit: AuditTrail,
  ) {}

  create(user: AuthUser, dto: CreateAccountDto, allowDuplicate: boolean): Promise<AccountEntity> {
    return inTransaction(this.dataSource, async (m) => {
      const owner = decideOwnership(accessScope(user), dto, user);
      const { changes, events } = decideCreateAccount({ ...fields(dto), name: dto.name }, owner, { id: randomUUID(), by: user.sub, now: new Date() });
      await this.duplicates.checkAccount(m, accountKeys(changes), allowDuplicate || !!dto.allowDuplicate);
      const saved = await this.accounts.insert(m, changes, user.sub);
      await this.audit.record(m, { recordType: 'account', recordId: saved.id, action: 'created', changes: accountChanges(null, saved) });
      await appendToOutbox(m, events);
      return saved;
    });
  }

  update(user: AuthUser, id: string, dto: UpdateAccountDto, expectedVersion: number, allowDuplicate: boolean): Promise<AccountEntity> {
    return inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: (tx) => this.accounts.lockVisible(tx, user, id),
        notFound: () => notFound(id),
        expectedVersion,
        decide: async (account) => {
          assertNotMerged('account', account);
          const owner = decideOwnership(accessScope(user), dto, user, account);
          const decision = decideEditAccount(account, fields(dto), owner, { by: user.sub, now: new Date() });
          await this.duplicates.checkAccount(m, accountKeys(decision.changes), allowDuplicate || !!dto.allowDuplicate, id);
          return decision;
        },
        save: async (tx, account, changes) => {
          const saved = await this.accounts.update(tx, changes);
          await this.audit.record(tx, { recordType: 'account', recordId: id, action: 'updated', changes: accountChanges(account, saved) });
          return saved;
        },
      }),
    );
  }

  async get(user: AuthUser, id: string): Promise<AccountEntity> {
    const account = await this.accounts.get(user, id);
    if (!account) throw notFound(id);
    return account;
  }

  list(user: AuthUser, query: ListAccountsQuery): Promise<Page<AccountEntity>> {
    return this.accounts.list(user, query);
  }
}
