// Handing an opportunity over to another rep as a pure decision (ADR 0022): an open deal only (won and lost
// deals are history and stay credited to whoever closed them), to a known, active rep in the caller's reach.
import { assertHandOverTarget, assertNewOwner, assertOpenForHandOver, type Decision, type HandOverCommand, type HandOverTo } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import type { OpportunityStatus } from '../opportunities/opportunity.domain';

/** An opportunity as a hand-over reads it, locked. */
export interface OpportunityToHandOver {
  id: string;
  status: OpportunityStatus;
  repId: string;
  team: string | null;
  version: number;
}

/** What a hand-over stores: the new owner and team, and the record of the move with its reason. */
export interface OpportunityMove {
  opportunityId: string;
  fromRepId: string;
  toRepId: string;
  team: string | null;
  reason: string;
  handOverId: string | null;
  by: string;
  at: Date;
}

export function decideOpportunityHandOver(o: OpportunityToHandOver, to: HandOverTo, cmd: HandOverCommand): Decision<OpportunityMove> {
  assertOpenForHandOver('opportunity', o.id, o.status, o.status === 'open');
  const target = assertHandOverTarget(to.scope, to.toRepId, to.target);
  assertNewOwner('opportunity', o.id, o.repId, target.id);
  const event = newEvent('opportunity.reassigned', {
    subject: o.id,
    data: {
      opportunityId: o.id,
      fromRepId: o.repId,
      toRepId: target.id,
      team: target.team ?? undefined,
      reason: cmd.reason,
      handOverId: cmd.handOverId,
      by: cmd.by,
      reassignedAt: cmd.now.toISOString(),
    },
  });
  const move = {
    opportunityId: o.id,
    fromRepId: o.repId,
    toRepId: target.id,
    team: target.team,
    reason: cmd.reason,
    handOverId: cmd.handOverId ?? null,
    by: cmd.by,
    at: cmd.now,
  };
  return { changes: move, events: [event] };
}
