// Handing leads over to another rep as pure decisions (ADR 0022): one lead, or every open lead of a rep in one
// go; the shared target rules live in @crm/domain so opportunities and orders refuse the same things.
import { assertHandOverTarget, assertNewOwner, assertOpenForHandOver, DomainError, type Decision, type HandOverCommand, type HandOverTo } from '@crm/domain';
import type { EventData } from '@crm/contracts';
import { newEvent } from '@crm/messaging';
import { DEFAULT_FOLLOW_UP_HOURS, followUpDeadline, HOUR_MS } from '../assignment/assignment.domain';
import { CLOSED_STATUSES, LOAD_STATUSES, type LeadStatus } from '../leads/lead.domain';

type HandOverKind = EventData<'rep.handed_over'>['kinds'][number];

/** A lead as a hand-over reads it, locked. */
export interface LeadToHandOver {
  id: string;
  status: LeadStatus;
  ownerRepId: string | null;
  version: number;
  firstFollowedUpAt: Date | null;
  firstFollowUpDueAt: Date | null;
  /** The follow-up hours of the rule that placed it (null: none, the default applies). */
  followUpHours: number | null;
  /** When its personal data was erased: the lead refuses a hand-over of its own (a rep's hand-over still moves it). */
  erasedAt?: Date | null;
}

/** A lead's hand-over also restarts a first-follow-up deadline, in hours of LEADS_SLA_HOUR_MS. */
export interface LeadHandOverCommand extends HandOverCommand {
  hourMs: number;
}

/** What a hand-over stores for one lead: its owner, team and deadline, the history row, the reps' load. */
export interface LeadMove {
  leadId: string;
  fromRepId: string;
  toRepId: string;
  team: string | null;
  deadline: Date;
  /** The lead counts towards a rep's load (assigned, contacted, qualified): it moves from one to the other. */
  movesLoad: boolean;
  historyReason: string;
  by: string;
  at: Date;
}

/**
 * One open, owned lead to a known, active rep in the caller's reach (`assertHandOverTarget`). A lead still waiting
 * for its first follow-up gets a fresh deadline, its rule's hours from now, so the new owner is not re-assigned
 * away for the previous owner's delay; any other keeps its deadline. Published as `lead.reassigned` (`manual`,
 * with the reason as `note`).
 */
export function decideLeadHandOver(lead: LeadToHandOver, to: HandOverTo, cmd: LeadHandOverCommand): Decision<LeadMove> {
  assertOpenForHandOver('lead', lead.id, lead.status, !CLOSED_STATUSES.includes(lead.status));
  if (!lead.ownerRepId) {
    throw DomainError.conflict('NO_OWNER', `The lead ${lead.id} has no owner to hand it over from: assign it with POST /api/v1/leads/${lead.id}/reassign.`);
  }
  const target = assertHandOverTarget(to.scope, to.toRepId, to.target);
  assertNewOwner('lead', lead.id, lead.ownerRepId, target.id);
  const waiting = lead.status === 'assigned' && !lead.firstFollowedUpAt;
  const hours = ((lead.followUpHours ?? DEFAULT_FOLLOW_UP_HOURS) * cmd.hourMs) / HOUR_MS;
  const deadline = waiting ? followUpDeadline(cmd.now, hours) : (lead.firstFollowUpDueAt ?? cmd.now);
  const event = newEvent('lead.reassigned', {
    subject: lead.id,
    data: {
      leadId: lead.id,
      fromRepId: lead.ownerRepId,
      toRepId: target.id,
      reason: 'manual',
      reassignedAt: cmd.now.toISOString(),
      firstFollowUpDueAt: deadline.toISOString(),
      note: cmd.reason,
      handOverId: cmd.handOverId,
      by: cmd.by,
    },
  });
  return {
    changes: {
      leadId: lead.id,
      fromRepId: lead.ownerRepId,
      toRepId: target.id,
      team: target.team,
      deadline,
      movesLoad: LOAD_STATUSES.includes(lead.status),
      historyReason: `handed over by ${cmd.by}: ${cmd.reason}`,
      by: cmd.by,
      at: cmd.now,
    },
    events: [event],
  };
}

/** A rep hands their work to someone else: never to themselves. */
export function assertAnotherRep(fromRepId: string, toRepId: string): void {
  if (fromRepId === toRepId) throw DomainError.invalidField('toRepId', 'must be another rep than the one handing over');
}

/** A rep's hand-over as it is kept and answered. */
export interface RepHandOver {
  id: string;
  fromRepId: string;
  toRepId: string;
  reason: string;
  kinds: HandOverKind[];
  leadsMoved: number;
  by: string;
  at: Date;
}

/**
 * All of a rep's open work to another rep: leads has moved the open leads already (`leadsMoved`, each with its
 * own `lead.reassigned`); `rep.handed_over` tells opportunities and orders to move theirs.
 */
export function decideRepHandOver(h: RepHandOver, toTeam: string | null): Decision<RepHandOver> {
  const event = newEvent('rep.handed_over', {
    subject: h.fromRepId,
    data: {
      handOverId: h.id,
      fromRepId: h.fromRepId,
      toRepId: h.toRepId,
      toTeam: toTeam ?? undefined,
      reason: h.reason,
      kinds: h.kinds,
      leadsMoved: h.leadsMoved,
      by: h.by,
      at: h.at.toISOString(),
    },
  });
  return { changes: h, events: [event] };
}
