import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { accessScope, paginate, restrictToScope, type AuthUser, type Page } from '@crm/http';
import { whereTextMatches } from '@crm/persistence';
import { restrictToVisible } from '../visibility';
import type { ContactRow } from './contact.domain';
import { ContactEntity, type Membership } from './contact.entity';
import type { ListContactsQuery } from './contacts.dto';

/** A contact under its row lock, with the accounts it belongs to now. */
export type LockedContact = ContactEntity & { accountIds: string[] };

/** The contacts and their account memberships: every write of a contact command, and the caller's views. */
@Injectable()
export class ContactsRepository {
  constructor(private readonly dataSource: DataSource) {}

  scoped(user: AuthUser, m: EntityManager = this.dataSource.manager) {
    return restrictToScope(m.getRepository(ContactEntity).createQueryBuilder('c'), user, { rep: 'c.ownerRepId', team: 'c.team' });
  }

  /** What the caller may read: their scope, and the contacts of accounts they have open work with (`restrictToVisible`). */
  visible(user: AuthUser, m: EntityManager = this.dataSource.manager) {
    return restrictToVisible(m.getRepository(ContactEntity).createQueryBuilder('c'), user, { alias: 'c', kind: 'contact' });
  }

  /**
   * `visible`, read from the contacts newest first: a scoped caller's visibility is checked per contact
   * (memberships, open records), so it is checked only until the page is full, not for every match of a common
   * fragment (15,000 for "jame" in 1 M contacts, of which a rep sees 1 in 30). The planner pushes `list`'s plain
   * conditions (the text match, the cursor) into the subquery; the visibility, having subqueries, stays out of it.
   */
  private visibleNewestFirst(user: AuthUser) {
    const qb = this.visible(user);
    // The main alias stays the entity (columns, mapping, pagination); only its FROM becomes the ordered rows.
    qb.expressionMap.mainAlias!.subQuery = '(SELECT * FROM contacts ORDER BY created_at DESC, id DESC)';
    return qb;
  }

  /** Without a caller: any contact (a merge moving memberships of contacts the caller need not see). */
  async lockVisible(m: EntityManager, user: AuthUser | undefined, id: string): Promise<LockedContact | undefined> {
    const qb = user ? this.scoped(user, m) : m.getRepository(ContactEntity).createQueryBuilder('c').where('1 = 1');
    const contact = await qb.andWhere('c.id = :id', { id }).setLock('pessimistic_write').getOne();
    return contact ? { ...contact, accountIds: await this.currentAccounts(m, id) } : undefined;
  }

  async currentAccounts(m: EntityManager, id: string): Promise<string[]> {
    const rows: { account_id: string }[] = await m.query(
      'SELECT account_id FROM contact_accounts WHERE contact_id = $1 AND until IS NULL ORDER BY since, account_id',
      [id],
    );
    return rows.map((r) => r.account_id);
  }

  /** The contact with every membership it has had, newest first, when the caller may see it (any, without a caller: what a command just saved). */
  async details(
    user: AuthUser | undefined,
    id: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<(ContactEntity & { memberships: Membership[] }) | undefined> {
    const qb = user ? this.visible(user, m) : m.getRepository(ContactEntity).createQueryBuilder('c').where('1 = 1');
    const contact = await qb.andWhere('c.id = :id', { id }).getOne();
    if (!contact) return undefined;
    const memberships: Membership[] = await m.query(
      `SELECT ca.account_id AS "accountId", a.name AS "accountName", ca.since, ca.until
         FROM contact_accounts ca JOIN accounts a ON a.id = ca.account_id
        WHERE ca.contact_id = $1 ORDER BY ca.since DESC, ca.account_id`,
      [id],
    );
    return { ...contact, memberships };
  }

  async insert(m: EntityManager, c: ContactRow, by: string, now: Date): Promise<void> {
    await m.query(
      `INSERT INTO contacts (id, name, title, emails, phones, preferred_channel, owner_rep_id, team, normalized_emails, normalized_phones, search_text, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [...this.values(c), by],
    );
    await this.saveMemberships(m, c, now);
  }

  async update(m: EntityManager, c: ContactRow, now: Date): Promise<void> {
    await m.query(
      `UPDATE contacts SET name = $2, title = $3, emails = $4, phones = $5, preferred_channel = $6, owner_rep_id = $7, team = $8,
              normalized_emails = $9, normalized_phones = $10, search_text = $11, version = version + 1, updated_at = now()
        WHERE id = $1`,
      this.values(c),
    );
    await this.saveMemberships(m, c, now);
  }

  /** A membership that ends keeps its row with `until`; one that starts gets a new row. */
  private async saveMemberships(m: EntityManager, c: ContactRow, now: Date): Promise<void> {
    if (c.leave.length) {
      await m.query('UPDATE contact_accounts SET until = $3 WHERE contact_id = $1 AND account_id = ANY($2::uuid[]) AND until IS NULL', [c.id, c.leave, now]);
    }
    for (const accountId of c.join) await m.query('INSERT INTO contact_accounts (contact_id, account_id, since) VALUES ($1, $2, $3)', [c.id, accountId, now]);
  }

  private values(c: ContactRow): unknown[] {
    return [c.id, c.name, c.title, c.emails, c.phones, c.preferredChannel, c.ownerRepId, c.team, c.normalizedEmails, c.normalizedPhones, c.searchText];
  }

  list(user: AuthUser, query: ListContactsQuery): Promise<Page<ContactEntity>> {
    const qb = query.q && accessScope(user).kind !== 'all' ? this.visibleNewestFirst(user) : this.visible(user);
    // Merged-away and erased contacts are left out: an erased one can never be found by what it was.
    qb.andWhere('c.mergedInto IS NULL').andWhere('c.erasedAt IS NULL');
    // Name, company, email or phone fragment: trigram index, or the Chinese-pair index for two characters.
    if (query.q) whereTextMatches(qb, 'c.search_text', query.q);
    if (query.accountId) {
      qb.andWhere('EXISTS (SELECT 1 FROM contact_accounts ca WHERE ca.contact_id = c.id AND ca.account_id = :accountId AND ca.until IS NULL)', {
        accountId: query.accountId,
      });
    }
    if (query.ownerId) qb.andWhere('c.ownerRepId = :ownerId', { ownerId: query.ownerId });
    if (query.team) qb.andWhere('c.team = :team', { team: query.team });
    return paginate(qb, { sort: { column: 'c.createdAt', direction: 'DESC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }
}
