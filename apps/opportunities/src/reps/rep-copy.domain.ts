import type { EventOf } from '@crm/contracts';
import type { Decision, HandOverTarget } from '@crm/domain';

/** The opportunities service's copy of a rep (leads' `rep.upserted`): enough to refuse a hand-over to an inactive rep. */
export interface RepCopy {
  repId: string;
  name: string;
  team: string | null;
  active: boolean;
  /** ISO timestamp, kept as sent so the stored copy loses no precision. */
  updatedAt: string;
}

export const repFrom = ({ data }: EventOf<'rep.upserted'>): RepCopy => ({
  repId: data.repId,
  name: data.name,
  team: data.team ?? null,
  active: data.active,
  updatedAt: data.updatedAt,
});

/** A late, older update never overwrites a newer one; an update as new as the copy does (a redelivery). */
export function decideRepCopy(current: { updatedAt: Date } | undefined, incoming: RepCopy): Decision<RepCopy | null> {
  const supersedes = !current || current.updatedAt.getTime() <= Date.parse(incoming.updatedAt);
  return { changes: supersedes ? incoming : null, events: [] };
}

/** The copy as the hand-over rules read a target. */
export const asTarget = (rep: { repId: string; name: string; team: string | null; active: boolean }): HandOverTarget => ({
  id: rep.repId,
  name: rep.name,
  team: rep.team,
  active: rep.active,
});
