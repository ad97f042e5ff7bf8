import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { DomainError } from '@crm/domain';
import { accessScope, type AuthUser, type Page } from '@crm/http';
import { appendToOutbox } from '@crm/messaging';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { AccountsRepository } from '../accounts/accounts.repository';
import { contactChanges } from '../audit/customers-audit';
import { DuplicatesService } from '../duplicates/duplicates.service';
import { assertNotMerged } from '../merges/merge.domain';
import { decideOwnership } from '../ownership.domain';
import { assertNotErased, contactKeys, decideCreateContact, decideEditContact } from './contact.domain';
import type { ContactEntity } from './contact.entity';
import type { CreateContactDto, ListContactsQuery, UpdateContactDto } from './contacts.dto';
import { ContactsRepository } from './contacts.repository';

const notFound = (id: string) => DomainError.notFound('contact', id);
const fields = ({ allowDuplicate: _a, ownerRepId: _o, team: _t, ...rest }: UpdateContactDto) => rest;

/** Create, edit and read contacts; every save passes the duplicate rules first. */
@Injectable()
export class ContactsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsRepository,
    private readonly accounts: AccountsRepository,
    private readonly duplicates: DuplicatesService,
    private readonly audit: AuditTrail,
  ) {}

  private async accountNames(m: EntityManager, ids: string[] | undefined): Promise<Map<string, string>> {
    return new Map((await this.accounts.names(m, ids ?? [])).map((a) => [a.id, a.name]));
  }

  create(user: AuthUser, dto: CreateContactDto, allowDuplicate: boolean) {
    return inTransaction(this.dataSource, async (m) => {
      const now = new Date();
      const owner = decideOwnership(accessScope(user), dto, user);
      const known = await this.accountNames(m, dto.accountIds);
      const { changes, events } = decideCreateContact({ ...fields(dto), name: dto.name }, owner, known, { id: randomUUID(), by: user.sub, now });
      await this.duplicates.checkContact(m, contactKeys(changes), allowDuplicate || !!dto.allowDuplicate);
      await this.contacts.insert(m, changes, user.sub, now);
      await this.audit.record(m, { recordType: 'contact', recordId: changes.id, action: 'created', changes: contactChanges(null, changes) });
      await appendToOutbox(m, events);
      return this.contacts.details(undefined, changes.id, m);
    });
  }

  update(user: AuthUser, id: string, dto: UpdateContactDto, expectedVersion: number, allowDuplicate: boolean) {
    return inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: (tx) => this.contacts.lockVisible(tx, user, id),
        notFound: () => notFound(id),
        expectedVersion,
        decide: async (contact) => {
          assertNotMerged('contact', contact);
          assertNotErased(contact);
          const owner = decideOwnership(accessScope(user), dto, user, contact);
          const known = await this.accountNames(m, dto.accountIds ?? contact.accountIds);
          const decision = decideEditContact(contact, fields(dto), owner, known, { by: user.sub, now: new Date() });
          await this.duplicates.checkContact(m, contactKeys(decision.changes), allowDuplicate || !!dto.allowDuplicate, id);
          return decision;
        },
        save: async (tx, contact, changes) => {
          await this.contacts.update(tx, changes, new Date());
          await this.audit.record(tx, { recordType: 'contact', recordId: id, action: 'updated', changes: contactChanges(contact, changes) });
          // Read back without the caller's scope: an admin handing the contact on still gets its new state.
          return this.contacts.details(undefined, id, tx);
        },
      }),
    );
  }

  async get(user: AuthUser, id: string) {
    const contact = await this.contacts.details(user, id);
    if (!contact) throw notFound(id);
    return contact;
  }

  list(user: AuthUser, query: ListContactsQuery): Promise<Page<ContactEntity>> {
    return this.contacts.list(user, query);
  }
}
