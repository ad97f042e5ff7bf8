import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { Actor, Address, Currency, Id, Region, Timestamp } from '../primitives';
import { Topics } from '../topics';

const customers = { topic: Topics.customers, source: 'customers' } as const;

/** What an account event carries: the account as it now is (subject = account id). */
const AccountData = z.object({
  accountId: Id,
  name: z.string().min(1).max(200),
  domains: z.array(z.string().min(1).max(253)),
  industry: z.string().max(100).nullable(),
  size: z.string().max(32).nullable(),
  region: Region.nullable(),
  taxId: z.string().max(64).nullable().optional(),
  billingAddress: Address.nullable().optional().describe('added later: orders take it as the default billing address'),
  shippingAddress: Address.nullable().optional().describe('added later: orders take it as the default shipping address'),
  currency: Currency.nullable()
    .optional()
    .describe('added later: the account’s trading currency (ISO 4217); accounts in different currencies cannot be merged'),
  ownerRepId: Id.nullable(),
  team: z.string().max(64).nullable(),
  version: z.number().int().positive(),
  by: Actor,
  at: Timestamp,
});

/** What a contact event carries: the person as they now are, with the accounts they currently belong to. */
const ContactData = z.object({
  contactId: Id,
  name: z.string().min(1).max(200),
  title: z.string().max(200).nullable(),
  emails: z.array(z.string().min(3).max(254)),
  phones: z.array(z.string().min(1).max(40)),
  preferredChannel: z.string().max(32).nullable(),
  accountIds: z.array(Id).describe('the accounts the person belongs to now (earlier memberships stay in the customers service)'),
  version: z.number().int().positive(),
  by: Actor,
  at: Timestamp,
});

export const AccountCreated = defineEvent({ ...customers, name: 'account.created', summary: 'A customer account (a company) was created.', data: AccountData });
export const AccountUpdated = defineEvent({
  ...customers,
  name: 'account.updated',
  summary: 'A customer account was edited; the data is the account after the edit.',
  data: AccountData,
});
export const ContactCreated = defineEvent({
  ...customers,
  name: 'contact.created',
  summary: 'A contact (a person at one or more accounts) was created.',
  personal: ['name', 'emails', 'phones'],
  data: ContactData,
});
export const ContactUpdated = defineEvent({
  ...customers,
  name: 'contact.updated',
  summary: 'A contact was edited; the data is the contact after the edit.',
  personal: ['name', 'emails', 'phones'],
  data: ContactData,
});

/** A merge: the losing record's references move to the survivor in every service (ADR 0018). */
const MergeData = z.object({
  mergeId: Id.describe('names the merge; its undo carries the same id'),
  survivorId: Id.describe('the record that stays'),
  mergedId: Id.describe('the record merged away; its references now point at the survivor'),
  by: Actor,
  at: Timestamp,
});
/** An undo: the references the merge moved go back to the restored record. */
const MergeUndoneData = z.object({
  mergeId: Id,
  survivorId: Id,
  restoredId: Id.describe('the record the merge had removed, back again'),
  by: Actor,
  at: Timestamp,
});

export const AccountMerged = defineEvent({
  ...customers,
  name: 'account.merged',
  summary: 'Two accounts were merged: every reference to the merged account now points at the survivor (subject = survivor).',
  data: MergeData,
});
export const AccountMergeUndone = defineEvent({
  ...customers,
  name: 'account.merge_undone',
  summary: 'An account merge was undone: the references it moved point at the restored account again (subject = survivor).',
  data: MergeUndoneData,
});
export const ContactMerged = defineEvent({
  ...customers,
  name: 'contact.merged',
  summary: 'Two contacts were merged: every reference to the merged contact now points at the survivor (subject = survivor).',
  data: MergeData,
});
export const ContactMergeUndone = defineEvent({
  ...customers,
  name: 'contact.merge_undone',
  summary: 'A contact merge was undone: the references it moved point at the restored contact again (subject = survivor).',
  data: MergeUndoneData,
});

export const ContactLeadResolved = defineEvent({
  ...customers,
  name: 'contact.lead_resolved',
  summary: 'A converted lead was matched to an existing account and contact, or they were created from it (subject = contact).',
  data: z.object({
    leadId: Id,
    contactId: Id,
    accountId: Id.nullable().describe('null: the lead named no company'),
    contactCreated: z.boolean().describe('false: an existing contact matched'),
    accountCreated: z.boolean(),
    resolvedAt: Timestamp,
  }),
});

export const ContactErased = defineEvent({
  ...customers,
  name: 'contact.erased',
  summary:
    "A person's personal data was erased on request (PIPL art. 47, GDPR art. 17): each service scrubs it from the records listed, keeps their business facts, and destroys their keys (subject = contact).",
  data: z.object({
    contactId: Id,
    leadIds: z.array(Id).describe('the leads resolved to the contact'),
    opportunityIds: z.array(Id),
    orderIds: z.array(Id),
    receivableIds: z.array(Id),
    requestId: Id.describe('the erasure request, as audited'),
    by: Actor,
    erasedAt: Timestamp,
  }),
});
