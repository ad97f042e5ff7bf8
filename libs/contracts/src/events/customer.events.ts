import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { Actor, Id, Region, Timestamp } from '../primitives';
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
  data: ContactData,
});
export const ContactUpdated = defineEvent({
  ...customers,
  name: 'contact.updated',
  summary: 'A contact was edited; the data is the contact after the edit.',
  data: ContactData,
});
