import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/domain';
import { accessScope, type AuthUser } from '@crm/http';
import { IncentivesService } from '../incentives/incentives.service';
import { repSql, type RepRef } from './kpi.queries';
import { rankable, rankKpiRows } from './kpi-rows';
import { KpiService } from './kpi.service';
import { RANKING_METRICS } from './reporting.dto';
import { ReportRepository } from './report.repository';
import { monthsBetween } from './report-range';
import { SalesReportService } from './sales-report.service';

/** One rep's page for a manager: the KPIs, where the rep ranks among the reps the caller may see, the monthly bookings and the incentive earned. */
@Injectable()
export class RepReportService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly kpis: KpiService,
    private readonly sales: SalesReportService,
    private readonly incentives: IncentivesService,
  ) {}

  async repReport(repId: string, q: { period: string; currency: string }, user: AuthUser) {
    const scope = accessScope(user);
    const [rep] = await this.reports.rows<RepRef>(repSql(repId));
    const visible = scope.kind === 'all' || (scope.kind === 'team' ? rep?.team === scope.team : scope.repId === repId);
    if (!visible) throw new DomainError({ kind: 'not_found', detail: 'No such rep among the reps you may see.' });
    const all = await this.kpis.kpis({ ...q, by: 'rep' }, user);
    const row = all.rows.find((r) => r.key === repId) ?? null;
    const ranks: Record<string, number | null> = {};
    for (const metric of RANKING_METRICS) ranks[metric] = rankKpiRows(all.rows, metric).find((r) => r.key === repId)?.rank ?? null;
    const monthly = await this.sales.monthlyRevenue(q.currency, all.period.start, all.period.end, { kind: 'own', repId });
    const months = monthsBetween(all.period.start, all.period.end);
    return {
      asOf: all.asOf,
      period: all.period,
      currency: q.currency,
      repId,
      name: rep?.name ?? null,
      team: rep?.team ?? null,
      kpis: row,
      ranks,
      rankedAmong: rankable(all.rows).length,
      // Under the plan of the rep's team, in the plan's currency (which may differ from `currency`); null without a plan.
      incentive: await this.incentives.forRep(all.period.label, repId),
      series: [
        { label: `revenue ${q.currency}`, measure: 'revenue', currency: q.currency, points: months.map((m) => ({ x: m, y: monthly.get(m) ?? '0.00' })) },
      ],
    };
  }
}
