import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@crm/domain';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { AssignmentService } from './assignment.service';
import { simulate } from './assignment.domain';
import { checkSimulationPeriod, checkSimulationSize, decideCreateRule, decideUpdateRule, proposedRules, type RuleInput } from './rule.domain';
import { AssignmentRuleEntity } from './rule.entity';
import { RulesRepository } from './rules.repository';

const notFound = (id: string) => DomainError.notFound('assignment rule', id);

@Injectable()
export class RulesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: RulesRepository,
    private readonly assignment: AssignmentService,
  ) {}

  list(): Promise<AssignmentRuleEntity[]> {
    return this.rules.list();
  }

  async get(id: string): Promise<AssignmentRuleEntity> {
    const rule = await this.rules.find(id);
    if (!rule) throw notFound(id);
    return rule;
  }

  async create(input: RuleInput): Promise<AssignmentRuleEntity> {
    const rule = await this.rules.insert(decideCreateRule(randomUUID(), input).changes);
    // A new rule may route queued leads to someone.
    await this.assignment.retryUnassigned();
    return rule;
  }

  async update(id: string, input: Partial<RuleInput>, expectedVersion: number): Promise<AssignmentRuleEntity> {
    const rule = await inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: (m) => this.rules.lock(m, id),
        notFound: () => notFound(id),
        expectedVersion,
        decide: () => decideUpdateRule(input),
        save: (m, _rule, changes) => this.rules.update(m, id, changes),
      }),
    );
    await this.assignment.retryUnassigned();
    return rule;
  }

  async remove(id: string): Promise<void> {
    if (!(await this.rules.remove(id))) throw notFound(id);
  }

  /** Runs a proposed rule set over the leads captured in [from, to); reads only. */
  async simulate(dto: { rules: RuleInput[]; from: string; to: string; details?: boolean }) {
    checkSimulationPeriod(dto.from, dto.to);
    const rules = proposedRules(dto.rules);
    const { reps, leads } = await this.rules.snapshot(dto.from, dto.to);
    checkSimulationSize(leads.length);
    const result = simulate(rules, reps, leads);
    return { from: dto.from, to: dto.to, totals: result.totals, reps: result.reps, ...(dto.details && { leads: result.leads }) };
  }
}
