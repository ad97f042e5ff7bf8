// Contact decisions as pure functions: what a new or edited person stores, which account memberships start or
// end, and the event it publishes.
import { createEvent, type EventEnvelope } from '@crm/contracts';
import { DomainError, type Decision } from '@crm/domain';
import { normalizeEmail, normalizePhone, type DuplicateKeys } from '../duplicates/duplicate.domain';
import type { Ownership } from '../ownership.domain';

export const CHANNELS = ['email', 'phone', 'wechat', 'whatsapp', 'sms', 'visit'] as const;

export interface ContactFields {
  name: string;
  title: string | null;
  emails: string[];
  phones: string[];
  preferredChannel: string | null;
  /** The accounts the person belongs to now. */
  accountIds: string[];
}

export interface ContactState extends ContactFields, Ownership {
  id: string;
  version: number;
}

export interface ContactRow extends ContactState {
  normalizedEmails: string[];
  normalizedPhones: string[];
  searchText: string;
  /** Memberships that start and end with this save. */
  join: string[];
  leave: string[];
}

export type ContactInput = Partial<ContactFields>;

const unique = <T>(xs: T[]) => [...new Set(xs)];

export const contactKeys = (c: Pick<ContactFields, 'emails' | 'phones'>): DuplicateKeys => ({
  emails: unique(c.emails.map(normalizeEmail).filter((e): e is string => !!e)),
  phones: unique(c.phones.map(normalizePhone).filter((p): p is string => !!p)),
  domains: [],
  name: '',
});

/** Name, emails, phone digits and the names of the person's companies, for the trigram search. */
function row(state: ContactState, before: string[], companies: string[]): ContactRow {
  const keys = contactKeys(state);
  const searchText = [state.name.normalize('NFKC'), ...keys.emails, ...keys.phones.map((p) => p.replace('+', '')), ...companies].join(' ').toLowerCase();
  return {
    ...state,
    normalizedEmails: keys.emails,
    normalizedPhones: keys.phones,
    searchText,
    join: state.accountIds.filter((id) => !before.includes(id)),
    leave: before.filter((id) => !state.accountIds.includes(id)),
  };
}

function event(name: 'contact.created' | 'contact.updated', c: ContactState, by: string, at: Date): EventEnvelope {
  return createEvent(name, {
    subject: c.id,
    data: {
      contactId: c.id,
      name: c.name,
      title: c.title,
      emails: c.emails,
      phones: c.phones,
      preferredChannel: c.preferredChannel,
      accountIds: c.accountIds,
      version: c.version,
      by,
      at: at.toISOString(),
    },
  });
}

/** Every named account must exist; `known` maps the ones found to their names. */
function companiesOf(accountIds: string[], known: Map<string, string>): string[] {
  const missing = accountIds.findIndex((id) => !known.has(id));
  if (missing >= 0) throw DomainError.invalidField(`accountIds[${missing}]`, 'no such account');
  return accountIds.map((id) => known.get(id) as string);
}

export function decideCreateContact(
  input: ContactInput & { name: string },
  owner: Ownership,
  known: Map<string, string>,
  ctx: { id: string; by: string; now: Date },
): Decision<ContactRow> {
  const state: ContactState = {
    id: ctx.id,
    version: 1,
    name: input.name.trim(),
    title: input.title ?? null,
    emails: unique(input.emails ?? []),
    phones: unique(input.phones ?? []),
    preferredChannel: input.preferredChannel ?? null,
    accountIds: unique(input.accountIds ?? []),
    ...owner,
  };
  return { changes: row(state, [], companiesOf(state.accountIds, known)), events: [event('contact.created', state, ctx.by, ctx.now)] };
}

/** Fields left out keep their value; `accountIds` given replaces the current memberships (ended ones are kept as history). */
export function decideEditContact(
  current: ContactState,
  edit: ContactInput,
  owner: Ownership,
  known: Map<string, string>,
  ctx: { by: string; now: Date },
): Decision<ContactRow> {
  const defined = Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined)) as ContactInput;
  const state: ContactState = {
    ...current,
    ...defined,
    ...owner,
    name: (edit.name ?? current.name).trim(),
    emails: unique(edit.emails ?? current.emails),
    phones: unique(edit.phones ?? current.phones),
    accountIds: unique(edit.accountIds ?? current.accountIds),
    version: current.version + 1,
  };
  return { changes: row(state, current.accountIds, companiesOf(state.accountIds, known)), events: [event('contact.updated', state, ctx.by, ctx.now)] };
}

/** An erased person stays erased: an edit would bring personal data back under a destroyed key (ADR 0024). */
export function assertNotErased(contact: { id: string; erasedAt?: Date | null }): void {
  if (contact.erasedAt) throw DomainError.erased('contact', contact.id);
}
