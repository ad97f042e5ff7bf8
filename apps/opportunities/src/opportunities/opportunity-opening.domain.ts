import { addDays, dayOf, DEFAULT_TIME_ZONE } from '@crm/calendar';
import type { EventData } from '@crm/contracts';
import { DomainError, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { formatAmount, sumAmounts } from '@crm/money';
import { accountKey } from '../accounts/account.domain';
import type { StageDef } from '../pipeline/pipeline.domain';
import { mergeFields, pricedLines, type CustomerInfo, type LineInput, type PricedLine, type StageMove } from './opportunity.domain';

/** A new opportunity as a request or a converted lead describes it. */
export interface NewOpportunity {
  leadId: string | null;
  pipeline: { id: string; stages: StageDef[] };
  repId: string;
  team: string | null;
  customer: CustomerInfo;
  /** The customers service's records, when known (a request names them, or the lead's resolution came first). */
  accountId: string | null;
  contactId: string | null;
  region: string | null;
  productLine: string | null;
  companySize: string | null;
  productNeeds: string[];
  expectedAmount: string;
  currency: string;
  expectedCloseDate: string;
  lines: PricedLine[];
  fields: Record<string, string>;
  by: string;
}

export interface OpenedOpportunity {
  row: Omit<NewOpportunity, 'pipeline' | 'lines' | 'by'> & {
    id: string;
    pipelineId: string;
    stage: string;
    accountKey: string | null;
    createdBy: string;
    createdAt: Date;
  };
  lines: PricedLine[];
  move: StageMove;
}

/** Opens an opportunity in the first open stage of its pipeline, with `opportunity.created`. */
export function decideOpen(t: NewOpportunity, id: string, now: Date): Decision<OpenedOpportunity> {
  const first = t.pipeline.stages.filter((s) => !s.outcome).sort((a, b) => a.position - b.position)[0];
  const { pipeline, lines, by, ...rest } = t;
  const event = newEvent('opportunity.created', {
    subject: id,
    data: {
      opportunityId: id,
      leadId: t.leadId,
      repId: t.repId,
      team: t.team ?? undefined,
      customer: t.customer,
      accountId: t.accountId ?? undefined,
      contactId: t.contactId ?? undefined,
      region: t.region ?? undefined,
      productLine: t.productLine ?? undefined,
      expectedAmount: t.expectedAmount,
      currency: t.currency,
      expectedCloseDate: t.expectedCloseDate,
      stage: first.key,
      winProbability: first.winProbability,
      createdAt: now.toISOString(),
    },
  });
  return {
    changes: {
      row: { ...rest, id, pipelineId: pipeline.id, stage: first.key, accountKey: accountKey(t.customer), createdBy: by, createdAt: now },
      lines,
      move: { fromStage: null, toStage: first.key, by, at: now },
    },
    events: [event],
  };
}

/** The caller's reach, as the access scope gives it. */
export type Scope = { kind: 'all' } | { kind: 'team'; team: string } | { kind: 'own'; repId: string };

export interface CreateOpportunity {
  repId?: string;
  team?: string;
  customer: CustomerInfo;
  accountId?: string;
  contactId?: string;
  region?: string;
  productLine?: string;
  companySize?: string;
  productNeeds?: string[];
  expectedAmount?: string;
  currency: string;
  expectedCloseDate: string;
  lines?: LineInput[];
  fields?: Record<string, string>;
}

/** A request to open an opportunity, checked against the caller's scope; the pipeline is resolved afterwards. */
export function newOpportunity(cmd: CreateOpportunity, caller: { sub: string; team?: string; scope: Scope }): Omit<NewOpportunity, 'pipeline'> {
  const { scope } = caller;
  const repId = cmd.repId ?? caller.sub;
  if (scope.kind === 'own' && repId !== caller.sub) throw DomainError.invalidField('repId', 'a sales rep can only open opportunities for themself');
  if (cmd.team !== undefined && scope.kind !== 'all') throw DomainError.invalidField('team', 'only an admin names the team; yours is taken from your token');
  const lines = pricedLines(cmd.lines ?? []);
  if (cmd.expectedAmount === undefined && !lines.length) throw DomainError.invalidField('expectedAmount', 'give expectedAmount or the product lines');
  const expectedAmount = cmd.expectedAmount !== undefined ? formatAmount(cmd.expectedAmount) : sumAmounts(lines.map((l) => l.lineTotal));
  const fields = mergeFields({}, cmd.fields);
  return {
    leadId: null,
    repId,
    team: scope.kind === 'team' ? scope.team : scope.kind === 'all' ? (cmd.team ?? null) : (caller.team ?? null),
    customer: cmd.customer,
    accountId: cmd.accountId ?? null,
    contactId: cmd.contactId ?? null,
    region: cmd.region ?? null,
    productLine: cmd.productLine ?? null,
    companySize: cmd.companySize ?? null,
    productNeeds: cmd.productNeeds ?? [],
    expectedAmount,
    currency: cmd.currency,
    expectedCloseDate: cmd.expectedCloseDate,
    lines,
    fields,
    by: caller.sub,
  };
}

/**
 * A converted lead's opportunity: what the lead names, else the service's defaults (a missing amount is 0; the
 * close date some days after the business day of the conversion, in the business time zone `zone`). `refs`: the
 * lead's resolution when it arrived first.
 */
export function fromConvertedLead(
  data: EventData<'lead.converted'>,
  facts: { companySize: string | null },
  defaults: { defaultCurrency: string; defaultCloseDays: number },
  zone = DEFAULT_TIME_ZONE,
  refs: { accountId: string | null; contactId: string | null } = { accountId: null, contactId: null },
): Omit<NewOpportunity, 'pipeline'> {
  const closeDate = addDays(dayOf(data.convertedAt, zone), defaults.defaultCloseDays);
  return {
    leadId: data.leadId,
    repId: data.repId,
    team: data.team ?? null,
    customer: data.customer,
    ...refs,
    region: data.region ?? null,
    productLine: data.productLine ?? null,
    companySize: facts.companySize,
    productNeeds: data.productNeeds,
    expectedAmount: formatAmount(data.expectedAmount ?? '0'),
    currency: data.currency ?? defaults.defaultCurrency,
    expectedCloseDate: data.expectedCloseDate ?? closeDate,
    lines: [],
    fields: {},
    by: 'system',
  };
}
