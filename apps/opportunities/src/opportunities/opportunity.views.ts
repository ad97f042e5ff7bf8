import { formatAmount, lineTotal } from '@crm/money';
import type { StageDef } from '../pipeline/pipeline.domain';
import type { OpportunityEntity, OpportunityLineEntity, OpportunityTaskEntity, StageHistoryEntity } from './opportunity.entities';
import type { StageTotalsRow } from './opportunity.repository';

/** The detail view: the row with its stage's probability, due time and exit criteria, its lines priced, tasks and history. */
export function opportunityDetail(
  opportunity: OpportunityEntity,
  parts: { lines: OpportunityLineEntity[]; tasks: OpportunityTaskEntity[]; history: StageHistoryEntity[]; stages: StageDef[] },
) {
  const stage = parts.stages.find((s) => s.key === opportunity.stage);
  const stageDueAt =
    stage?.timeLimitHours && opportunity.status === 'open' ? new Date(opportunity.stageEnteredAt.getTime() + stage.timeLimitHours * 3_600_000) : null;
  return {
    ...opportunity,
    winProbability: stage?.winProbability ?? null,
    stageDueAt,
    exitCriteria: stage?.exitCriteria ?? {},
    lines: parts.lines.map((l) => ({ ...l, lineTotal: lineTotal(l) })),
    tasks: parts.tasks,
    history: parts.history,
  };
}

/** Every stage of the pipeline in order, with its totals per currency (none where it has no opportunities). */
export function pipelineSummary(pipeline: { id: string; stages: StageDef[] }, rows: readonly StageTotalsRow[]) {
  return {
    pipelineId: pipeline.id,
    stages: pipeline.stages.map((s) => {
      const totals = rows
        .filter((r) => r.stage === s.key)
        .map((r) => ({
          currency: r.currency,
          count: r.count,
          amount: formatAmount(r.amount),
          weightedAmount: formatAmount(r.weighted),
        }));
      return {
        stage: s.key,
        name: s.name,
        position: s.position,
        winProbability: s.winProbability,
        outcome: s.outcome,
        count: totals.reduce((n, t) => n + t.count, 0),
        totals,
      };
    }),
  };
}
