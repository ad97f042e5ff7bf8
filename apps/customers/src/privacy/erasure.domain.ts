import { createEvent, type EventEnvelope } from '@crm/contracts';
import { DomainError } from '@crm/domain';
import { ERASED, personalKeyId } from '@crm/privacy';

type Json = Record<string, unknown>;

/** The ids a contact's erasure reaches: what the customers service knows to be the person's. */
export interface ErasureScope {
  contactIds: string[];
  leadIds: string[];
  opportunityIds: string[];
  orderIds: string[];
  receivableIds: string[];
}

/** What an erasure answers, the first time and on every repeat. */
export interface ErasureResult {
  requestId: string;
  contactId: string;
  leadIds: string[];
  opportunityIds: string[];
  orderIds: string[];
  receivableIds: string[];
  erasedAt: string;
}

/** A person copied into an entry (a lead's contact, an order's customer): the company is the account's, it stays. */
const PERSON_OBJECTS = ['contact', 'customer'];
/** Required free text: the key stays so the entry keeps its shape. */
const REQUIRED_TEXT = ['content'];
/** Optional free text written by or about the person: a follow-up's feedback and next step, notes, comments. */
const OPTIONAL_TEXT = ['message', 'customerFeedback', 'nextAction', 'note', 'comment', 'title'];
/** Lists of the person's own words (a converted lead's product needs): kept empty, so the entry keeps its shape. */
const TEXT_LISTS = ['productNeeds'];

const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(strings)
      : value && typeof value === 'object'
        ? Object.values(value).flatMap(strings)
        : [];

/**
 * A timeline entry's detail without the person's values, and the values taken (for forgetPersonalValues). Business
 * facts (amounts, dates, stages, ids, ratings, the company) stay; a contact's own entry loses its name too.
 */
export function scrubDetail(kind: string, detail: Json): { detail: Json; values: string[] } {
  const out: Json = { ...detail };
  const values: string[] = [];
  for (const key of PERSON_OBJECTS) {
    const person = out[key];
    if (!person || typeof person !== 'object') continue;
    const { name, email, phone, ...rest } = person as Json;
    values.push(...strings([name, email, phone]));
    out[key] = { ...rest, name: ERASED };
  }
  for (const key of REQUIRED_TEXT) {
    if (out[key] === undefined) continue;
    values.push(...strings(out[key]));
    out[key] = ERASED;
  }
  for (const key of OPTIONAL_TEXT) {
    if (out[key] === undefined) continue;
    values.push(...strings(out[key]));
    delete out[key];
  }
  for (const key of TEXT_LISTS) {
    if (!Array.isArray(out[key])) continue;
    values.push(...strings(out[key]));
    out[key] = [];
  }
  if (kind.startsWith('contact.') && out.name !== undefined) {
    values.push(...strings(out.name));
    out.name = ERASED;
  }
  return { detail: out, values: values.filter((v) => v && v !== ERASED) };
}

/** A contact as a merge remembered it (survivor before, or the merged one), without the person's values. */
export function scrubContactSnapshot(snapshot: Json): { snapshot: Json; values: string[] } {
  const { name, title, emails, phones, ...rest } = snapshot;
  return { snapshot: { ...rest, name: ERASED, title: null, emails: [], phones: [] }, values: strings([name, title, emails, phones]) };
}

/** A contact merged into another is erased through its survivor, which holds its emails and phones too. */
export function assertErasable(contact: { id: string; mergedInto: string | null }): void {
  if (contact.mergedInto) {
    throw new DomainError({
      kind: 'conflict',
      code: 'MERGED_RECORD',
      detail: `The contact ${contact.id} was merged into ${contact.mergedInto}; erase that one.`,
      extensions: { mergedInto: contact.mergedInto },
    });
  }
}

/**
 * The data keys an erasure destroys, by owning service: the contacts' here, and those of every record it names in
 * `contact.erased` (receivables carry no personal field, so no key). Destroyed in the erasure's own step, no other
 * service can open those records' events once it committed, whatever order they process `contact.erased` in; each
 * owner destroys its own again when it gets there (idempotent: tombstones).
 */
export function erasedKeys(scope: ErasureScope): { owner: string; keyIds: string[] }[] {
  const of = (owner: string, ids: string[]) => ({ owner, keyIds: ids.map((id) => personalKeyId(owner, id)) });
  return [of('customers', scope.contactIds), of('leads', scope.leadIds), of('opportunities', scope.opportunityIds), of('orders', scope.orderIds)].filter(
    (k) => k.keyIds.length > 0,
  );
}

/** The answer and the event of a new erasure. */
export function decideErasure(
  contactId: string,
  scope: ErasureScope,
  ctx: { requestId: string; by: string; now: Date },
): { result: ErasureResult; events: EventEnvelope[] } {
  const { leadIds, opportunityIds, orderIds, receivableIds } = scope;
  const result = { requestId: ctx.requestId, contactId, leadIds, opportunityIds, orderIds, receivableIds, erasedAt: ctx.now.toISOString() };
  const event = createEvent('contact.erased', { subject: contactId, data: { ...result, by: ctx.by } });
  return { result, events: [event] };
}
