// Capture as pure decisions: a new lead with its `lead.captured` event, or a repeat submission of an open
// lead's person kept as a touch that may fill the contact details the lead lacks.
import type { EventOf } from '@crm/contracts';
import type { Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { isSamePerson, type ContactKey } from './lead.domain';

/** What one channel submitted about a lead (validated field by field), with the channel. */
// A type, not an interface: it is stored as it came, in a JSON column.
export type CaptureInput = {
  source: string;
  name: string;
  email?: string;
  phone?: string;
  company?: string;
  companySize?: string;
  region?: string;
  productInterest?: string;
  needs?: string;
  campaign?: string;
  customFields?: Record<string, string | number | boolean>;
};

export interface NewLead {
  id: string;
  source: string;
  campaign: string | null;
  contactName: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  key: ContactKey;
  companySize: string | null;
  region: string | null;
  productInterest: string | null;
  needs: string | null;
  customFields: Record<string, string | number | boolean>;
  createdBy: string;
  createdAt: Date;
}

export interface Touch {
  id: string;
  leadId: string;
  source: string;
  campaign: string | null;
  /** The submission as it came. */
  submitted: CaptureInput;
  by: string;
  at: Date;
}

/** Contact details a repeat submission offers; stored only where the lead has none. */
export interface OfferedContact {
  email: string | null;
  phone: string | null;
  company: string | null;
  key: ContactKey;
}

/** The first open lead (oldest first) that is the same person as the submission. */
export function samePersonAmong<L extends ContactKey & { id: string }>(key: ContactKey, openLeads: readonly L[]): L | undefined {
  return openLeads.find((lead) => isSamePerson(key, lead));
}

/** A new lead, status `new` until the assignment runs. */
export function decideCapture(input: CaptureInput, key: ContactKey, cmd: { id: string; by: string; now: Date }): Decision<NewLead> {
  const { id, now } = cmd;
  const lead: NewLead = {
    id,
    source: input.source,
    campaign: input.campaign ?? null,
    contactName: input.name,
    email: input.email?.trim() ?? null,
    phone: input.phone?.trim() ?? null,
    company: input.company ?? null,
    key,
    companySize: input.companySize ?? null,
    region: input.region ?? null,
    productInterest: input.productInterest ?? null,
    needs: input.needs ?? null,
    customFields: input.customFields ?? {},
    createdBy: cmd.by,
    createdAt: now,
  };
  const captured = newEvent('lead.captured', {
    subject: id,
    data: {
      leadId: id,
      source: input.source as EventOf<'lead.captured'>['data']['source'],
      // An optional field sent as null passes validation; the event contract knows only absent fields.
      campaign: input.campaign ?? undefined,
      contact: { name: input.name, company: input.company ?? undefined, email: input.email?.trim(), phone: input.phone?.trim() },
      companySize: (input.companySize ?? undefined) as EventOf<'lead.captured'>['data']['companySize'],
      region: input.region ?? undefined,
      productLine: input.productInterest ?? undefined,
      message: input.needs ?? undefined,
      capturedAt: now.toISOString(),
    },
  });
  return { changes: lead, events: [captured] };
}

/** A repeat submission is kept as a touch; it fills contact details the lead lacked, never overwrites. No event. */
export function decideMerge(
  leadId: string,
  input: CaptureInput,
  key: ContactKey,
  cmd: { touchId: string; by: string; now: Date },
): Decision<{ touch: Touch; offered: OfferedContact }> {
  return {
    changes: {
      touch: { id: cmd.touchId, leadId, source: input.source, campaign: input.campaign ?? null, submitted: { ...input }, by: cmd.by, at: cmd.now },
      offered: { email: input.email?.trim() ?? null, phone: input.phone?.trim() ?? null, company: input.company ?? null, key },
    },
    events: [],
  };
}
