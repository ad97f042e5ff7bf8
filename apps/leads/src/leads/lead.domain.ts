// Lead rules as pure functions: how contact details are normalised for de-duplication, when two submissions
// are the same person, and which status changes are allowed.
import { DomainError } from '@crm/domain';

export const LEAD_STATUSES = ['new', 'assigned', 'contacted', 'qualified', 'disqualified', 'converted', 'unassigned'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
/** Statuses that count towards a rep's load. */
export const LOAD_STATUSES: readonly LeadStatus[] = ['assigned', 'contacted', 'qualified'];
/** A closed lead never absorbs a new submission and cannot change. */
export const CLOSED_STATUSES: readonly LeadStatus[] = ['disqualified', 'converted'];

export function normalizeEmail(email: string | null | undefined): string | null {
  const e = email?.trim().toLowerCase();
  return e ? e : null;
}

/** Digits only, keeping a leading `+`: "+86 138-0013 8000" and "+8613800138000" are one number. */
export function normalizePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const trimmed = phone.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (!digits) return null;
  return trimmed.startsWith('+') ? `+${digits}` : digits;
}

/** Case, spacing and punctuation do not make another company. */
export function normalizeCompany(company: string | null | undefined): string | null {
  const c = company
    ?.toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return c ? c : null;
}

/** What a conversion recorded on the lead. */
export interface Conversion {
  expectedAmount?: string;
  currency?: string;
  expectedCloseDate?: string;
  productNeeds: string[];
  by: string;
}

/** The lead as its decisions read it (the stored row, loaded under its lock). */
export interface LeadState {
  id: string;
  status: LeadStatus;
  version: number;
  ownerRepId: string | null;
  team: string | null;
  source: string;
  contactName: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  companySize: string | null;
  region: string | null;
  productInterest: string | null;
  needs: string | null;
  /** The lead quality score (0-100); assignment rules may match on it. */
  score: number | null;
  firstFollowedUpAt: Date | null;
  opportunityId: string | null;
  createdAt: Date;
}

export interface ContactKey {
  email: string | null;
  phone: string | null;
  company: string | null;
}

export function contactKey(c: { email?: string | null; phone?: string | null; company?: string | null }): ContactKey {
  return { email: normalizeEmail(c.email), phone: normalizePhone(c.phone), company: normalizeCompany(c.company) };
}

/**
 * Same person: same email, or same phone unless both name a company and the companies differ (a shared
 * switchboard number is not one person).
 */
export function isSamePerson(a: ContactKey, b: ContactKey): boolean {
  if (a.email && b.email && a.email === b.email) return true;
  if (a.phone && b.phone && a.phone === b.phone) return !(a.company && b.company) || a.company === b.company;
  return false;
}

/** The advisory-lock keys a capture holds so two submissions of one person cannot both create a lead. */
export function dedupeLockKeys(key: ContactKey): string[] {
  return [key.email && `lead:email:${key.email}`, key.phone && `lead:phone:${key.phone}`].filter((k): k is string => !!k).sort();
}

export type LeadAction = 'follow_up' | 'qualify' | 'disqualify' | 'convert' | 'reassign' | 'edit';

const ALLOWED: Record<LeadAction, readonly LeadStatus[]> = {
  follow_up: ['assigned', 'contacted', 'qualified'],
  qualify: ['assigned', 'contacted'],
  disqualify: ['new', 'unassigned', 'assigned', 'contacted', 'qualified'],
  convert: ['qualified'],
  reassign: ['unassigned', 'assigned', 'contacted', 'qualified'],
  edit: ['new', 'unassigned', 'assigned', 'contacted', 'qualified'],
};

/** A change the lead's status does not allow (409); a converted lead is read-only. */
export class LeadStateError extends DomainError {
  constructor(
    readonly action: LeadAction,
    readonly status: LeadStatus,
  ) {
    super({
      kind: 'conflict',
      code: status === 'converted' ? 'LEAD_READ_ONLY' : 'ILLEGAL_TRANSITION',
      detail:
        status === 'converted'
          ? `The lead was converted and is read-only; ${action.replace('_', ' ')} is not possible.`
          : `Cannot ${action.replace('_', ' ')} a lead that is ${status}; allowed from: ${ALLOWED[action].join(', ')}.`,
    });
  }
}

/**
 * An erased lead refuses every change (edit, follow-up, qualification, disqualification, conversion, hand-over):
 * a change would bring personal data back under a destroyed key, or act on a person who asked to be forgotten.
 */
export function assertNotErased(lead: { id: string; erasedAt?: Date | null }): void {
  if (lead.erasedAt) throw DomainError.erased('lead', lead.id);
}

export function assertAllowed(action: LeadAction, status: LeadStatus): void {
  if (!ALLOWED[action].includes(status)) throw new LeadStateError(action, status);
}

/** Disqualification reasons that say the rep, not the lead, is wrong: the lead moves on instead of closing. */
export const REROUTE_REASONS = ['wrong_territory', 'wrong_product_line'] as const;
export const DISQUALIFY_REASONS = ['no_budget', 'no_need', 'no_authority', 'bad_contact_data', 'competitor', 'spam', 'other', ...REROUTE_REASONS] as const;
export type DisqualifyReason = (typeof DISQUALIFY_REASONS)[number];
export const reroutes = (reason: DisqualifyReason) => (REROUTE_REASONS as readonly string[]).includes(reason);
