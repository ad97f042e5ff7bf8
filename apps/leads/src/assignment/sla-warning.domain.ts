// The warning before the first-follow-up deadline as a pure decision: whether the owner of a lead is due a
// `lead.first_follow_up_due_soon` now, and the event. The SLA job loads the candidates locked and stores it.
import type { Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import type { LeadStatus } from '../leads/lead.domain';

/** A lead as the warning needs it; the caller holds its row lock. */
export interface WatchedLead {
  id: string;
  status: LeadStatus;
  ownerRepId: string | null;
  team: string | null;
  firstFollowUpDueAt: Date | null;
  firstFollowedUpAt: Date | null;
  /** The deadline the owner was last warned about; a new deadline (re-assignment) is warned about again. */
  warnedFor: Date | null;
}

export type WarningChanges = { warn: false } | { warn: true; deadline: Date };

/**
 * Due for a warning: still waiting for its owner's first follow-up (the same leads the SLA job re-assigns),
 * the deadline ahead but within `warningMs`, and not yet warned about this deadline. A deadline already
 * passed is the re-assignment's business, not a warning's; `warningMs` 0 warns about nothing.
 */
export function isFollowUpWarningDue(lead: WatchedLead, now: Date, warningMs: number): boolean {
  const due = lead.firstFollowUpDueAt?.getTime();
  if (warningMs <= 0 || due === undefined || lead.ownerRepId === null) return false;
  if (lead.status !== 'assigned' || lead.firstFollowedUpAt !== null) return false;
  if (lead.warnedFor?.getTime() === due) return false;
  return due > now.getTime() && due <= now.getTime() + warningMs;
}

/** The warning to the owner, once per (lead, deadline), or nothing. */
export function decideFollowUpWarning(lead: WatchedLead, now: Date, warningMs: number): Decision<WarningChanges> {
  if (!isFollowUpWarningDue(lead, now, warningMs) || !lead.firstFollowUpDueAt || !lead.ownerRepId) return { changes: { warn: false }, events: [] };
  const event = newEvent('lead.first_follow_up_due_soon', {
    subject: lead.id,
    data: {
      leadId: lead.id,
      repId: lead.ownerRepId,
      team: lead.team ?? undefined,
      firstFollowUpDueAt: lead.firstFollowUpDueAt.toISOString(),
      warnedAt: now.toISOString(),
    },
  });
  return { changes: { warn: true, deadline: lead.firstFollowUpDueAt }, events: [event] };
}
