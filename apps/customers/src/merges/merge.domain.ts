// Merge and undo decisions as pure functions: which records may be merged, what the survivor keeps, and whether
// a merge may still be undone (ADR 0018).
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { DomainError } from '@crm/domain';

export type MergeKind = 'account' | 'contact';
export type Side = 'survivor' | 'merged';
export const SIDES = ['survivor', 'merged'] as const;

/** The fields a merge lets the caller choose per record kind; `owner` is the owner rep and team together. */
export const ACCOUNT_CHOICES = ['name', 'industry', 'size', 'region', 'taxId', 'billingAddress', 'shippingAddress', 'owner', 'currency'] as const;
export const CONTACT_CHOICES = ['name', 'title', 'preferredChannel', 'owner'] as const;
export type FieldChoice = Partial<Record<(typeof ACCOUNT_CHOICES)[number] | (typeof CONTACT_CHOICES)[number], Side>>;

/** What a merge needs to know of a record besides its data. */
export interface MergeMarks {
  id: string;
  mergedInto: string | null;
}

/** One membership a merge ended (the loser's or the merged account's) and the one it opened on the survivor, if any. */
export interface MovedMembership {
  contactId: string;
  accountId: string;
  /** `since` of the ended row, which an undo reopens. */
  since: string;
  added: { contactId: string; accountId: string; since: string } | null;
}

export interface MergeRecord {
  id: string;
  kind: MergeKind;
  survivorId: string;
  mergedId: string;
  /** The survivor's data before the merge, which an undo restores. */
  survivorBefore: Record<string, unknown>;
  /** The loser's data when it was merged away. */
  mergedData: Record<string, unknown>;
  moved: MovedMembership[];
  by: string;
  at: Date;
  undoneAt: Date | null;
  undoneBy: string | null;
}

const conflict = (code: string, detail: string, extensions?: Record<string, unknown>) => new DomainError({ kind: 'conflict', code, detail, extensions });

/** A record merged away is read-only: edits go to the record it was merged into. */
export function assertNotMerged(kind: MergeKind, record: MergeMarks): void {
  if (record.mergedInto) {
    throw conflict('MERGED_RECORD', `The ${kind} ${record.id} was merged into ${record.mergedInto}; edit that one.`, { mergedInto: record.mergedInto });
  }
}

export function assertDistinct(survivorId: string, mergedId: string): void {
  if (survivorId === mergedId) {
    throw new DomainError({
      kind: 'invalid',
      code: 'MERGE_INTO_SELF',
      detail: 'A record cannot be merged into itself.',
      fields: [{ field: 'mergedId', message: 'must name another record than the survivor' }],
    });
  }
}

/** Neither side may already be merged away. */
export function assertMergeable(kind: MergeKind, survivor: MergeMarks, merged: MergeMarks): void {
  assertDistinct(survivor.id, merged.id);
  for (const r of [survivor, merged]) {
    if (r.mergedInto) throw conflict('ALREADY_MERGED', `The ${kind} ${r.id} was already merged into ${r.mergedInto}.`, { id: r.id, mergedInto: r.mergedInto });
  }
}

/** Two accounts trading in different currencies cannot become one; an account without a currency takes the other's. */
export function assertSameCurrency(survivor: { currency: string | null }, merged: { currency: string | null }): void {
  if (survivor.currency && merged.currency && survivor.currency !== merged.currency) {
    throw conflict('CURRENCY_MISMATCH', `The accounts trade in ${survivor.currency} and ${merged.currency}; they cannot be merged.`);
  }
}

/**
 * The value the survivor keeps for one field: the side the caller chose, else the survivor's, or the merged
 * record's where the survivor has none.
 */
export function pick<T, K extends keyof T>(key: K, survivor: T, merged: T, side?: Side): T[K] {
  if (side === 'merged') return merged[key];
  if (side === 'survivor') return survivor[key];
  return survivor[key] ?? merged[key];
}

export interface Owned {
  ownerRepId: string | null;
  team: string | null;
}

/** Owner rep and team go together, from one side. */
export function pickOwner(survivor: Owned, merged: Owned, side?: Side): Owned {
  const from = side === 'merged' || (!side && !survivor.ownerRepId && !survivor.team) ? merged : survivor;
  return { ownerRepId: from.ownerRepId, team: from.team };
}

export const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

export function mergedEvent(kind: MergeKind, merge: Pick<MergeRecord, 'id' | 'survivorId' | 'mergedId' | 'by' | 'at'>): EventEnvelope {
  return createEvent(`${kind}.merged`, {
    subject: merge.survivorId,
    data: { mergeId: merge.id, survivorId: merge.survivorId, mergedId: merge.mergedId, by: merge.by, at: merge.at.toISOString() },
  });
}

export function mergeUndoneEvent(merge: MergeRecord, by: string, at: Date): EventEnvelope {
  return createEvent(`${merge.kind}.merge_undone`, {
    subject: merge.survivorId,
    data: { mergeId: merge.id, survivorId: merge.survivorId, restoredId: merge.mergedId, by, at: at.toISOString() },
  });
}

/**
 * An undo puts both records back as they were, so nothing may have built on the merge since: it is refused once
 * undone, when the survivor was merged away itself, when a later merge into the survivor is still in place (it
 * may have moved rows this one restores), and after the configured period.
 */
export function assertUndoable(
  merge: MergeRecord,
  ctx: { now: Date; undoDays: number; latestMergeId: string | null; survivorMergedInto: string | null },
): void {
  if (merge.undoneAt) throw conflict('MERGE_ALREADY_UNDONE', `The merge ${merge.id} was already undone at ${merge.undoneAt.toISOString()}.`);
  if (ctx.survivorMergedInto) {
    throw conflict('SURVIVOR_MERGED', `The ${merge.kind} ${merge.survivorId} was merged into ${ctx.survivorMergedInto} since; undo that merge first.`);
  }
  if (ctx.latestMergeId !== merge.id) {
    throw conflict('NOT_LATEST_MERGE', `A later merge (${ctx.latestMergeId}) into ${merge.survivorId} is in place; undo it first.`, {
      latestMergeId: ctx.latestMergeId,
    });
  }
  const deadline = new Date(merge.at.getTime() + ctx.undoDays * 86_400_000);
  if (ctx.now > deadline) {
    throw conflict('UNDO_PERIOD_OVER', `A merge can be undone for ${ctx.undoDays} day(s); this one's period ended at ${deadline.toISOString()}.`);
  }
}
