import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import type { LeadAssignment } from './lead-facts.repository';
import type { OpportunityCreated } from './opportunity-facts.repository';
import type { TermsEntry } from './opportunity-terms';
import type { OrderMilestoneRow, OrderStatusRow } from './order-facts.repository';
import type { ProjectionContext, ProjectionRepositories } from './projection-context';
import type { HistoryEntry } from './projection.domain';

/** The row each kind of fact write takes: what one event adds to its fact. */
export interface FactWriteRows {
  leadCaptured: EventData<'lead.captured'>;
  leadAssigned: LeadAssignment;
  leadFollowedUp: EventData<'lead.followed_up'>;
  leadQualified: EventData<'lead.qualified'>;
  leadDisqualified: EventData<'lead.disqualified'>;
  leadConverted: EventData<'lead.converted'>;
  opportunityCreated: OpportunityCreated;
  opportunityTermsChanged: { data: EventData<'opportunity.terms_changed'>; terms: TermsEntry };
  opportunityHistory: { opportunityId: string; entry: HistoryEntry };
  opportunityReassigned: EventData<'opportunity.reassigned'>;
  opportunityWon: { data: EventData<'opportunity.won'>; entry: HistoryEntry };
  opportunityLost: { data: EventData<'opportunity.lost'>; entry: HistoryEntry };
  orderConfirmed: EventData<'order.confirmed'>;
  orderStatus: OrderStatusRow;
  orderShipped: OrderMilestoneRow;
  orderDelivered: OrderMilestoneRow;
  orderCompleted: OrderMilestoneRow;
  orderCancelled: OrderMilestoneRow;
  orderFeedback: EventData<'order.feedback_received'>;
  paymentReceived: EventData<'payment.received'>;
  receivableCreated: EventData<'receivable.created'>;
  receivableVoided: EventData<'receivable.voided'>;
}
export type FactWriteKind = keyof FactWriteRows;

/** One event's write to its fact; `key` names the fact's rows it touches (a lead id, an order id …). */
export type FactWrite = { [K in FactWriteKind]: { kind: K; key: string; row: FactWriteRows[K] } }[FactWriteKind];
/** A write of the batch, or a step that runs on its own where it stands (reads what the writes before it left). */
export type FactStep = FactWrite | { run: (ctx: ProjectionContext) => Promise<void> };

type Writers = { [K in FactWriteKind]: (r: ProjectionRepositories, m: EntityManager, rows: FactWriteRows[K][]) => Promise<void> };
const WRITERS: Writers = {
  leadCaptured: (r, m, rows) => r.leads.captured(m, rows),
  leadAssigned: (r, m, rows) => r.leads.assigned(m, rows),
  leadFollowedUp: (r, m, rows) => r.leads.followedUp(m, rows),
  leadQualified: (r, m, rows) => r.leads.qualified(m, rows),
  leadDisqualified: (r, m, rows) => r.leads.disqualified(m, rows),
  leadConverted: (r, m, rows) => r.leads.converted(m, rows),
  opportunityCreated: (r, m, rows) => r.opportunities.created(m, rows),
  opportunityTermsChanged: (r, m, rows) => r.opportunities.termsChanged(m, rows),
  opportunityHistory: (r, m, rows) => r.opportunities.appendHistory(m, rows),
  opportunityReassigned: (r, m, rows) => r.opportunities.reassigned(m, rows),
  opportunityWon: (r, m, rows) => r.opportunities.won(m, rows),
  opportunityLost: (r, m, rows) => r.opportunities.lost(m, rows),
  orderConfirmed: (r, m, rows) => r.orders.confirmed(m, rows),
  orderStatus: (r, m, rows) => r.orders.status(m, rows),
  orderShipped: (r, m, rows) => r.orders.milestone(m, 'shipped', rows),
  orderDelivered: (r, m, rows) => r.orders.milestone(m, 'delivered', rows),
  orderCompleted: (r, m, rows) => r.orders.milestone(m, 'completed', rows),
  orderCancelled: (r, m, rows) => r.orders.milestone(m, 'cancelled', rows),
  orderFeedback: (r, m, rows) => r.orders.feedback(m, rows),
  paymentReceived: (r, m, rows) => r.receivables.paymentReceived(m, rows),
  receivableCreated: (r, m, rows) => r.receivables.created(m, rows),
  receivableVoided: (r, m, rows) => r.receivables.voided(m, rows),
};

/** One set-based statement: writes of one kind, each to a different fact. */
export interface PlannedWrite {
  kind: FactWriteKind;
  writes: FactWrite[];
}

/**
 * The statements a run of writes comes to. The n-th write to a fact goes into the n-th round, so each fact sees
 * its writes in the order its events came in; within a round, the writes of one kind are one statement (each
 * fact at most once in it), kinds in the order first seen. Writes to different facts commute (each touches only
 * its own fact's rows, or inserts a missing row with nothing in it), so reordering across facts changes nothing.
 */
export function planWrites(writes: readonly FactWrite[]): PlannedWrite[] {
  const seen = new Map<string, number>();
  const rounds: Map<FactWriteKind, FactWrite[]>[] = [];
  for (const w of writes) {
    const round = seen.get(w.key) ?? 0;
    seen.set(w.key, round + 1);
    const kinds = (rounds[round] ??= new Map());
    const list = kinds.get(w.kind);
    if (list) list.push(w);
    else kinds.set(w.kind, [w]);
  }
  return rounds.flatMap((kinds) => [...kinds].map(([kind, list]) => ({ kind, writes: list })));
}

/**
 * Applies a batch's steps in order: each run of writes between two other steps as planned above (one statement
 * per round and kind instead of one per event), each other step where it stands.
 */
export async function applyFactSteps(ctx: ProjectionContext, steps: readonly FactStep[]): Promise<void> {
  let run: FactWrite[] = [];
  const writeRun = async () => {
    for (const { kind, writes } of planWrites(run)) {
      await (WRITERS[kind] as (r: ProjectionRepositories, m: EntityManager, rows: unknown[]) => Promise<void>)(
        ctx.repos,
        ctx.m,
        writes.map((w) => w.row),
      );
    }
    run = [];
  };
  for (const step of steps) {
    if ('run' in step) {
      await writeRun();
      await step.run(ctx);
    } else run.push(step);
  }
  await writeRun();
}
