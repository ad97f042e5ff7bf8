// What a contact merge and its undo change: the survivor's chosen fields, the union of emails, phones and
// account memberships, the loser's snapshot, and the events (contact.updated, contact.merged / contact.merge_undone).
import type { Decision } from '@crm/domain';
import { assertNotErased, decideEditContact, type ContactFields, type ContactRow, type ContactState } from '../contacts/contact.domain';
import {
  assertMergeable,
  mergedEvent,
  mergeUndoneEvent,
  pick,
  pickOwner,
  union,
  type FieldChoice,
  type MergeMarks,
  type MergeRecord,
  type Owned,
} from './merge.domain';

export type MergeableContact = ContactState & MergeMarks & { erasedAt?: Date | null };

/** An erased person stays erased: merging (or un-merging) would move personal data onto or off an erased contact. */
export function assertNoneErased(...contacts: { id: string; erasedAt?: Date | null }[]): void {
  for (const c of contacts) assertNotErased(c);
}
type Snapshot = ContactFields & Owned & { version: number };

export function contactSnapshot(c: ContactState): Snapshot {
  return {
    name: c.name,
    title: c.title,
    emails: c.emails,
    phones: c.phones,
    preferredChannel: c.preferredChannel,
    accountIds: c.accountIds,
    ownerRepId: c.ownerRepId,
    team: c.team,
    version: c.version,
  };
}

/** `known`: names of the accounts of both contacts (the survivor's search text names its companies). */
export function decideContactMerge(
  survivor: MergeableContact,
  merged: MergeableContact,
  choice: FieldChoice,
  known: Map<string, string>,
  ctx: { mergeId: string; by: string; now: Date },
): Decision<{ survivor: ContactRow; record: MergeRecord }> {
  assertNoneErased(survivor, merged);
  assertMergeable('contact', survivor, merged);
  const take = <K extends keyof ContactFields>(key: K) => pick(key, survivor as ContactFields, merged as ContactFields, choice[key as keyof FieldChoice]);
  const edit: ContactFields = {
    name: take('name'),
    title: take('title'),
    preferredChannel: take('preferredChannel'),
    emails: union(survivor.emails, merged.emails),
    phones: union(survivor.phones, merged.phones),
    accountIds: union(survivor.accountIds, merged.accountIds),
  };
  const { changes, events } = decideEditContact(survivor, edit, pickOwner(survivor, merged, choice.owner), known, ctx);
  const record: MergeRecord = {
    id: ctx.mergeId,
    kind: 'contact',
    survivorId: survivor.id,
    mergedId: merged.id,
    survivorBefore: contactSnapshot(survivor) as unknown as Record<string, unknown>,
    mergedData: contactSnapshot(merged) as unknown as Record<string, unknown>,
    moved: [],
    by: ctx.by,
    at: ctx.now,
    undoneAt: null,
    undoneBy: null,
  };
  return { changes: { survivor: changes, record }, events: [...events, mergedEvent('contact', record)] };
}

/**
 * After the memberships went back (the survivor and the restored contact are given with their accounts now), the
 * survivor gets its fields from before the merge back and both are published again.
 */
export function decideContactUndo(
  merge: MergeRecord,
  survivor: ContactState,
  restored: ContactState,
  known: Map<string, string>,
  ctx: { by: string; now: Date },
): Decision<{ survivor: ContactRow; restored: ContactRow }> {
  const { version: _v, accountIds: _a, ownerRepId, team, ...before } = merge.survivorBefore as unknown as Snapshot;
  const back = decideEditContact(survivor, before, { ownerRepId, team }, known, ctx);
  const again = decideEditContact(restored, {}, { ownerRepId: restored.ownerRepId, team: restored.team }, known, ctx);
  return {
    changes: { survivor: back.changes, restored: again.changes },
    events: [mergeUndoneEvent(merge, ctx.by, ctx.now), ...back.events, ...again.events],
  };
}
