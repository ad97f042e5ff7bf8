// Handing a record over to another rep (ADR 0022): the rules every service that owns records applies the
// same way, so leads, opportunities and orders refuse the same things with the same codes.
import { DomainError } from './domain-error';

/** The rep who would take the work, as the service's own directory (or copy) knows them. */
export interface HandOverTarget {
  id: string;
  name?: string | null;
  team: string | null;
  active: boolean;
}

/** The caller's reach: all records (admin), a team's (a manager with a team), or only their own. */
export type HandOverScope = { kind: 'all' } | { kind: 'team'; team: string } | { kind: 'own'; repId?: string };

/** Who a record goes to: the rep the caller named, as the service's copy knows them (undefined: unknown). */
export interface HandOverTo {
  scope: HandOverScope;
  toRepId: string;
  target: HandOverTarget | undefined;
}

/** Why, by whom and when; `handOverId` when the record moves as part of a rep's whole hand-over (`rep.handed_over`). */
export interface HandOverCommand {
  reason: string;
  by: string;
  now: Date;
  handOverId?: string;
}

const field = (message: string, constraint: string) => [{ field: 'toRepId', message, constraint }];
const named = (t: HandOverTarget) => (t.name ? `${t.name} (${t.id})` : t.id);

/**
 * Whether the caller may hand work to this rep: the rep must exist and be active; a manager hands over within
 * their own team only, and a manager whose token names no team may not hand over at all (fail closed).
 */
export function assertHandOverTarget(scope: HandOverScope, toRepId: string, target: HandOverTarget | undefined): HandOverTarget {
  if (scope.kind === 'own') throw DomainError.forbidden('Only an admin, or a sales manager within their team, hands work over; the token names no team.');
  if (!target) {
    throw new DomainError({
      kind: 'invalid',
      code: 'UNKNOWN_REP',
      detail: `No rep ${toRepId}: the work can only go to a known, active rep.`,
      fields: field(`no rep ${toRepId}`, 'knownRep'),
    });
  }
  if (!target.active) {
    throw new DomainError({
      kind: 'conflict',
      code: 'REP_INACTIVE',
      detail: `Rep ${named(target)} is inactive and cannot take over work: choose an active rep.`,
      fields: field(`rep ${target.id} is inactive`, 'activeRep'),
    });
  }
  if (scope.kind === 'team' && target.team !== scope.team) {
    throw DomainError.forbidden(`A manager hands work to the reps of their own team (${scope.team}) only; rep ${target.id} is not in it.`, 'OTHER_TEAM');
  }
  return target;
}

/** A closed record is history: it keeps the owner who closed it. */
export function assertOpenForHandOver(what: string, id: string, status: string, open: boolean): void {
  if (!open) {
    throw DomainError.conflict(
      'RECORD_CLOSED',
      `The ${what} ${id} is ${status}: closed records are history and keep their owner; only open ones can be handed over.`,
    );
  }
}

/** Handing a record to the rep who already owns it changes nothing and says so. */
export function assertNewOwner(what: string, id: string, ownerId: string | null, toRepId: string): void {
  if (ownerId === toRepId) throw DomainError.conflict('ALREADY_OWNER', `Rep ${toRepId} already owns the ${what} ${id}.`);
}

/** A manager hands over only the records of their team (the records' own scope check makes others a 404). */
export function assertMayHandOverFrom(scope: HandOverScope, from: { id: string; team: string | null } | undefined): void {
  if (scope.kind === 'own') throw DomainError.forbidden('Only an admin, or a sales manager within their team, hands work over; the token names no team.');
  if (scope.kind === 'team' && from && from.team !== scope.team) {
    throw DomainError.forbidden(`A manager hands over the work of their own team (${scope.team}) only; rep ${from.id} is not in it.`, 'OTHER_TEAM');
  }
}
