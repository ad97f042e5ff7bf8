import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { DomainError } from '@crm/domain';
import { accessScope, type AccessScope, type AuthUser } from '@crm/http';
import { inTransaction } from '@crm/persistence';
import { planChanges, planId } from '../audit/analytics-audit';
import { periodError } from '../quotas/quotas.service';
import { KpiService } from '../reporting/kpi.service';
import { ReportRepository } from '../reporting/report.repository';
import { isPeriod } from '../reporting/stats.domain';
import { userTeamScope } from '../reporting/team-scope';
import { checkPlanTerms, decidePlanWrite, earnedIncentives, type EarnedIncentive, type IncentivePlan, type PlanTerms } from './incentive.domain';
import { IncentivePlansRepository } from './incentive-plans.repository';

export type IncentiveLine = EarnedIncentive & { planVersion: number };

const checkKey = (period: string, team: string) => {
  if (!isPeriod(period)) throw periodError();
  if (!team.trim() || team.length > 100) throw DomainError.invalidInput('team', 'isTeam', 'team must be a team name of 1 to 100 characters');
};
const notFound = (period: string, team: string) =>
  new DomainError({ kind: 'not_found', detail: `No incentive plan ${period} / ${team} among the plans you may see.` });

/** Incentive plans per period and team, and what each rep earned under them from the KPI figures. */
@Injectable()
export class IncentivesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly plans: IncentivePlansRepository,
    private readonly kpis: KpiService,
    private readonly reports: ReportRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** Creates the team's plan for the period, or replaces it at the version the caller read. Admins: any team; managers: their own. */
  async put(period: string, team: string, terms: PlanTerms, user: AuthUser, expected: number | undefined): Promise<IncentivePlan> {
    checkKey(period, team);
    const scope = accessScope(user);
    if (scope.kind !== 'all' && !(scope.kind === 'team' && scope.team === team)) {
      throw DomainError.forbidden('You can set incentive plans only for your own team.', 'TEAM_NOT_YOURS');
    }
    checkPlanTerms(terms);
    return inTransaction(this.dataSource, async (m) => {
      const before = await this.plans.lock(m, period, team);
      const write = decidePlanWrite(before, expected, `${period} / ${team}`);
      const saved = write === 'insert' ? await this.plans.insert(m, period, team, terms, user.sub) : await this.plans.update(m, period, team, terms, user.sub);
      const action = write === 'insert' ? 'created' : 'updated';
      await this.audit.record(m, { recordType: 'incentive_plan', recordId: planId(period, team), action, changes: planChanges(before, saved) });
      return saved;
    });
  }

  async remove(period: string, team: string, user: AuthUser, expected: number): Promise<void> {
    checkKey(period, team);
    const scope = accessScope(user);
    if (scope.kind !== 'all' && !(scope.kind === 'team' && scope.team === team)) throw notFound(period, team);
    await inTransaction(this.dataSource, async (m) => {
      const current = await this.plans.lock(m, period, team);
      if (!current) throw notFound(period, team);
      decidePlanWrite(current, expected, `${period} / ${team}`);
      await this.plans.remove(m, period, team);
      await this.audit.record(m, { recordType: 'incentive_plan', recordId: planId(period, team), action: 'deleted', changes: planChanges(current, null) });
    });
  }

  async get(period: string, team: string, user: AuthUser): Promise<IncentivePlan> {
    checkKey(period, team);
    const visible = await this.visibleTeam(accessScope(user));
    const plan = visible === null || visible === team ? await this.plans.find(period, team) : undefined;
    if (!plan) throw notFound(period, team);
    return plan;
  }

  async list(period: string, user: AuthUser): Promise<{ rows: IncentivePlan[] }> {
    if (!isPeriod(period)) throw periodError();
    const team = await this.visibleTeam(accessScope(user));
    return { rows: team === undefined ? [] : await this.plans.list(period, team ?? undefined) };
  }

  /** Each rep's earned incentive under their team's plan for the period: a rep sees their own, a manager their team's. */
  async incentives(period: string, user: AuthUser, teamFilter?: string): Promise<{ asOf: string | null; period: string; rows: IncentiveLine[] }> {
    if (!isPeriod(period)) throw periodError();
    const scope = userTeamScope(user, teamFilter);
    const team = await this.visibleTeam(scope);
    const plans = team === undefined ? [] : await this.plans.list(period, team ?? undefined);
    let asOf: string | null = null;
    const rows: IncentiveLine[] = [];
    for (const plan of plans) {
      const computed = await this.earned(plan);
      asOf = computed.asOf;
      rows.push(...computed.rows.filter((r) => scope.kind !== 'own' || r.repId === scope.repId));
    }
    return { asOf: asOf ?? (await this.reports.asOf()), period, rows };
  }

  /** One rep's incentive for the period under their team's plan (null without a plan); for the rep report, which checks who may see it. */
  async forRep(period: string, repId: string): Promise<IncentiveLine | null> {
    const team = await this.plans.repTeam(repId);
    const plan = team ? await this.plans.find(period, team) : undefined;
    if (!plan) return null;
    return (await this.earned(plan)).rows.find((r) => r.repId === repId) ?? null;
  }

  /** Ranked among the whole team whoever asks, so that a rank is the same for the rep and their manager. */
  private async earned(plan: IncentivePlan) {
    const table = await this.kpis.kpisInScope({ period: plan.period, currency: plan.currency, by: 'rep' }, { kind: 'team', team: plan.team });
    return { asOf: table.asOf, rows: earnedIncentives(plan, table.rows).map((r) => ({ ...r, planVersion: plan.version })) };
  }

  /** The team whose plans the caller may see: null for all, undefined for none (a rep the directory does not know). */
  private async visibleTeam(scope: AccessScope): Promise<string | null | undefined> {
    if (scope.kind === 'all') return null;
    if (scope.kind === 'team') return scope.team;
    return (await this.plans.repTeam(scope.repId)) ?? undefined;
  }
}
