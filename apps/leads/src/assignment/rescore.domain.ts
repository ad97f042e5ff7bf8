// A change to what the rules look at (the quality score, region, product interest, company size) as one pure
// decision: the rules run on the lead as it was and as it is, and an owned lead moves only when the winning
// rule changed (a threshold was crossed) and the new rule's target does not hold its owner. Every path that
// changes those facts asks this, so a score change never moves a lead one way here and another way there.
import { CLOSED_STATUSES, type LeadStatus } from '../leads/lead.domain';
import { firstMatchingRule, inTarget, type Candidate, type LeadFacts, type Rule } from './assignment.domain';

/** A score change that decided the move: the scores and the rules either side of the threshold. */
export interface ScoreChange {
  from: number | null;
  to: number | null;
  /** The rule that won before, null when none did. */
  previousRule: string | null;
  /** The rule that wins now and picks the new rep. */
  rule: string;
}

export interface RescoredLead {
  status: LeadStatus;
  ownerRepId: string | null;
  before: LeadFacts;
  after: LeadFacts;
}

export type RescoreDecision =
  | { kind: 'keep'; why: string }
  /** A queued lead: the rules try it again. */
  | { kind: 'retry'; note: string; scoreChange?: ScoreChange }
  /** The owner is outside the new rule's target: the rules pick in that target, the owner excluded. */
  | { kind: 'reassign'; excludeRepId: string; note: string; scoreChange?: ScoreChange };

const FACTS = ['region', 'productInterest', 'source', 'companySize', 'score'] as const;
const same = (a: LeadFacts, b: LeadFacts) => FACTS.every((f) => (a[f] ?? null) === (b[f] ?? null));
const named = (rule: Rule | undefined) => (rule ? `rule '${rule.name}'` : 'no rule');

/** The score is what moved the lead when, with the old score and the new other facts, another rule would win. */
function scoreChangeOf(rules: readonly Rule[], before: LeadFacts, after: LeadFacts, was: Rule | undefined, now: Rule): ScoreChange | undefined {
  const from = before.score ?? null;
  const to = after.score ?? null;
  if (from === to || firstMatchingRule(rules, { ...after, score: from })?.id === now.id) return undefined;
  return { from, to, previousRule: was?.name ?? null, rule: now.name };
}

const noteOf = (was: Rule | undefined, now: Rule, sc: ScoreChange | undefined) =>
  sc ? `score_changed: score ${sc.from ?? 'none'} → ${sc.to ?? 'none'}, ${named(was)} → ${named(now)}` : `lead re-scored: ${named(was)} → ${named(now)}`;

/**
 * What a change of the rule facts does to a lead. Closed leads never move; a queued lead tries the rules again;
 * an owned lead moves when the winning rule changed and its target does not hold `owner` (the current owner,
 * with their team). Moving keeps the rules' choice as at intake: lowest load, then round robin.
 */
export function decideRescore(rules: readonly Rule[], lead: RescoredLead, owner: Pick<Candidate, 'id' | 'team'> | null): RescoreDecision {
  if (CLOSED_STATUSES.includes(lead.status)) return { kind: 'keep', why: `the lead is ${lead.status}` };
  if (same(lead.before, lead.after)) return { kind: 'keep', why: 'nothing the rules look at changed' };
  const was = firstMatchingRule(rules, lead.before);
  const now = firstMatchingRule(rules, lead.after);
  if (lead.status === 'unassigned' || !lead.ownerRepId) {
    const scoreChange = now && now.id !== was?.id ? scoreChangeOf(rules, lead.before, lead.after, was, now) : undefined;
    return { kind: 'retry', note: now ? noteOf(was, now, scoreChange) : 'lead re-scored', ...(scoreChange && { scoreChange }) };
  }
  if (!now) return { kind: 'keep', why: 'no rule matches the lead now; it stays with its owner' };
  if (now.id === was?.id) return { kind: 'keep', why: `no threshold crossed: ${named(now)} still wins` };
  if (owner && inTarget(now.target, owner)) return { kind: 'keep', why: `${named(now)} now wins and its target holds the owner` };
  const scoreChange = scoreChangeOf(rules, lead.before, lead.after, was, now);
  return { kind: 'reassign', excludeRepId: lead.ownerRepId, note: noteOf(was, now, scoreChange), ...(scoreChange && { scoreChange }) };
}
