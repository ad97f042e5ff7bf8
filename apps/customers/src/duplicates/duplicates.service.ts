import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '@crm/domain';
import type { AuthUser } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { assertNoDuplicates, decideRuleEdit, findDuplicates, hanBigrams, type DuplicateKeys, type DuplicateRule } from './duplicate.domain';
import { DuplicatesRepository, type StoredRule } from './duplicates.repository';

export const DUPLICATE_CANDIDATES = Symbol('DUPLICATE_CANDIDATES');

/** Runs the duplicate rules on a save, and the admins' edits of the rules. */
@Injectable()
export class DuplicatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: DuplicatesRepository,
    @Inject(DUPLICATE_CANDIDATES) private readonly limit: number,
  ) {}

  /** Throws DUPLICATE_BLOCKED / DUPLICATE_WARNING (409 with the matches) unless the account may be saved. */
  async checkAccount(m: EntityManager, keys: DuplicateKeys, allowDuplicate: boolean, exceptId?: string): Promise<void> {
    const rules = await this.repo.rules(m, 'account');
    await this.repo.lockKeys(m, 'account', keys.domains);
    const fuzzy = rules.filter((r) => r.enabled && r.match === 'fuzzy').map((r) => r.threshold ?? 1);
    const candidates = await this.repo.accountCandidates(m, { ...keys, bigrams: hanBigrams(keys.name) }, Math.min(1, ...fuzzy), this.limit, exceptId);
    assertNoDuplicates('account', findDuplicates(rules, keys, candidates), allowDuplicate);
  }

  async checkContact(m: EntityManager, keys: DuplicateKeys, allowDuplicate: boolean, exceptId?: string): Promise<void> {
    const rules = await this.repo.rules(m, 'contact');
    await this.repo.lockKeys(m, 'contact', [...keys.emails, ...keys.phones]);
    const candidates = await this.repo.contactCandidates(m, keys, this.limit, exceptId);
    assertNoDuplicates('contact', findDuplicates(rules, keys, candidates), allowDuplicate);
  }

  listRules(): Promise<{ items: StoredRule[] }> {
    return this.repo.rules().then((items) => ({ items }));
  }

  updateRule(user: AuthUser, id: string, edit: Partial<Pick<DuplicateRule, 'match' | 'threshold' | 'action' | 'enabled'>>, expectedVersion: number) {
    return inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: (tx) => this.repo.lockRule(tx, id),
        notFound: () => DomainError.notFound('duplicate rule', id),
        expectedVersion,
        decide: (rule) => ({ changes: decideRuleEdit(rule, edit), events: [] }),
        save: (tx, _rule, next) => this.repo.saveRule(tx, next, user.sub),
      }),
    );
  }
}
