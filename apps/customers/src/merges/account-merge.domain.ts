// What an account merge and its undo change: the survivor's chosen fields and the union of the domains, the
// loser's snapshot, and the events (account.updated for the records, account.merged / account.merge_undone).
import type { Decision } from '@crm/domain';
import { accountData, decideEditAccount, type AccountFields, type AccountRow, type AccountState } from '../accounts/account.domain';
import {
  assertMergeable,
  assertSameCurrency,
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

export type MergeableAccount = AccountState & MergeMarks;
type Snapshot = AccountFields & Owned & { version: number };

export function decideAccountMerge(
  survivor: MergeableAccount,
  merged: MergeableAccount,
  choice: FieldChoice,
  ctx: { mergeId: string; by: string; now: Date },
): Decision<{ survivor: AccountRow; record: MergeRecord }> {
  assertMergeable('account', survivor, merged);
  assertSameCurrency(survivor, merged);
  const take = <K extends keyof AccountFields>(key: K) => pick(key, survivor as AccountFields, merged as AccountFields, choice[key as keyof FieldChoice]);
  const edit: AccountFields = {
    name: take('name'),
    domains: union(survivor.domains, merged.domains),
    industry: take('industry'),
    size: take('size'),
    region: take('region'),
    taxId: take('taxId'),
    billingAddress: take('billingAddress'),
    shippingAddress: take('shippingAddress'),
    currency: take('currency'),
  };
  const { changes, events } = decideEditAccount(survivor, edit, pickOwner(survivor, merged, choice.owner), ctx);
  const record: MergeRecord = {
    id: ctx.mergeId,
    kind: 'account',
    survivorId: survivor.id,
    mergedId: merged.id,
    survivorBefore: accountData(survivor) as unknown as Record<string, unknown>,
    mergedData: accountData(merged) as unknown as Record<string, unknown>,
    moved: [],
    by: ctx.by,
    at: ctx.now,
    undoneAt: null,
    undoneBy: null,
  };
  return { changes: { survivor: changes, record }, events: [...events, mergedEvent('account', record)] };
}

/** The survivor gets its fields from before the merge back; the loser, unchanged meanwhile, is published again. */
export function decideAccountUndo(
  merge: MergeRecord,
  survivor: AccountState,
  restored: AccountState,
  ctx: { by: string; now: Date },
): Decision<{ survivor: AccountRow; restored: AccountRow }> {
  const { version: _v, ownerRepId, team, ...before } = merge.survivorBefore as unknown as Snapshot;
  const back = decideEditAccount(survivor, before, { ownerRepId, team }, ctx);
  const again = decideEditAccount(restored, {}, { ownerRepId: restored.ownerRepId, team: restored.team }, ctx);
  return {
    changes: { survivor: back.changes, restored: again.changes },
    events: [mergeUndoneEvent(merge, ctx.by, ctx.now), ...back.events, ...again.events],
  };
}
