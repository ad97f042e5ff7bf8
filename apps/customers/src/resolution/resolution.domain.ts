// Which account and contact a converted lead is (ADR 0018), as pure functions: the keys a lead's customer
// offers, the decision over the records those keys found, and the event that announces the outcome.
import { createEvent, type EventData, type EventEnvelope } from '@crm/contracts';
import { normalizeDomain, normalizeEmail, normalizeName, normalizePhone } from '../duplicates/duplicate.domain';

/** Free mail providers: their domain says nothing about the company a person works for. */
export const PUBLIC_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'qq.com',
  '163.com',
  '126.com',
  'yeah.net',
  'sina.com',
  'sina.cn',
  'sohu.com',
  'aliyun.com',
  'foxmail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'mail.ru',
]);

export type LeadCustomer = EventData<'lead.converted'>['customer'];

/** What a lead offers to the match, normalised; null where it offers nothing. */
export interface ResolutionKeys {
  email: string | null;
  phone: string | null;
  /** The email's domain, unless it is a public mail provider's. */
  domain: string | null;
  /** The normalised company name. */
  company: string | null;
}

export function resolutionKeys(c: LeadCustomer): ResolutionKeys {
  const email = c.email ? normalizeEmail(c.email) : null;
  const host = email?.includes('@') ? normalizeDomain(email.slice(email.lastIndexOf('@') + 1)) : null;
  return {
    email,
    phone: c.phone ? normalizePhone(c.phone) : null,
    domain: host && !PUBLIC_MAIL_DOMAINS.has(host) ? host : null,
    company: c.company ? normalizeName(c.company) || null : null,
  };
}

/** The advisory lock keys: the duplicate checks' own (`contact:<email>`, `account:<domain>`), so a REST save of the same person queues too. */
export function resolutionLockKeys(leadId: string, k: ResolutionKeys): string[] {
  return [
    `lead-resolution:${leadId}`,
    ...(k.email ? [`contact:${k.email}`] : []),
    ...(k.phone ? [`contact:${k.phone}`] : []),
    ...(k.domain ? [`account:${k.domain}`] : []),
    ...(k.company ? [`account-name:${k.company}`] : []),
  ];
}

/** A stored contact the keys found: normalised emails and phones, current accounts; oldest first. */
export interface ContactCandidate {
  id: string;
  emails: string[];
  phones: string[];
  accountIds: string[];
}

/** A stored account the keys (or a found contact) named; oldest first. */
export interface AccountCandidate {
  id: string;
  domains: string[];
  normalizedName: string;
}

export interface Candidates {
  contacts: ContactCandidate[];
  accounts: AccountCandidate[];
}

export type AccountChoice = { kind: 'reuse'; id: string; via: 'contact' | 'domain' | 'name' } | { kind: 'create' } | { kind: 'none' };
export type ContactChoice = { kind: 'reuse'; id: string; via: 'email' | 'phone'; joinAccount: boolean } | { kind: 'create' };

export interface Resolution {
  account: AccountChoice;
  contact: ContactChoice;
}

/**
 * The match: a contact by email, else by phone; the account is the matched contact's (the one of its accounts
 * that also shares the lead's domain or company name, else its oldest), else the one holding the email's
 * domain, else the one with the same company name; otherwise a new account when the lead names a company, and
 * a new contact. A reused contact that belongs to no account joins the one found or created.
 */
export function decideResolution(k: ResolutionKeys, c: Candidates): Resolution {
  const byEmail = k.email ? c.contacts.find((x) => x.emails.includes(k.email!)) : undefined;
  const byPhone = !byEmail && k.phone ? c.contacts.find((x) => x.phones.includes(k.phone!)) : undefined;
  const contact = byEmail ?? byPhone;
  const sameDomain = (a: AccountCandidate) => !!k.domain && a.domains.includes(k.domain);
  const sameName = (a: AccountCandidate) => !!k.company && a.normalizedName === k.company;

  let account: AccountChoice = { kind: 'none' };
  const ofContact = contact ? c.accounts.filter((a) => contact.accountIds.includes(a.id)) : [];
  const known = (ofContact.find((a) => sameDomain(a) || sameName(a)) ?? ofContact[0])?.id ?? (contact?.accountIds[0] as string | undefined);
  const byDomain = c.accounts.find(sameDomain);
  const byName = c.accounts.find(sameName);
  if (known) account = { kind: 'reuse', id: known, via: 'contact' };
  else if (byDomain) account = { kind: 'reuse', id: byDomain.id, via: 'domain' };
  else if (byName) account = { kind: 'reuse', id: byName.id, via: 'name' };
  else if (k.company) account = { kind: 'create' };

  if (!contact) return { account, contact: { kind: 'create' } };
  const joinAccount = !contact.accountIds.length && account.kind !== 'none';
  return { account, contact: { kind: 'reuse', id: contact.id, via: byEmail ? 'email' : 'phone', joinAccount } };
}

/** `contact.lead_resolved`, in the journey of the conversion that caused it. */
export function leadResolvedEvent(
  r: { leadId: string; contactId: string; accountId: string | null; contactCreated: boolean; accountCreated: boolean; resolvedAt: string },
  cause: Pick<EventEnvelope, 'id' | 'correlationid'>,
): EventEnvelope {
  return createEvent('contact.lead_resolved', {
    subject: r.contactId,
    time: r.resolvedAt,
    correlationId: cause.correlationid,
    causationId: cause.id,
    data: r,
  });
}

/** The account and contact events a resolution publishes, moved into the journey of the conversion. */
export const inJourney = (events: EventEnvelope[], cause: Pick<EventEnvelope, 'id' | 'correlationid'>): EventEnvelope[] =>
  events.map((e) => ({ ...e, correlationid: cause.correlationid, causationid: cause.id }));
