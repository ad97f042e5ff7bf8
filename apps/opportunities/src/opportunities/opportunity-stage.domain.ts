import { DomainError, type Decision } from '@crm/domain';
import type { EventEnvelope } from '@crm/contracts';
import { newEvent } from '@crm/messaging';
import { sumAmounts } from '@crm/money';
import { planMove, unmetExitCriteria, type StageDef } from '../pipeline/pipeline.domain';
import {
  assertOpen,
  pricedLines,
  type Actor,
  type LineInput,
  type OpportunityChanges,
  type OpportunityColumns,
  type OpportunityState,
  type PricedLine,
} from './opportunity.domain';

/** Refuses to leave stages whose exit criteria are unmet, listing every unmet one (409 EXIT_CRITERIA_UNMET). */
export function assertExitCriteria(o: OpportunityState, left: readonly StageDef[], target: StageDef, lineCount: number): void {
  const unmet = unmetExitCriteria(left, {
    fields: {
      ...o.fields,
      expectedAmount: o.expectedAmount,
      expectedCloseDate: o.expectedCloseDate,
      productLine: o.productLine,
      companySize: o.companySize,
      region: o.region,
      lines: lineCount ? [lineCount] : [],
    },
    doneTasks: o.tasks.filter((t) => t.doneAt).map((t) => t.key),
  });
  if (!unmet.length) return;
  throw new DomainError({
    kind: 'conflict',
    code: 'EXIT_CRITERIA_UNMET',
    detail: `Cannot move from ${o.stage} to ${target.key}: ${unmet.map((u) => u.message).join('; ')}.`,
    fields: unmet.map((u) => ({ field: u.kind === 'task' ? `tasks.${u.name}` : u.name, message: u.message, constraint: `exitCriteria:${u.stage}` })),
  });
}

/** Moves to `target` with its history entry and `opportunity.stage_changed`; closing sets the close time too. */
function changeStage(o: OpportunityState, target: StageDef, { by, now }: Actor, set: Partial<OpportunityColumns> = {}): Decision<OpportunityChanges> {
  const closing = set.status === 'won' || set.status === 'lost';
  const event = newEvent('opportunity.stage_changed', {
    subject: o.id,
    data: {
      opportunityId: o.id,
      repId: o.repId,
      fromStage: o.stage,
      toStage: target.key,
      winProbability: target.winProbability,
      by,
      changedAt: now.toISOString(),
    },
  });
  return {
    changes: {
      set: { ...set, stage: target.key, stageEnteredAt: now, ...(closing ? { closedAt: now } : {}) },
      move: { fromStage: o.stage, toStage: target.key, by, at: now },
    },
    events: [event],
  };
}

const withEvents = (decision: Decision<OpportunityChanges>, changes: OpportunityChanges, events: EventEnvelope[] = []): Decision<OpportunityChanges> => ({
  changes: { ...decision.changes, ...changes },
  events: [...decision.events, ...events],
});

/** Forward by one or more stages, once the exit criteria of every stage left are met. */
export function decideMove(o: OpportunityState, toStage: string, actor: Actor): Decision<OpportunityChanges> {
  const { left, target } = planMove(o.stages, o.stage, toStage);
  assertExitCriteria(o, left, target, o.lines.length);
  return withEvents(changeStage(o, target, actor), { rescore: true });
}

export interface WinOpportunity {
  lines?: LineInput[];
  paymentTerms?: string;
  promisedDeliveryDate?: string;
}

/**
 * Closes as won with the lines sold (those sent, else the opportunity's): the amount is their exact sum, and
 * `opportunity.won` carries them. The exit criteria of every open stage from the current one apply.
 */
export function decideWin(o: OpportunityState, cmd: WinOpportunity, actor: Actor): Decision<OpportunityChanges> {
  assertOpen(o);
  const won = o.stages.find((s) => s.outcome === 'won')!;
  let lines: PricedLine[];
  if (cmd.lines) {
    lines = pricedLines(cmd.lines);
  } else {
    lines = o.lines;
    if (!lines.length) throw DomainError.invalidField('lines', 'the opportunity has no product lines: send the lines sold');
  }
  const { left } = planMove(o.stages, o.stage, won.key, true);
  assertExitCriteria(o, left, won, lines.length);
  const amount = sumAmounts(lines.map((l) => l.lineTotal));
  const closed = changeStage(o, won, actor, { status: 'won', wonAmount: amount, paymentTerms: cmd.paymentTerms ?? null });
  const event = newEvent('opportunity.won', {
    subject: o.id,
    data: {
      opportunityId: o.id,
      leadId: o.leadId,
      repId: o.repId,
      team: o.team ?? undefined,
      customer: o.customer,
      accountId: o.accountId ?? undefined,
      contactId: o.contactId ?? undefined,
      region: o.region ?? undefined,
      currency: o.currency,
      amount,
      lines: lines.map((l) => ({ sku: l.sku, productName: l.productName, quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount })),
      paymentTerms: cmd.paymentTerms,
      promisedDeliveryDate: cmd.promisedDeliveryDate,
      createdAt: o.createdAt.toISOString(),
      wonAt: actor.now.toISOString(),
    },
  });
  return withEvents(closed, cmd.lines ? { lines } : {}, [event]);
}

export function decideLose(o: OpportunityState, cmd: { reason: string; competitor?: string }, actor: Actor): Decision<OpportunityChanges> {
  assertOpen(o);
  const lost = o.stages.find((s) => s.outcome === 'lost')!;
  const closed = changeStage(o, lost, actor, { status: 'lost', lostReason: cmd.reason, competitor: cmd.competitor ?? null });
  const event = newEvent('opportunity.lost', {
    subject: o.id,
    data: { opportunityId: o.id, repId: o.repId, stage: o.stage, reason: cmd.reason, competitor: cmd.competitor, lostAt: actor.now.toISOString() },
  });
  return withEvents(closed, {}, [event]);
}

/** A manager re-opens a closed deal: it returns to the stage it was closed from (else the first open stage). */
export function decideReopen(o: OpportunityState, actor: Actor): Decision<OpportunityChanges> {
  if (o.status === 'open') throw DomainError.conflict('NOT_CLOSED', `Opportunity ${o.id} is open.`);
  const back = o.stages.find((s) => s.key === o.closedFrom && !s.outcome) ?? o.stages.find((s) => !s.outcome)!;
  const reopened = changeStage(o, back, actor, { status: 'open', wonAmount: null, paymentTerms: null, lostReason: null, competitor: null, closedAt: null });
  return withEvents(reopened, { rescore: true });
}
