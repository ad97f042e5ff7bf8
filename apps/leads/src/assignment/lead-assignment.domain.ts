// Assigning one lead as a pure decision: the manager's pick or the rules over the locked reps, the owner's
// team as the SLA fallback, the deadline, and the event. The service loads the state and stores the result.
import { DomainError, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { LOAD_STATUSES, type LeadStatus } from '../leads/lead.domain';
import {
  chooseRep,
  decide,
  DEFAULT_FOLLOW_UP_HOURS,
  firstMatchingRule,
  followUpDeadline,
  HOUR_MS,
  type Candidate,
  type LeadFacts,
  type Rule,
  type RuleDecision,
  type RuleTarget,
} from './assignment.domain';
import type { ScoreChange } from './rescore.domain';

export type AssignmentKind = 'initial' | 'sla_breach' | 'manual' | 'retry' | 'quality';

/** The lead as the assignment needs it; the caller holds its row lock. */
export interface LeadToAssign extends LeadFacts {
  id: string;
  status: LeadStatus;
  ownerRepId: string | null;
  version: number;
  firstFollowUpDueAt?: Date | null;
}

export interface AssignOptions {
  kind: AssignmentKind;
  by: string;
  now: Date;
  /** Not this rep (the owner who missed the deadline, or the one being moved away from). */
  excludeRepId?: string | null;
  /** A manager's pick, instead of the rules. */
  repId?: string;
  /** When the rules' target has nobody else: the owner's teammates (SLA re-assignment). */
  fallbackTeam?: string | null;
  /** For kind sla_breach: the deadline that was missed (one re-assignment per deadline). */
  breachedDeadline?: Date;
  note?: string;
  /** The score change that crossed a rule's threshold and moves the lead; the event says so. */
  scoreChange?: ScoreChange;
}

/** What an assignment sees: the lead, the active rules and the reps it may touch, locked. */
export interface AssignmentState {
  version: number;
  lead: LeadToAssign;
  rules: readonly Rule[];
  candidates: readonly Candidate[];
}

export type AssignmentChanges =
  | { assigned: false; reason: string }
  | {
      assigned: true;
      repId: string;
      team: string | null;
      /** The owner the lead leaves, whose load drops when the lead counted towards it. */
      previousRepId: string | null;
      releasePrevious: boolean;
      ruleId: string | null;
      kind: AssignmentKind;
      reason: string;
      deadline: Date;
      breachedDeadline: Date | null;
      by: string;
      at: Date;
    };

/** The reps a decision could touch: the manager's pick, else the target of the rule that matches. */
export function assignmentTarget(rules: readonly Rule[], lead: LeadFacts, repId?: string): RuleTarget | undefined {
  return repId ? { kind: 'rep', repId } : firstMatchingRule(rules, lead)?.target;
}

// What `lead.reassigned` says moved the lead.
const REASSIGN_REASONS = { sla_breach: 'sla_breach', quality: 'lead_quality', manual: 'manual', initial: 'manual', retry: 'manual' } as const;

const syntheticRule = (name: string, target: RuleTarget): Rule => ({
  id: '',
  name,
  position: 0,
  match: {},
  target,
  followUpHours: DEFAULT_FOLLOW_UP_HOURS,
  active: true,
});

function choose({ rules, candidates }: AssignmentState, facts: LeadFacts, opts: AssignOptions): RuleDecision {
  if (opts.repId) {
    const manual = syntheticRule('manual', { kind: 'rep', repId: opts.repId });
    const rep = chooseRep(manual.target, candidates, { excludeRepId: opts.excludeRepId });
    return rep
      ? { kind: 'assigned', rule: manual, rep, reason: `chosen by ${opts.by}${opts.note ? `: ${opts.note}` : ''}`, followUpHours: manual.followUpHours }
      : { kind: 'unassigned', reason: `rep ${opts.repId} is unknown, inactive, away, at capacity or already the owner` };
  }
  const decision = decide(rules, candidates, facts, { excludeRepId: opts.excludeRepId });
  if (decision.kind === 'assigned' || !opts.fallbackTeam) return decision;
  const rep = chooseRep({ kind: 'team', team: opts.fallbackTeam }, candidates, { excludeRepId: opts.excludeRepId });
  if (!rep) return decision;
  const rule = decision.rule ?? syntheticRule('team fallback', { kind: 'team', team: opts.fallbackTeam });
  return {
    kind: 'assigned',
    rule,
    rep,
    reason: `${decision.reason}; fell back to team ${opts.fallbackTeam}, lowest load ${rep.openLeads}/${rep.capacity}`,
    followUpHours: rule.followUpHours,
  };
}

/**
 * Assigns (or re-assigns) one lead: the manager's pick or the rules, then the owner's team as a fallback when
 * asked. The deadline is the rule's hours, each `hourMs` long. `lead.assigned` for a first owner,
 * `lead.reassigned` when the lead had one.
 */
export function decideAssignment(state: AssignmentState, opts: AssignOptions, hourMs = HOUR_MS): Decision<AssignmentChanges> {
  const { lead } = state;
  const decision = choose(state, lead, opts);
  if (decision.kind === 'unassigned') return { changes: { assigned: false, reason: decision.reason }, events: [] };
  const { rep, rule } = decision;
  const reason = !opts.repId && opts.note ? `${decision.reason} (${opts.kind} by ${opts.by}: ${opts.note})` : decision.reason;
  const deadline = followUpDeadline(opts.now, (decision.followUpHours * hourMs) / HOUR_MS);
  const previous = lead.ownerRepId;
  const at = opts.now.toISOString();
  const due = deadline.toISOString();
  const sc = opts.scoreChange;
  const scoreChange = sc && { from: sc.from, to: sc.to, previousRule: sc.previousRule ?? undefined, rule: sc.rule };
  const event = previous
    ? newEvent('lead.reassigned', {
        subject: lead.id,
        data: {
          leadId: lead.id,
          fromRepId: previous,
          toRepId: rep.id,
          reason: sc ? 'score_changed' : REASSIGN_REASONS[opts.kind],
          reassignedAt: at,
          firstFollowUpDueAt: due,
          scoreChange,
        },
      })
    : newEvent('lead.assigned', {
        subject: lead.id,
        data: { leadId: lead.id, repId: rep.id, team: rep.team ?? undefined, rule: rule.name, assignedAt: at, firstFollowUpDueAt: due, scoreChange },
      });
  return {
    changes: {
      assigned: true,
      repId: rep.id,
      team: rep.team,
      previousRepId: previous,
      releasePrevious: !!previous && LOAD_STATUSES.includes(lead.status),
      ruleId: rule.id || null,
      kind: opts.kind,
      reason,
      deadline,
      breachedDeadline: opts.breachedDeadline ?? null,
      by: opts.by,
      at: opts.now,
    },
    events: [event],
  };
}

export const noEligibleRep = (reason: string) => DomainError.conflict('NO_ELIGIBLE_REP', `No rep can take the lead: ${reason}.`);
