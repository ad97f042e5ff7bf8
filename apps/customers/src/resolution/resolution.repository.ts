import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ContactState } from '../contacts/contact.domain';
import { ContactsRepository } from '../contacts/contacts.repository';
import type { Candidates, ResolutionKeys } from './resolution.domain';

export interface StoredResolution {
  leadId: string;
  contactId: string;
  accountId: string | null;
  contactCreated: boolean;
  accountCreated: boolean;
  resolvedAt: Date;
}

/** How many exact matches of one key a resolution looks at; more than one is already a duplicate to merge. */
const CANDIDATES = 20;

/** Lead resolutions, and the exact-match lookups behind them (a few indexed queries per lead, historical or live). */
@Injectable()
export class ResolutionRepository {
  constructor(private readonly contacts: ContactsRepository) {}

  /** One statement takes every key's lock, in hash order, so two resolutions never wait on each other crosswise. */
  async lock(m: EntityManager, keys: string[]): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS keys', [keys]);
  }

  async find(m: EntityManager, leadId: string): Promise<StoredResolution | undefined> {
    const [row] = await m.query(
      `SELECT lead_id AS "leadId", contact_id AS "contactId", account_id AS "accountId", contact_created AS "contactCreated",
              account_created AS "accountCreated", resolved_at AS "resolvedAt"
         FROM lead_resolutions WHERE lead_id = $1`,
      [leadId],
    );
    return row;
  }

  async insert(m: EntityManager, r: StoredResolution, eventId: string): Promise<void> {
    await m.query(
      `INSERT INTO lead_resolutions (lead_id, contact_id, account_id, contact_created, account_created, resolved_at, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [r.leadId, r.contactId, r.accountId, r.contactCreated, r.accountCreated, r.resolvedAt, eventId],
    );
  }

  /** Contacts with the email or phone (with their current accounts), then the accounts of those, of the domain or of the name; never a record merged away. */
  async candidates(m: EntityManager, k: ResolutionKeys): Promise<Candidates> {
    const contacts: Candidates['contacts'] =
      k.email || k.phone
        ? await m.query(
            `SELECT c.id, c.normalized_emails AS emails, c.normalized_phones AS phones,
                    COALESCE((SELECT array_agg(ca.account_id ORDER BY ca.since, ca.account_id) FROM contact_accounts ca
                               WHERE ca.contact_id = c.id AND ca.until IS NULL), '{}') AS "accountIds"
               FROM contacts c
              WHERE (c.normalized_emails @> ARRAY[$1]::text[] OR c.normalized_phones @> ARRAY[$2]::text[]) AND c.merged_into IS NULL
              ORDER BY c.created_at, c.id LIMIT $3`,
            [k.email ?? '', k.phone ?? '', CANDIDATES],
          )
        : [];
    const ofContacts = contacts.flatMap((c) => c.accountIds);
    if (!ofContacts.length && !k.domain && !k.company) return { contacts, accounts: [] };
    // `domains @>` and `normalized_name =` are served by the GIN indexes (array and trigram).
    const accounts: Candidates['accounts'] = await m.query(
      `SELECT id, domains, normalized_name AS "normalizedName" FROM accounts
        WHERE (id = ANY($1::uuid[]) OR domains @> ARRAY[$2]::text[] OR normalized_name = $3) AND merged_into IS NULL
        ORDER BY created_at, id LIMIT $4`,
      [ofContacts, k.domain ?? '', k.company ?? '', CANDIDATES + ofContacts.length],
    );
    return { contacts, accounts };
  }

  /** A contact the resolution adds to an account, locked, as the contact decisions take it. */
  async lockContact(m: EntityManager, id: string): Promise<ContactState> {
    const [c] = await m.query(
      `SELECT id, name, title, emails, phones, preferred_channel AS "preferredChannel", owner_rep_id AS "ownerRepId", team, version
         FROM contacts WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return { ...c, accountIds: await this.contacts.currentAccounts(m, id) };
  }
}
