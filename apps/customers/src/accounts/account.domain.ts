// Account decisions as pure functions: what a new or edited account stores (with the keys the duplicate check
// and the search read) and the event it publishes.
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { DomainError, type Decision } from '@crm/domain';
import { hanBigrams, normalizeDomain, normalizeName, type DuplicateKeys } from '../duplicates/duplicate.domain';
import type { Ownership } from '../ownership.domain';

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface AccountFields {
  name: string;
  domains: string[];
  industry: string | null;
  size: string | null;
  region: string | null;
  taxId: string | null;
  billingAddress: Address | null;
  shippingAddress: Address | null;
  /** The trading currency (ISO 4217); accounts in different currencies cannot be merged. */
  currency: string | null;
}

export interface AccountState extends AccountFields, Ownership {
  id: string;
  version: number;
}

/** What the repository stores: the fields, the owner and the derived keys. */
export interface AccountRow extends AccountState {
  normalizedName: string;
  nameBigrams: string[];
  searchText: string;
}

export type AccountInput = Partial<AccountFields>;

/** Domains normalised and de-duplicated; one that normalises to nothing is refused with its index. */
export function normalizeDomains(domains: string[]): string[] {
  const out: string[] = [];
  domains.forEach((d, i) => {
    const n = normalizeDomain(d);
    if (!n) throw DomainError.invalidField(`domains[${i}]`, 'must be a domain such as acme.example');
    if (!out.includes(n)) out.push(n);
  });
  return out;
}

/** Country codes in upper case ("cn" is CN), as the events' contract has them. */
const address = (a: Address | null | undefined): Address | null => (a ? { ...a, country: a.country.toUpperCase() } : null);

/** The keys the duplicate rules compare. */
export const accountKeys = (a: Pick<AccountFields, 'name' | 'domains'>): DuplicateKeys => ({
  emails: [],
  phones: [],
  domains: a.domains,
  name: normalizeName(a.name),
});

/** Lower-cased name and domains in one text the trigram index searches ("华为", "acme", "acme.example"). */
const searchText = (a: AccountFields) => [a.name.normalize('NFKC'), ...a.domains, a.taxId ?? ''].join(' ').toLowerCase();

function row(state: AccountState): AccountRow {
  return { ...state, normalizedName: normalizeName(state.name), nameBigrams: hanBigrams(state.name), searchText: searchText(state) };
}

function event(name: 'account.created' | 'account.updated', a: AccountState, by: string, at: Date): EventEnvelope {
  return createEvent(name, {
    subject: a.id,
    data: { accountId: a.id, ...accountData(a), by, at: at.toISOString() },
  });
}

/** The account's own data (not the row's derived keys): what its events carry and what a merge remembers. */
export function accountData(a: AccountState) {
  return {
    name: a.name,
    domains: a.domains,
    industry: a.industry,
    size: a.size,
    region: a.region,
    taxId: a.taxId,
    billingAddress: a.billingAddress,
    shippingAddress: a.shippingAddress,
    currency: a.currency,
    ownerRepId: a.ownerRepId,
    team: a.team,
    version: a.version,
  };
}

export function decideCreateAccount(
  input: AccountInput & { name: string },
  owner: Ownership,
  ctx: { id: string; by: string; now: Date },
): Decision<AccountRow> {
  const state: AccountState = {
    id: ctx.id,
    version: 1,
    name: input.name.trim(),
    domains: normalizeDomains(input.domains ?? []),
    industry: input.industry ?? null,
    size: input.size ?? null,
    region: input.region ?? null,
    taxId: input.taxId ?? null,
    billingAddress: address(input.billingAddress),
    shippingAddress: address(input.shippingAddress),
    currency: input.currency ?? null,
    ...owner,
  };
  return { changes: row(state), events: [event('account.created', state, ctx.by, ctx.now)] };
}

/** Fields left out keep their value; `null` clears an optional one. */
export function decideEditAccount(current: AccountState, edit: AccountInput, owner: Ownership, ctx: { by: string; now: Date }): Decision<AccountRow> {
  const defined = Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined)) as AccountInput;
  const state: AccountState = {
    ...current,
    ...defined,
    ...owner,
    name: (edit.name ?? current.name).trim(),
    domains: edit.domains ? normalizeDomains(edit.domains) : current.domains,
    billingAddress: edit.billingAddress !== undefined ? address(edit.billingAddress) : current.billingAddress,
    shippingAddress: edit.shippingAddress !== undefined ? address(edit.shippingAddress) : current.shippingAddress,
    version: current.version + 1,
  };
  return { changes: row(state), events: [event('account.updated', state, ctx.by, ctx.now)] };
}
