import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@crm/domain';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { decideCreateOrReplace } from '../common/replace.domain';
import { decideTypeEdit, knownEventTypes, typeView, validateRule, type RuleInput, type StoredRule } from './rules.domain';
import { RulesRepository } from './rules.repository';

/** What admins edit of the routing: the rules, the types' criticality and escalation, the product routes. */
@Injectable()
export class RulesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: RulesRepository,
  ) {}

  async listRules() {
    return { items: await this.repo.rules(), eventTypes: knownEventTypes() };
  }

  /** Creates (no If-Match) or replaces (If-Match) a rule; the fan-out reads rules per trigger, so it applies at once. */
  putRule(id: string, input: RuleInput, expectedVersion: number | undefined): Promise<{ rule: StoredRule; created: boolean }> {
    const rule = validateRule(id, input);
    return inTransaction(this.dataSource, async (m) => {
      const current = await this.repo.lockRule(m, id);
      const decision = decideCreateOrReplace('notification rule', id, current, expectedVersion);
      if (decision === 'create') return { rule: await this.repo.insertRule(m, id, rule), created: true };
      return { rule: await this.repo.replaceRule(m, id, rule), created: false };
    });
  }

  deleteRule(id: string, expectedVersion: number | undefined): Promise<void> {
    return inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: (tx) => this.repo.lockRule(tx, id),
        notFound: () => DomainError.notFound('notification rule', id),
        expectedVersion,
        decide: () => ({ changes: null, events: [] }),
        save: (tx) => this.repo.deleteRule(tx, id),
      }),
    );
  }

  async listTypes() {
    return { items: (await this.repo.types()).map(typeView) };
  }

  editType(type: string, edit: { critical?: boolean; escalateAfterMinutes?: number | null }, expectedVersion: number) {
    return inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: (tx) => this.repo.lockType(tx, type),
        notFound: () => DomainError.notFound('notification type', type),
        expectedVersion,
        decide: (current) => ({ changes: decideTypeEdit(current, edit), events: [] }),
        save: async (tx, _current, next) => typeView(await this.repo.saveType(tx, next)),
      }),
    );
  }

  async listProductRoutes() {
    return { items: await this.repo.productRoutes() };
  }

  putProductRoute(productLine: string, team: string) {
    return this.repo.putProductRoute(productLine, team);
  }

  async deleteProductRoute(productLine: string): Promise<void> {
    if (!(await this.repo.deleteProductRoute(productLine))) throw DomainError.notFound('product route', productLine);
  }
}
