import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { accessScope, type AuthUser } from '@crm/http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Open work: an open lead, opportunity or order of the rep (or team) on the given account. */
const openWorkOn = (account: string, who: string) =>
  `EXISTS (SELECT 1 FROM customer_records w WHERE w.account_id = ${account} AND w.open AND w.record_kind <> 'receivable' AND w.${who})`;

/**
 * What the caller may read: a rep the accounts and contacts they own, and the accounts they have open work
 * with (an open lead, opportunity or order of theirs linked to it) with those accounts' current contacts and
 * the contacts of their open records; a manager the same by team; admin all. Edits stay with the owners
 * (`restrictToScope`).
 */
export function restrictToVisible<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, user: AuthUser, of: { alias: string; kind: 'account' | 'contact' }) {
  const scope = accessScope(user);
  if (scope.kind === 'all') return qb;
  if (scope.kind === 'own' && !UUID.test(scope.repId)) return qb.andWhere('1 = 0');
  const [owner, who, params] =
    scope.kind === 'own'
      ? ['owner_rep_id = :scopeRep', 'rep_id = :scopeRep', { scopeRep: scope.repId }]
      : ['team = :scopeTeam', 'team = :scopeTeam', { scopeTeam: scope.team }];
  const a = of.alias;
  if (of.kind === 'account') return qb.andWhere(`(${a}.${owner} OR ${openWorkOn(`${a}.id`, who)})`, params);
  // OFFSET 0 keeps each EXISTS a check of one contact (two index probes): unfenced, the planner turns them into a
  // hashed set of every contact the caller may see, built by a sequential scan of the memberships (0.3-1 s).
  return qb.andWhere(
    `(${a}.${owner}
      OR EXISTS (SELECT 1 FROM contact_accounts ca WHERE ca.contact_id = ${a}.id AND ca.until IS NULL AND ${openWorkOn('ca.account_id', who)} OFFSET 0)
      OR EXISTS (SELECT 1 FROM customer_records w WHERE w.contact_id = ${a}.id AND w.open AND w.record_kind <> 'receivable' AND w.${who} OFFSET 0))`,
    params,
  );
}

/**
 * The timeline entries the caller may see on a record they can open: entries about the account or contact
 * itself, and entries of records the caller may see (a rep: theirs; a manager: their team's; admin: all).
 */
export function entryScope(user: AuthUser, alias: string): { sql: string; params: Record<string, string> } | undefined {
  const scope = accessScope(user);
  const own = `${alias}.record_kind IN ('account', 'contact')`;
  if (scope.kind === 'all') return undefined;
  if (scope.kind === 'team') return { sql: `(${alias}.team = :scopeTeam OR ${own})`, params: { scopeTeam: scope.team } };
  if (!UUID.test(scope.repId)) return { sql: own, params: {} };
  return { sql: `(${alias}.rep_id = :scopeRep OR ${own})`, params: { scopeRep: scope.repId } };
}
