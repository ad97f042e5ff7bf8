import { DomainError, nothingToDo, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { compareAmounts, formatAmount, priceProductLines, type PricedProductLine, type ProductLineInput } from '@crm/money';
import type { StageDef } from '../pipeline/pipeline.domain';

export interface CustomerInfo {
  name: string;
  company?: string;
  email?: string;
  phone?: string;
}

export type OpportunityStatus = 'open' | 'won' | 'lost';

export type LineInput = ProductLineInput;
/** A product line priced exactly. */
export type PricedLine = PricedProductLine;

/** The columns a decision may set; the repository stores them as one versioned update. */
export interface OpportunityColumns {
  fields: Record<string, string>;
  expectedAmount: string;
  expectedCloseDate: string;
  companySize: string | null;
  productLine: string | null;
  region: string | null;
  stage: string;
  stageEnteredAt: Date;
  status: OpportunityStatus;
  wonAmount: string | null;
  paymentTerms: string | null;
  lostReason: string | null;
  competitor: string | null;
  closedAt: Date | null;
}

/** The opportunity as a command sees it: the row, its pipeline's stages, its lines and tasks. */
export interface OpportunityState {
  id: string;
  leadId: string | null;
  pipelineId: string;
  stage: string;
  status: OpportunityStatus;
  repId: string;
  team: string | null;
  customer: CustomerInfo;
  accountId: string | null;
  contactId: string | null;
  region: string | null;
  productLine: string | null;
  companySize: string | null;
  expectedAmount: string;
  currency: string;
  expectedCloseDate: string;
  fields: Record<string, string>;
  createdAt: Date;
  version: number;
  stages: StageDef[];
  lines: PricedLine[];
  tasks: { id: string; key: string; doneAt: Date | null }[];
  /** For a closed deal: the stage it was closed from (its last move into the closing stage). */
  closedFrom: string | null;
}

export interface StageMove {
  fromStage: string | null;
  toStage: string;
  by: string;
  at: Date;
}

/** What a command changes; anything omitted stays as it is. */
export interface OpportunityChanges {
  /** Stored as one update, which bumps the version (the ETag). */
  set?: Partial<OpportunityColumns>;
  /** Replaces the product lines. */
  lines?: PricedLine[];
  move?: StageMove;
  newTask?: { id: string; key: string; title: string; dueAt: string | null; createdBy: string };
  doneTask?: { id: string; doneAt: Date; doneBy: string };
  /** The score depends on what changed: compute it again. */
  rescore?: boolean;
  /** Counts as engagement (a system counter that leaves the version alone), then re-scores. */
  activity?: boolean;
}

/** Who acts and when: the inputs a decision would otherwise take from the clock or the session. */
export interface Actor {
  by: string;
  now: Date;
}

const FIELD_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Custom fields: short names, string values; null removes one. */
export function mergeFields(current: Record<string, string>, changes: Record<string, string | null> = {}): Record<string, string> {
  const fields = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (!FIELD_KEY.test(key)) throw DomainError.invalidField(`fields.${key}`, 'a field name is letters, digits and _, at most 64 characters');
    if (value === null) delete fields[key];
    else if (typeof value !== 'string' || value.length > 2000)
      throw DomainError.invalidField(`fields.${key}`, 'a field value is a string of at most 2000 characters, or null to remove it');
    else fields[key] = value;
  }
  return fields;
}

/** Prices each line exactly; a discount larger than its line is an invalid `lines[i].discount`. */
export const pricedLines = (lines: readonly LineInput[]): PricedLine[] => priceProductLines(lines);

export function assertOpen(o: Pick<OpportunityState, 'id' | 'status'>): void {
  if (o.status !== 'open') throw DomainError.conflict('OPPORTUNITY_CLOSED', `Opportunity ${o.id} is ${o.status}; a manager must re-open it first.`);
}

export interface UpdateOpportunity {
  expectedAmount?: string;
  expectedCloseDate?: string;
  companySize?: string;
  productLine?: string;
  region?: string;
  fields?: Record<string, string | null>;
  lines?: LineInput[];
}

/**
 * An open opportunity's details; the fields are always rewritten, so every update is a new version. When the
 * amount, the expected close date or the lines really change, `opportunity.terms_changed` carries the new
 * terms (analytics re-projects the pipeline and forecast from it); an update that leaves them as they were
 * publishes nothing.
 */
export function decideUpdate(o: OpportunityState, cmd: UpdateOpportunity, { by, now }: Actor): Decision<OpportunityChanges> {
  assertOpen(o);
  const set: Partial<OpportunityColumns> = { fields: mergeFields(o.fields, cmd.fields) };
  if (cmd.expectedAmount !== undefined) set.expectedAmount = formatAmount(cmd.expectedAmount);
  if (cmd.expectedCloseDate !== undefined) set.expectedCloseDate = cmd.expectedCloseDate;
  if (cmd.companySize !== undefined) set.companySize = cmd.companySize;
  if (cmd.productLine !== undefined) set.productLine = cmd.productLine;
  if (cmd.region !== undefined) set.region = cmd.region;
  const lines = cmd.lines ? pricedLines(cmd.lines) : undefined;
  const changed = changedTerms(o, set, lines);
  if (!changed.length) return { changes: { set, lines, rescore: true }, events: [] };
  const event = newEvent('opportunity.terms_changed', {
    subject: o.id,
    data: {
      opportunityId: o.id,
      repId: o.repId,
      expectedAmount: set.expectedAmount ?? formatAmount(o.expectedAmount),
      currency: o.currency,
      expectedCloseDate: set.expectedCloseDate ?? o.expectedCloseDate,
      lines: (lines ?? o.lines).map((l) => ({ sku: l.sku, productName: l.productName, quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount })),
      changed,
      by,
      changedAt: now.toISOString(),
    },
  });
  return { changes: { set, lines, rescore: true }, events: [event] };
}

type Term = 'expectedAmount' | 'expectedCloseDate' | 'lines';

const sameLine = (a: PricedLine, b: PricedLine) =>
  a.sku === b.sku &&
  a.productName === b.productName &&
  a.quantity === b.quantity &&
  compareAmounts(a.unitPrice, b.unitPrice) === 0 &&
  compareAmounts(a.discount, b.discount) === 0;

/** The terms an update really changes: an amount written differently ("25000" for "25000.00") is the same amount. */
function changedTerms(o: OpportunityState, set: Partial<OpportunityColumns>, lines: PricedLine[] | undefined): Term[] {
  const changed: Term[] = [];
  if (set.expectedAmount !== undefined && compareAmounts(set.expectedAmount, o.expectedAmount) !== 0) changed.push('expectedAmount');
  if (set.expectedCloseDate !== undefined && set.expectedCloseDate !== o.expectedCloseDate) changed.push('expectedCloseDate');
  if (lines && (lines.length !== o.lines.length || lines.some((l, i) => !sameLine(l, o.lines[i])))) changed.push('lines');
  return changed;
}

/** A task named by a key that exit criteria refer to: one per key and opportunity. */
export function decideAddTask(o: OpportunityState, task: { id: string; key: string; title: string; dueAt?: string }, by: string): Decision<OpportunityChanges> {
  assertOpen(o);
  if (o.tasks.some((t) => t.key === task.key)) throw DomainError.conflict('TASK_EXISTS', `Opportunity ${o.id} already has a task ${task.key}.`);
  return { changes: { newTask: { id: task.id, key: task.key, title: task.title, dueAt: task.dueAt ?? null, createdBy: by } }, events: [] };
}

/** Completing a task counts as activity (engagement) and may satisfy an exit criterion; completing it again changes nothing. */
export function decideCompleteTask(o: OpportunityState, taskId: string, { by, now }: Actor): Decision<OpportunityChanges> {
  assertOpen(o);
  const task = o.tasks.find((t) => t.id === taskId);
  if (!task) throw new DomainError({ kind: 'not_found', detail: `No task ${taskId} on opportunity ${o.id}.` });
  if (task.doneAt) return nothingToDo({});
  return { changes: { doneTask: { id: taskId, doneAt: now, doneBy: by }, activity: true }, events: [] };
}
