// Reps as the directory keeps them: who may manage which rep, and what a create or change stores and
// publishes (`rep.upserted`, which orders files orders by).
import { DomainError, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';

/** The caller's reach, as the access scope gives it. */
export type ManagerScope = { kind: 'all' } | { kind: 'team'; team: string } | { kind: 'own' };

export interface RepFields {
  name: string;
  email: string;
  team: string | null;
  managerId: string | null;
  regions: string[];
  productLines: string[];
  capacity: number;
  active: boolean;
  away: boolean;
}

export interface RepRow extends RepFields {
  id: string;
  updatedAt: Date;
}

/** A new rep as a manager writes it; the unset fields take their defaults. */
export interface NewRepInput {
  name: string;
  email: string;
  team?: string;
  managerId?: string;
  regions?: string[];
  productLines?: string[];
  capacity: number;
  active?: boolean;
  away?: boolean;
}

export type RepChangeInput = Partial<NewRepInput>;

/** A manager runs their own team only; an admin any. */
export function assertManagesTeam(scope: ManagerScope, team: string | null | undefined): void {
  if (scope.kind === 'all') return;
  if (scope.kind === 'team' && team === scope.team) return;
  throw DomainError.forbidden('A manager manages the reps of their own team only.');
}

/** The rep as it is and the team it would move to must both be the caller's. */
export function assertMayChange(scope: ManagerScope, rep: { team: string | null }, input: RepChangeInput): void {
  assertManagesTeam(scope, rep.team);
  if (input.team !== undefined) assertManagesTeam(scope, input.team);
}

const upserted = (rep: RepRow) =>
  newEvent('rep.upserted', {
    subject: rep.id,
    data: {
      repId: rep.id,
      name: rep.name,
      email: rep.email,
      team: rep.team ?? undefined,
      managerId: rep.managerId ?? undefined,
      regions: rep.regions,
      productLines: rep.productLines,
      capacity: rep.capacity,
      active: rep.active,
      updatedAt: rep.updatedAt.toISOString(),
    },
  });

export function decideCreateRep(scope: ManagerScope, id: string, input: NewRepInput, now: Date): Decision<RepRow> {
  assertManagesTeam(scope, input.team);
  const rep: RepRow = {
    id,
    name: input.name,
    email: input.email,
    team: input.team ?? null,
    managerId: input.managerId ?? null,
    regions: input.regions ?? [],
    productLines: input.productLines ?? [],
    capacity: input.capacity,
    active: input.active ?? true,
    away: input.away ?? false,
    updatedAt: now,
  };
  return { changes: rep, events: [upserted(rep)] };
}

/** Only the fields sent change (a null is not sent); every change is published whole. */
export function decideUpdateRep(current: RepRow, input: RepChangeInput, now: Date): Decision<RepRow> {
  const rep: RepRow = {
    id: current.id,
    name: input.name ?? current.name,
    email: input.email ?? current.email,
    team: input.team ?? current.team,
    managerId: input.managerId ?? current.managerId,
    regions: input.regions ?? current.regions,
    productLines: input.productLines ?? current.productLines,
    capacity: input.capacity ?? current.capacity,
    active: input.active ?? current.active,
    away: input.away ?? current.away,
    updatedAt: now,
  };
  return { changes: rep, events: [upserted(rep)] };
}
