// Who may own a customer record, decided from the caller's access scope (libs/http `accessScope`).
import type { AccessScope } from '@crm/http';
import { DomainError } from '@crm/domain';

export interface Ownership {
  ownerRepId: string | null;
  team: string | null;
}

/**
 * A rep's record is theirs and their team's; a manager places it within their own team; an admin anywhere.
 * `current` is the record's ownership before an edit (undefined on create).
 */
export function decideOwnership(scope: AccessScope, asked: Partial<Ownership>, caller: { sub: string; team?: string | null }, current?: Ownership): Ownership {
  const next: Ownership = {
    ownerRepId: asked.ownerRepId !== undefined ? asked.ownerRepId : (current?.ownerRepId ?? (scope.kind === 'own' ? caller.sub : null)),
    team: asked.team !== undefined ? asked.team : (current?.team ?? caller.team ?? null),
  };
  if (scope.kind === 'own' && next.ownerRepId !== caller.sub) {
    throw DomainError.forbidden('A rep owns the customers they create and cannot hand them to someone else.');
  }
  if (scope.kind === 'team' && next.team !== scope.team) {
    throw DomainError.forbidden(`A manager places customers in their own team (${scope.team}).`);
  }
  return next;
}
