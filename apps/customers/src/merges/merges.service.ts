import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import type { EventEnvelope } from '@crm/contracts';
import { DomainError, expectVersion } from '@crm/domain';
import type { AuthUser, Page } from '@crm/http';
import { appendToOutbox } from '@crm/messaging';
import { inTransaction } from '@crm/persistence';
import { AccountsRepository } from '../accounts/accounts.repository';
import { accountChanges, contactChanges } from '../audit/customers-audit';
import { decideEditContact } from '../contacts/contact.domain';
import { ContactsRepository } from '../contacts/contacts.repository';
import { decideAccountMerge, decideAccountUndo } from './account-merge.domain';
import { assertNoneErased, decideContactMerge, decideContactUndo } from './contact-merge.domain';
import { assertDistinct, assertUndoable, type FieldChoice, type MergeKind, type MergeRecord } from './merge.domain';
import type { MergeEntity } from './merge.entity';
import type { ListMergesQuery } from './merges.dto';

type MergeDto = { mergedId: string; fields?: FieldChoice };
import { MergesRepository } from './merges.repository';

export const MERGE_UNDO_DAYS = Symbol('MERGE_UNDO_DAYS');

/** Merges two accounts or two contacts in one transaction, and undoes the latest merge into a survivor. */
@Injectable()
export class MergesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly merges: MergesRepository,
    private readonly accounts: AccountsRepository,
    private readonly contacts: ContactsRepository,
    @Inject(MERGE_UNDO_DAYS) private readonly undoDays: number,
    private readonly audit: AuditTrail,
  ) {}

  /** The survivor's fields as the merge or its undo changed them, and the other record's link to it. */
  private async auditPair(m: EntityManager, kind: MergeKind, action: string, survivor: [object, object], other: [object, object], ids: [string, string]) {
    const diff = kind === 'account' ? accountChanges : contactChanges;
    await this.audit.record(m, { recordType: kind, recordId: ids[0], action, changes: diff(...survivor) });
    await this.audit.record(m, { recordType: kind, recordId: ids[1], action, changes: diff(...other) });
  }

  /** Both records locked in id order (two merges of the same pair cannot deadlock), as the caller may see them. */
  private async lockPair<T>(lock: (id: string) => Promise<T | undefined>, kind: MergeKind, survivorId: string, mergedId: string): Promise<[T, T]> {
    const found = new Map<string, T | undefined>();
    for (const id of [survivorId, mergedId].sort()) found.set(id, await lock(id));
    const survivor = found.get(survivorId);
    const merged = found.get(mergedId);
    if (!survivor) throw DomainError.notFound(kind, survivorId);
    if (!merged) throw DomainError.notFound(kind, mergedId);
    return [survivor, merged];
  }

  mergeAccounts(user: AuthUser, survivorId: string, dto: MergeDto, expectedVersion: number) {
    assertDistinct(survivorId, dto.mergedId);
    return inTransaction(this.dataSource, async (m) => {
      const now = new Date();
      const [survivor, merged] = await this.lockPair((id) => this.accounts.lockVisible(m, user, id), 'account', survivorId, dto.mergedId);
      expectVersion(survivor.version, expectedVersion);
      const { changes, events } = decideAccountMerge(survivor, merged, dto.fields ?? {}, { mergeId: randomUUID(), by: user.sub, now });
      const saved = await this.accounts.update(m, changes.survivor);
      await this.merges.markMerged(m, 'account', merged.id, survivor.id, now);
      const moved = await this.merges.moveAccountMembers(m, merged.id, survivor.id, now);
      const record = { ...changes.record, moved };
      await this.merges.insert(m, record);
      await this.merges.markPair(m, 'account', survivor.id, merged.id, 'merged', user.sub, now);
      await this.auditPair(m, 'account', 'merged', [survivor, saved], [merged, { ...merged, mergedInto: survivor.id }], [survivor.id, merged.id]);
      const memberEvents = await this.republishContacts(m, [...new Set(moved.map((mv) => mv.contactId))], user.sub, now);
      await appendToOutbox(m, [...events, ...memberEvents]);
      return { ...summary(record), survivor: saved };
    });
  }

  mergeContacts(user: AuthUser, survivorId: string, dto: MergeDto, expectedVersion: number) {
    assertDistinct(survivorId, dto.mergedId);
    return inTransaction(this.dataSource, async (m) => {
      const now = new Date();
      const [survivor, merged] = await this.lockPair((id) => this.contacts.lockVisible(m, user, id), 'contact', survivorId, dto.mergedId);
      expectVersion(survivor.version, expectedVersion);
      const known = await this.accountNames(m, [...survivor.accountIds, ...merged.accountIds]);
      const { changes, events } = decideContactMerge(survivor, merged, dto.fields ?? {}, known, { mergeId: randomUUID(), by: user.sub, now });
      await this.contacts.update(m, changes.survivor, now);
      await this.merges.markMerged(m, 'contact', merged.id, survivor.id, now);
      const ended = await this.merges.endContactMemberships(m, merged.id, now);
      const added = (accountId: string) => (changes.survivor.join.includes(accountId) ? { contactId: survivor.id, accountId, since: now.toISOString() } : null);
      const record = { ...changes.record, moved: ended.map((e) => ({ contactId: merged.id, ...e, added: added(e.accountId) })) };
      await this.merges.insert(m, record);
      await this.merges.markPair(m, 'contact', survivor.id, merged.id, 'merged', user.sub, now);
      await this.auditPair(m, 'contact', 'merged', [survivor, changes.survivor], [merged, { ...merged, mergedInto: survivor.id }], [survivor.id, merged.id]);
      await appendToOutbox(m, events);
      return { ...summary(record), survivor: await this.contacts.details(undefined, survivor.id, m) };
    });
  }

  undo(user: AuthUser, mergeId: string, now = new Date()) {
    return inTransaction(this.dataSource, async (m) => {
      const merge = await this.merges.lock(m, mergeId);
      if (!merge) throw DomainError.notFound('merge', mergeId);
      const record = merge as MergeRecord;
      const events = merge.kind === 'account' ? await this.undoAccounts(m, user, record, now) : await this.undoContacts(m, user, record, now);
      await this.merges.markUndone(m, merge.id, user.sub, now);
      await this.merges.markPair(m, merge.kind, merge.survivorId, merge.mergedId, 'open', user.sub, now);
      await appendToOutbox(m, events);
      return { ...summary(record), undoneBy: user.sub, undoneAt: now.toISOString() };
    });
  }

  private async assertUndoable(m: EntityManager, merge: MergeRecord, survivorMergedInto: string | null, now: Date) {
    const latestMergeId = await this.merges.latestInPlace(m, merge.kind, merge.survivorId);
    assertUndoable(merge, { now, undoDays: this.undoDays, latestMergeId, survivorMergedInto });
  }

  private async undoAccounts(m: EntityManager, user: AuthUser, merge: MergeRecord, now: Date): Promise<EventEnvelope[]> {
    const [survivor, restored] = await this.lockPair(
      (id) => this.accounts.lockVisible(m, id === merge.survivorId ? user : undefined, id),
      'account',
      merge.survivorId,
      merge.mergedId,
    );
    await this.assertUndoable(m, merge, survivor.mergedInto, now);
    await this.merges.markMerged(m, 'account', restored.id, null, null);
    const { changes, events } = decideAccountUndo(merge, survivor, { ...restored, version: restored.version + 1 }, { by: user.sub, now });
    await this.accounts.update(m, changes.survivor);
    await this.accounts.update(m, changes.restored);
    await this.auditPair(m, 'account', 'merge_undone', [survivor, changes.survivor], [restored, changes.restored], [survivor.id, restored.id]);
    await this.merges.restoreMemberships(m, merge.moved);
    const members = await this.republishContacts(m, [...new Set(merge.moved.map((mv) => mv.contactId))], user.sub, now);
    return [...events, ...members];
  }

  private async undoContacts(m: EntityManager, user: AuthUser, merge: MergeRecord, now: Date): Promise<EventEnvelope[]> {
    const lock = (id: string) => this.contacts.lockVisible(m, id === merge.survivorId ? user : undefined, id);
    const [locked, merged] = await this.lockPair(lock, 'contact', merge.survivorId, merge.mergedId);
    assertNoneErased(locked, merged);
    await this.assertUndoable(m, merge, locked.mergedInto, now);
    await this.merges.markMerged(m, 'contact', merge.mergedId, null, null);
    await this.merges.restoreMemberships(m, merge.moved);
    // Read again: the memberships are back, and the loser's version moved with its un-marking.
    const [survivor, restored] = await this.lockPair(lock, 'contact', merge.survivorId, merge.mergedId);
    const known = await this.accountNames(m, [...survivor.accountIds, ...restored.accountIds]);
    const { changes, events } = decideContactUndo(merge, survivor, restored, known, { by: user.sub, now });
    await this.contacts.update(m, changes.survivor, now);
    await this.contacts.update(m, changes.restored, now);
    // The restored contact's link was cleared above; it reads as before the merge from here on.
    await this.auditPair(
      m,
      'contact',
      'merge_undone',
      [survivor, changes.survivor],
      [{ ...restored, mergedInto: merge.survivorId }, changes.restored],
      [survivor.id, restored.id],
    );
    return events;
  }

  /** Contacts whose memberships a merge moved are published again with their accounts now (and their search text refreshed). */
  private async republishContacts(m: EntityManager, ids: string[], by: string, now: Date): Promise<EventEnvelope[]> {
    const events: EventEnvelope[] = [];
    for (const id of [...ids].sort()) {
      const contact = await this.contacts.lockVisible(m, undefined, id);
      if (!contact || contact.mergedInto) continue;
      const owner = { ownerRepId: contact.ownerRepId, team: contact.team };
      const decision = decideEditContact(contact, {}, owner, await this.accountNames(m, contact.accountIds), { by, now });
      await this.contacts.update(m, decision.changes, now);
      events.push(...decision.events);
    }
    return events;
  }

  private async accountNames(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    return new Map((await this.accounts.names(m, [...new Set(ids)])).map((a) => [a.id, a.name]));
  }

  list(user: AuthUser, query: ListMergesQuery): Promise<Page<MergeEntity>> {
    return this.merges.list(user, query);
  }
}

const summary = (r: MergeRecord) => ({ mergeId: r.id, kind: r.kind, survivorId: r.survivorId, mergedId: r.mergedId, by: r.by, at: r.at.toISOString() });
