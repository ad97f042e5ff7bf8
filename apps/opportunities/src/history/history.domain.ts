// The historical import of opportunities as pure rules: which records make sense against the pipeline, and
// what one record stores and publishes, each event at the moment it describes.
import { createEvent, historicalId, type EventEnvelope } from '@crm/contracts';
import { chronologyIssues, DomainError, type DomainFieldIssue } from '@crm/domain';
import { formatAmount, sumAmounts } from '@crm/money';
import { accountKey } from '../accounts/account.domain';
import { pricedLines, type CustomerInfo, type LineInput, type PricedLine } from '../opportunities/opportunity.domain';
import type { StageDef } from '../pipeline/pipeline.domain';

export interface OpportunityHistoryRecord {
  externalId: string;
  leadExternalId?: string;
  customer: CustomerInfo;
  repId: string;
  team?: string;
  region?: string;
  productLine?: string;
  expectedAmount: string;
  currency: string;
  expectedCloseDate: string;
  createdAt: string;
  stage?: string;
  moves?: { toStage: string; at: string }[];
  lines?: LineInput[];
  outcome?: 'won' | 'lost';
  closedAt?: string;
  lostReason?: string;
  competitor?: string;
  paymentTerms?: string;
}

export interface OpportunityHistoryPlan {
  row: {
    id: string;
    leadId: string | null;
    pipelineId: string;
    stage: string;
    stageEnteredAt: string;
    status: 'open' | 'won' | 'lost';
    repId: string;
    team: string | null;
    customer: CustomerInfo;
    accountKey: string | null;
    accountId: string | null;
    contactId: string | null;
    region: string | null;
    productLine: string | null;
    expectedAmount: string;
    currency: string;
    expectedCloseDate: string;
    wonAmount: string | null;
    paymentTerms: string | null;
    lostReason: string | null;
    competitor: string | null;
    closedAt: string | null;
    createdBy: string;
    createdAt: string;
  };
  lines: PricedLine[];
  /** The stage history, oldest first: opened in a stage, each move, the closing move. */
  history: { fromStage: string | null; toStage: string; by: string; at: string }[];
  events: EventEnvelope[];
}

const iso = (at: string) => new Date(at).toISOString();
const openStages = (stages: readonly StageDef[]) => stages.filter((s) => !s.outcome).sort((a, b) => a.position - b.position);

function linesIssues(lines: readonly LineInput[]): DomainFieldIssue[] {
  try {
    pricedLines(lines);
    return [];
  } catch (err) {
    if (err instanceof DomainError && err.fields) return [...err.fields];
    throw err;
  }
}

/** What is wrong with one record beyond its field formats: stages of the pipeline, dates in order, a win with its lines. */
export function opportunityHistoryIssues(r: OpportunityHistoryRecord, stages: readonly StageDef[], now: Date): DomainFieldIssue[] {
  const open = new Set(openStages(stages).map((s) => s.key));
  const issues: DomainFieldIssue[] = [];
  const known = [...open].join(', ');
  if (r.stage !== undefined && !open.has(r.stage))
    issues.push({ field: 'stage', message: `stage must be an open stage of the pipeline (${known})`, constraint: 'isIn' });
  for (const [i, mv] of (r.moves ?? []).entries()) {
    if (!open.has(mv.toStage))
      issues.push({ field: `moves[${i}].toStage`, message: `toStage must be an open stage of the pipeline (${known})`, constraint: 'isIn' });
  }
  if ((r.outcome === undefined) !== (r.closedAt === undefined))
    issues.push({ field: 'closedAt', message: 'outcome and closedAt go together', constraint: 'together' });
  if (r.outcome === 'won' && !r.lines?.length) issues.push({ field: 'lines', message: 'a won opportunity needs the lines sold', constraint: 'required' });
  if (r.outcome === 'lost' && !r.lostReason) issues.push({ field: 'lostReason', message: 'a lost opportunity needs its reason', constraint: 'required' });
  if (r.outcome !== 'lost' && (r.lostReason || r.competitor))
    issues.push({ field: 'lostReason', message: 'only a lost opportunity has a reason', constraint: 'lostOnly' });
  issues.push(...linesIssues(r.lines ?? []));
  issues.push(
    ...chronologyIssues([['createdAt', r.createdAt], ...(r.moves ?? []).map((mv, i) => [`moves[${i}].at`, mv.at] as const), ['closedAt', r.closedAt]], now),
  );
  return issues;
}

/**
 * One valid record → its row, lines, stage history and events: opportunity.created in its first stage,
 * a stage_changed per move, and for a closed one the move to the won or lost stage with opportunity.won
 * (marked historical, so orders drafts no order: the order is imported with its own history) or
 * opportunity.lost. `refs`: the account and contact of its lead, when the lead's resolution came first.
 */
export function decideOpportunityHistory(
  r: OpportunityHistoryRecord,
  pipeline: { id: string; stages: readonly StageDef[] },
  ctx: { by: string; correlationId: string },
  refs: { accountId: string | null; contactId: string | null } = { accountId: null, contactId: null },
): OpportunityHistoryPlan {
  const customerRefs = { accountId: refs.accountId ?? undefined, contactId: refs.contactId ?? undefined };
  const id = historicalId('opportunity', r.externalId);
  const leadId = r.leadExternalId ? historicalId('lead', r.leadExternalId) : null;
  const stageOf = (key: string) => pipeline.stages.find((s) => s.key === key) as StageDef;
  const createdAt = iso(r.createdAt);
  const first = r.stage ?? openStages(pipeline.stages)[0].key;
  const lines = pricedLines(r.lines ?? []);
  const at = (time: string) => ({ subject: id, time, correlationId: ctx.correlationId });
  const history: OpportunityHistoryPlan['history'] = [{ fromStage: null, toStage: first, by: r.repId, at: createdAt }];
  const events: EventEnvelope[] = [
    createEvent('opportunity.created', {
      ...at(createdAt),
      data: {
        opportunityId: id,
        leadId,
        repId: r.repId,
        team: r.team,
        customer: r.customer,
        ...customerRefs,
        region: r.region,
        productLine: r.productLine,
        expectedAmount: formatAmount(r.expectedAmount),
        currency: r.currency,
        expectedCloseDate: r.expectedCloseDate,
        stage: first,
        winProbability: stageOf(first).winProbability,
        createdAt,
      },
    }),
  ];
  const move = (toStage: string, when: string) => {
    const from = history[history.length - 1].toStage;
    history.push({ fromStage: from, toStage, by: r.repId, at: when });
    events.push(
      createEvent('opportunity.stage_changed', {
        ...at(when),
        data: { opportunityId: id, repId: r.repId, fromStage: from, toStage, winProbability: stageOf(toStage).winProbability, by: r.repId, changedAt: when },
      }),
    );
  };
  for (const mv of r.moves ?? []) move(mv.toStage, iso(mv.at));
  const closedFrom = history[history.length - 1].toStage;
  const closedAt = r.closedAt ? iso(r.closedAt) : null;
  const wonAmount = r.outcome === 'won' ? sumAmounts(lines.map((l) => l.lineTotal)) : null;
  if (r.outcome && closedAt) {
    move(pipeline.stages.find((s) => s.outcome === r.outcome)!.key, closedAt);
    if (r.outcome === 'won') {
      events.push(
        createEvent('opportunity.won', {
          ...at(closedAt),
          data: {
            opportunityId: id,
            leadId,
            repId: r.repId,
            team: r.team,
            customer: r.customer,
            ...customerRefs,
            region: r.region,
            currency: r.currency,
            amount: wonAmount as string,
            lines: lines.map((l) => ({ sku: l.sku, productName: l.productName, quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount })),
            paymentTerms: r.paymentTerms,
            createdAt,
            wonAt: closedAt,
            historical: true,
          },
        }),
      );
    } else {
      events.push(
        createEvent('opportunity.lost', {
          ...at(closedAt),
          data: { opportunityId: id, repId: r.repId, stage: closedFrom, reason: r.lostReason as string, competitor: r.competitor, lostAt: closedAt },
        }),
      );
    }
  }
  const last = history[history.length - 1];
  return {
    row: {
      id,
      leadId,
      pipelineId: pipeline.id,
      stage: last.toStage,
      stageEnteredAt: last.at,
      status: r.outcome ?? 'open',
      repId: r.repId,
      team: r.team ?? null,
      customer: r.customer,
      accountKey: accountKey(r.customer),
      ...refs,
      region: r.region ?? null,
      productLine: r.productLine ?? null,
      expectedAmount: formatAmount(r.expectedAmount),
      currency: r.currency,
      expectedCloseDate: r.expectedCloseDate,
      wonAmount,
      paymentTerms: r.outcome === 'won' ? (r.paymentTerms ?? null) : null,
      lostReason: r.lostReason ?? null,
      competitor: r.competitor ?? null,
      closedAt,
      createdBy: ctx.by,
      createdAt,
    },
    lines,
    history,
    events,
  };
}
