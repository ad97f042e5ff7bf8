import type { EventData, EventEnvelope, EventName } from '@crm/contracts';
import { RULES, type Rule } from './timeline.rules';

/** A record of another service that the timeline follows, and the customer's own records. */
export type RecordKind = 'lead' | 'opportunity' | 'order' | 'receivable';
export type EntryRecordKind = RecordKind | 'account' | 'contact';

/** The account and contact a record names itself (not inherited from its parent). */
export interface Link {
  accountId: string | null;
  contactId: string | null;
}

/** One timeline row; account, contact, rep and team of a record's entry come from its customer record. */
export interface EntryDraft {
  kind: string;
  recordKind: EntryRecordKind;
  recordId: string;
  at: string;
  detail: Record<string, unknown>;
  /** Only for account and contact entries, which have no customer record. */
  own?: Link & { repId: string | null; team: string | null };
}

/** What an event changes on its customer record; left out = unchanged. */
export interface RecordPatch {
  recordKind: RecordKind;
  recordId: string;
  parentId?: string | null;
  link?: Link;
  repId?: string;
  team?: string | null;
  status?: string;
  open?: boolean;
  amount?: string;
  currency?: string;
  /** Added to what was paid so far (once per event: the entry is new). */
  paid?: string;
  confirmedAt?: string;
  rating?: number;
  followUpAt?: string;
}

export interface TimelineFact {
  entry?: EntryDraft;
  record?: RecordPatch;
}

/** The event types the timeline is built from. */
export const TIMELINE_EVENT_NAMES = Object.keys(RULES) as EventName[];

/** Which entry an event makes and what it changes on its record; an event the timeline ignores makes nothing. */
export function timelineFact(event: Pick<EventEnvelope, 'type' | 'data'>): TimelineFact {
  const rule = RULES[event.type.replace(/^crm\./, '') as EventName] as Rule<EventName> | undefined;
  return rule ? rule(event.data as EventData<EventName>) : {};
}

const PATHS: Record<EntryRecordKind, string> = {
  lead: 'leads',
  opportunity: 'opportunities',
  order: 'orders',
  receivable: 'receivables',
  account: 'accounts',
  contact: 'contacts',
};

/** Where a screen opens the record an entry is about (on the service that owns it). */
export const recordLink = (recordKind: EntryRecordKind, recordId: string): string => `/api/v1/${PATHS[recordKind]}/${recordId}`;
