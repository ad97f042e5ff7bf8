import { Injectable } from '@nestjs/common';
import Big from 'big.js';
import { BusinessCalendar } from '@crm/calendar';
import { accessScope, type AuthUser } from '@crm/http';
import { formatAmount } from '@crm/money';
import { FUNNEL_STAGES } from '../projection/projection.domain';
import { cycleSecondsSql, funnelSql, pipelineSql, type CycleMetric, type FunnelRow, type PipelineRow, type SecondsRow } from './deals.queries';
import { ReportRepository } from './report.repository';
import { userTeamScope } from './team-scope';
import { reportRange } from './report-range';
import type { FunnelQueryDto, PipelineQueryDto } from './reporting.dto';
import { median, p90, ratio } from './stats.domain';
import type { CycleTimeRow, FunnelResult, PipelineResult, Series } from './views';

const amount = (v: string | null | undefined) => formatAmount(v ?? '0');

/** The lead funnel, the open pipeline and cycle times. */
@Injectable()
export class DealsReportService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly calendar: BusinessCalendar,
  ) {}

  async funnel(q: FunnelQueryDto, user: AuthUser): Promise<FunnelResult> {
    const { from, to } = reportRange(q, this.calendar);
    const rows = await this.reports.rows<FunnelRow>(funnelSql(q, from, to, userTeamScope(user, q.team)));
    const groups = [...new Set(rows.map((r) => r.g))].sort();
    if (!groups.length) groups.push('all');
    const series = groups.map((g) => {
      const counts = FUNNEL_STAGES.map((stage) => rows.find((r) => r.g === g && r.stage === stage)?.n ?? 0);
      return {
        label: g,
        measure: 'leads',
        currency: null,
        points: FUNNEL_STAGES.map((stage, i) => ({
          x: stage,
          y: counts[i],
          rate: i === 0 ? null : ratio(new Big(counts[i]), new Big(counts[i - 1])),
          rateFromStart: i === 0 ? null : ratio(new Big(counts[i]), new Big(counts[0])),
        })),
      };
    });
    return { asOf: await this.reports.asOf(), pointInTime: q.asOf ?? null, from, to, series };
  }

  async pipeline(q: PipelineQueryDto, user: AuthUser): Promise<PipelineResult> {
    const rows = await this.reports.rows<PipelineRow>(pipelineSql(q, accessScope(user), this.calendar));
    // Stages in pipeline order, as far as the figures tell it: by their weighted/raw ratio (the win probability).
    const order = new Map<string, Big>();
    for (const r of rows) {
      const acc = order.get(r.g) ?? new Big(0);
      order.set(r.g, acc.plus(new Big(r.amount).eq(0) ? 0 : new Big(r.weighted).div(r.amount)));
    }
    const byStage = (q.groupBy ?? 'stage') === 'stage';
    const xs = [...order.entries()].sort(([a, pa], [b, pb]) => (byStage ? pa.cmp(pb) : 0) || a.localeCompare(b)).map(([x]) => x);
    const series: Series[] = [];
    for (const c of [...new Set(rows.map((r) => r.currency))].sort()) {
      const byX = new Map(rows.filter((r) => r.currency === c).map((r) => [r.g, r]));
      series.push({ label: `amount ${c}`, measure: 'amount', currency: c, points: xs.map((x) => ({ x, y: amount(byX.get(x)?.amount) })) });
      series.push({ label: `weighted ${c}`, measure: 'weighted', currency: c, points: xs.map((x) => ({ x, y: amount(byX.get(x)?.weighted) })) });
      series.push({ label: `opportunities ${c}`, measure: 'opportunities', currency: c, points: xs.map((x) => ({ x, y: byX.get(x)?.n ?? 0 })) });
    }
    return { asOf: await this.reports.asOf(), pointInTime: q.asOf ?? null, groupBy: q.groupBy ?? 'stage', series };
  }

  async cycleTime(
    q: { from?: string; to?: string; team?: string },
    user: AuthUser,
  ): Promise<{ asOf: string | null; from: string; to: string; rows: CycleTimeRow[] }> {
    const scope = userTeamScope(user, q.team);
    const { from, to } = reportRange(q, this.calendar);
    const hours = (v: number | null) => (v === null ? null : Math.round((v / 3600) * 100) / 100);
    const rows: CycleTimeRow[] = [];
    for (const metric of ['lead_captured_to_won', 'won_to_paid', 'lead_response'] as const satisfies readonly CycleMetric[]) {
      const values = (await this.reports.rows<SecondsRow>(cycleSecondsSql(metric, from, to, scope, this.calendar))).map((r) => Number(r.s));
      rows.push({ metric, count: values.length, medianHours: hours(median(values)), p90Hours: hours(p90(values)) });
    }
    return { asOf: await this.reports.asOf(), from, to, rows };
  }
}
