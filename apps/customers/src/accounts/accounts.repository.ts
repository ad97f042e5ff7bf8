import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { paginate, restrictToScope, type AuthUser, type Page } from '@crm/http';
import { whereTextMatches } from '@crm/persistence';
import { restrictToVisible } from '../visibility';
import type { AccountRow } from './account.domain';
import { AccountEntity } from './account.entity';
import type { ListAccountsQuery } from './accounts.dto';

/** The accounts: every write of an account command, and the caller's views of them. */
@Injectable()
export class AccountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The accounts the caller may see: a rep their own, a manager their team's, admin all. */
  scoped(user: AuthUser, m: EntityManager = this.dataSource.manager) {
    return restrictToScope(m.getRepository(AccountEntity).createQueryBuilder('a'), user, { rep: 'a.ownerRepId', team: 'a.team' });
  }

  /** What the caller may read: their scope, and accounts they have open work with (`restrictToVisible`). */
  visible(user: AuthUser, m: EntityManager = this.dataSource.manager) {
    return restrictToVisible(m.getRepository(AccountEntity).createQueryBuilder('a'), user, { alias: 'a', kind: 'account' });
  }

  /** Without a caller: any account (an undo restoring the account a merge took away). */
  async lockVisible(m: EntityManager, user: AuthUser | undefined, id: string): Promise<AccountEntity | undefined> {
    const qb = user ? this.scoped(user, m) : m.getRepository(AccountEntity).createQueryBuilder('a').where('1 = 1');
    return (await qb.andWhere('a.id = :id', { id }).setLock('pessimistic_write').getOne()) ?? undefined;
  }

  async get(user: AuthUser, id: string): Promise<AccountEntity | undefined> {
    return (await this.visible(user).andWhere('a.id = :id', { id }).getOne()) ?? undefined;
  }

  /** Names of the given accounts, for the contacts' search text; unknown and merged-away ids are left out. */
  async names(m: EntityManager, ids: string[]): Promise<{ id: string; name: string }[]> {
    return ids.length ? m.query('SELECT id, name FROM accounts WHERE id = ANY($1::uuid[]) AND merged_into IS NULL', [ids]) : [];
  }

  async insert(m: EntityManager, a: AccountRow, by: string): Promise<AccountEntity> {
    await m.query(
      `INSERT INTO accounts (id, name, domains, industry, size, region, tax_id, billing_address, shipping_address, owner_rep_id, team,
                             normalized_name, name_bigrams, search_text, currency, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [...this.values(a), by],
    );
    return m.findOneByOrFail(AccountEntity, { id: a.id });
  }

  async update(m: EntityManager, a: AccountRow): Promise<AccountEntity> {
    await m.query(
      `UPDATE accounts SET name = $2, domains = $3, industry = $4, size = $5, region = $6, tax_id = $7, billing_address = $8, shipping_address = $9,
              owner_rep_id = $10, team = $11, normalized_name = $12, name_bigrams = $13, search_text = $14, currency = $15, version = version + 1, updated_at = now()
        WHERE id = $1`,
      this.values(a),
    );
    return m.findOneByOrFail(AccountEntity, { id: a.id });
  }

  private values(a: AccountRow): unknown[] {
    const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
    return [
      a.id,
      a.name,
      a.domains,
      a.industry,
      a.size,
      a.region,
      a.taxId,
      json(a.billingAddress),
      json(a.shippingAddress),
      a.ownerRepId,
      a.team,
      a.normalizedName,
      a.nameBigrams,
      a.searchText,
      a.currency,
    ];
  }

  list(user: AuthUser, query: ListAccountsQuery): Promise<Page<AccountEntity>> {
    // A merged-away account is only reachable by its id (GET follows `mergedInto`).
    const qb = this.visible(user).andWhere('a.mergedInto IS NULL');
    // The trigram GIN index serves the fragment, Latin or Chinese, anywhere in the name, domains or tax id.
    if (query.q) whereTextMatches(qb, 'a.search_text', query.q);
    if (query.ownerId) qb.andWhere('a.ownerRepId = :ownerId', { ownerId: query.ownerId });
    if (query.team) qb.andWhere('a.team = :team', { team: query.team });
    if (query.region) qb.andWhere('a.region = :region', { region: query.region });
    if (query.industry) qb.andWhere('a.industry = :industry', { industry: query.industry });
    if (query.domain) qb.andWhere(':domain = ANY(a.domains)', { domain: query.domain.toLowerCase() });
    return paginate(qb, { sort: { column: 'a.createdAt', direction: 'DESC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }
}
