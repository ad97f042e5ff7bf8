// Erasure of a lead's personal data as pure decisions: whether a lead may be erased on its own, what to scrub
// from free text written about it, and which closed leads have outlived their retention period.
import type { EventOf } from '@crm/contracts';
import { DomainError, nothingToDo, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { ERASED } from '@crm/privacy';

export type ErasureReason = EventOf<'lead.erased'>['data']['reason'];

/** The lead as an erasure reads it, under its row lock. */
export interface ErasableLead {
  id: string;
  contactId: string | null;
  opportunityId: string | null;
  erasedAt: Date | null;
}

/**
 * Erases a lead on its own (a request, or its retention period ending): refused for a lead that became a contact,
 * whose person is erased in the customers service (which erases the lead with it); nothing to do once erased.
 */
export function decideErasure(lead: ErasableLead, cmd: { reason: ErasureReason; by: string; now: Date }): Decision<{ erase: boolean }> {
  if (lead.contactId) {
    throw new DomainError({
      kind: 'conflict',
      code: 'LEAD_IS_CONTACT',
      detail: `The lead became contact ${lead.contactId}: erase the contact in the customers service, which erases its leads with it.`,
      extensions: { contactId: lead.contactId },
    });
  }
  if (lead.erasedAt) return nothingToDo({ erase: false });
  const erased = newEvent('lead.erased', {
    subject: lead.id,
    data: {
      leadId: lead.id,
      reason: cmd.reason,
      opportunityIds: lead.opportunityId ? [lead.opportunityId] : [],
      by: cmd.by,
      erasedAt: cmd.now.toISOString(),
    },
  });
  return { changes: { erase: true }, events: [erased] };
}

/** The person's values among texts read from the records (blank, placeholder and duplicate ones left out). */
export function personalValues(texts: readonly (string | null | undefined)[]): string[] {
  const values = texts.map((t) => t?.trim()).filter((t): t is string => !!t && t !== ERASED);
  return [...new Set(values)];
}

/** The text with every occurrence of the values replaced by "[erased]", longest value first (a name inside an email). */
export function redact(text: string, values: readonly string[]): string {
  // Under 3 characters a value matches too much (as forgetPersonalValues judges too).
  const long = values.filter((v) => v.length >= 3).sort((a, b) => b.length - a.length);
  return long.reduce((t, v) => t.split(v).join(ERASED), text);
}

/** A disqualification reason keeps its code and loses the rep's note about the person ("no_budget: call in May"). */
export function reasonCode(reason: string): string {
  const colon = reason.indexOf(':');
  return colon < 0 ? reason : reason.slice(0, colon);
}

/** Retention periods in days; 0 turns a rule off. */
export interface RetentionSettings {
  /** A disqualified lead is erased this long after its disqualification. */
  disqualifiedDays: number;
  /** A lead never converted is erased after this long without a follow-up or a change. */
  unconvertedDays: number;
}

export const DEFAULT_RETENTION: RetentionSettings = { disqualifiedDays: 730, unconvertedDays: 1095 };

const DAY_MS = 86_400_000;

/** The instants before which each rule's leads are due, as of `now`; null for a rule turned off. */
export function retentionCutoffs(settings: RetentionSettings, now: Date): { disqualifiedBefore: Date | null; untouchedBefore: Date | null } {
  const before = (days: number) => (days > 0 ? new Date(now.getTime() - days * DAY_MS) : null);
  return { disqualifiedBefore: before(settings.disqualifiedDays), untouchedBefore: before(settings.unconvertedDays) };
}
