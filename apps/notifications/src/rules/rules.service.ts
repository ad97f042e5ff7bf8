import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { DomainError } from '@crm/domain';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { routeChanges, ruleChanges, typeChanges } from '../audit/notifications-audit';
import { decideCreateOrReplace } from '../common/replace.domain';
import { decideTypeEdit, knownEventTypes, typeView, validateRule, type RuleInput, type StoredRule } from './rules.domain';
import { RulesRepository } from './rules.repository';

/** What admins edit of the routing: the rules, the types' criticality and escalation, the product routes. */
@Injectable()
export class RulesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: RulesRepository,
    private readonly audit: AuditTrail,
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
      const saved = decision === 'create' ? await this.repo.insertRule(m, id, rule) : await this.repo.replaceRule(m, id, rule);
      const action = decision === 'create' ? 'created' : 'updated';
      await this.audit.record(m, { recordType: 'notification_rule', recordId: id, action, changes: ruleChanges(current, saved) });
      return { rule: saved, created: decision === 'create' };
    });
  }

  deleteRule(id: string, expectedVersion: number | undefined): Promise<void> {
    return inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: (tx) => this.repo.lockRule(tx, id),
        notFound: () => DomainError.notFound('notification rule', id),
        expectedVersion,
        decide: () => ({ changes: null, events: [] }),
        save: async (tx, current) => {
          await this.repo.deleteRule(tx, id);
          await this.audit.record(tx, { recordType: 'notification_rule', recordId: id, action: 'deleted', changes: ruleChanges(current, null) });
        },
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
        save: async (tx, current, next) => {
          const saved = await this.repo.saveType(tx, next);
          await this.audit.record(tx, { recordType: 'notification_type', recordId: type, action: 'updated', changes: typeChanges(current, saved) });
          return typeView(saved);
        },
      }),
    );
  }

  async listProductRoutes() {
    return { items: await this.repo.productRoutes() };
  }

  putProductRoute(productLine: string, team: string) {
    return inTransaction(this.dataSource, async (m) => {
      const before = await this.repo.lockProductRoute(m, productLine);
      const put = await this.repo.putProductRoute(m, productLine, team);
      const action = put.created ? 'created' : 'updated';
      await this.audit.record(m, { recordType: 'product_route', recordId: productLine, action, changes: routeChanges(before, put.route) });
      return put;
    });
  }

  deleteProductRoute(productLine: string): Promise<void> {
    return inTransaction(this.dataSource, async (m) => {
      const before = await this.repo.lockProductRoute(m, productLine);
      if (!before) throw DomainError.notFound('product route', productLine);
      await this.repo.deleteProductRoute(m, productLine);
      await this.audit.record(m, { recordType: 'product_route', recordId: productLine, action: 'deleted', changes: routeChanges(before, null) });
    });
  }
}
