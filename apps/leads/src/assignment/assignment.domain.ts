// The assignment rules as pure functions: which rule matches a lead, which rep of its target gets it, and
// when the first follow-up is due. The service runs them inside a transaction with the reps locked; the
// simulation runs them over past leads without touching anything.

export const DEFAULT_FOLLOW_UP_HOURS = 72;
/** One real hour; the SLA settings may shorten it for demos and tests. */
export const HOUR_MS = 3_600_000;

export interface RuleMatch {
  regions?: string[];
  productLines?: string[];
  sources?: string[];
  companySizes?: string[];
  /** Lead quality score bounds, inclusive (0-100); a lead without a score meets neither. */
  minScore?: number;
  maxScore?: number;
}

export type RuleTarget = { kind: 'rep'; repId: string } | { kind: 'team'; team: string } | { kind: 'pool'; repIds: string[] };

export interface Rule {
  id: string;
  name: string;
  position: number;
  match: RuleMatch;
  target: RuleTarget;
  followUpHours: number;
  active: boolean;
}

/** What the rules look at. */
export interface LeadFacts {
  region?: string | null;
  productInterest?: string | null;
  source: string;
  companySize?: string | null;
  /** The lead's quality score (0-100), null when nobody has scored it. */
  score?: number | null;
}

export interface Candidate {
  id: string;
  name?: string;
  team: string | null;
  capacity: number;
  openLeads: number;
  active: boolean;
  away: boolean;
  lastAssignedAt: Date | null;
}

const eq = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const within = (allowed: string[] | undefined, value: string | null | undefined) => !allowed?.length || (value != null && allowed.some((a) => eq(a, value)));
const scoreWithin = (m: RuleMatch, score: number | null | undefined) =>
  (m.minScore == null && m.maxScore == null) || (score != null && score >= (m.minScore ?? 0) && score <= (m.maxScore ?? Infinity));

/** A rule matches when every condition it sets holds (a score between its bounds); an empty condition matches anything. */
export function ruleMatches(rule: Pick<Rule, 'match'>, lead: LeadFacts): boolean {
  const m = rule.match ?? {};
  return (
    within(m.regions, lead.region) &&
    within(m.productLines, lead.productInterest) &&
    within(m.sources, lead.source) &&
    within(m.companySizes, lead.companySize) &&
    scoreWithin(m, lead.score)
  );
}

/** The first active rule, in position order, that matches. */
export function firstMatchingRule<R extends Rule>(rules: readonly R[], lead: LeadFacts): R | undefined {
  return [...rules]
    .filter((r) => r.active)
    .sort((a, b) => a.position - b.position || a.id.localeCompare(b.id))
    .find((r) => ruleMatches(r, lead));
}

/** Whether a rep belongs to the rule's target at all (eligible or not). */
export function inTarget(target: RuleTarget, rep: Pick<Candidate, 'id' | 'team'>): boolean {
  switch (target.kind) {
    case 'rep':
      return rep.id === target.repId;
    case 'team':
      return rep.team === target.team;
    case 'pool':
      return target.repIds.includes(rep.id);
  }
}

export const describeTarget = (t: RuleTarget): string =>
  t.kind === 'rep' ? `rep ${t.repId}` : t.kind === 'team' ? `team ${t.team}` : `pool of ${t.repIds.length}`;

export function isEligible(rep: Candidate, excludeRepId?: string | null): boolean {
  return rep.active && !rep.away && rep.openLeads < rep.capacity && rep.id !== excludeRepId;
}

/**
 * Lowest load relative to capacity first (compared by cross-multiplying, no float), then the rep who has
 * waited longest since their last lead (never assigned = longest), then id: round robin on ties that does
 * not favour seniority or insertion order.
 */
export function compareCandidates(a: Candidate, b: Candidate): number {
  const load = a.openLeads * b.capacity - b.openLeads * a.capacity;
  if (load !== 0) return load;
  const ta = a.lastAssignedAt?.getTime() ?? -Infinity;
  const tb = b.lastAssignedAt?.getTime() ?? -Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface Choice {
  rep: Candidate;
  reason: string;
}

/** The rep of `target` who should get the next lead, or undefined when none is eligible. */
export function chooseRep(target: RuleTarget, reps: readonly Candidate[], opts: { excludeRepId?: string | null } = {}): Candidate | undefined {
  return reps.filter((r) => inTarget(target, r) && isEligible(r, opts.excludeRepId)).sort(compareCandidates)[0];
}

export type RuleDecision =
  { kind: 'assigned'; rule: Rule; rep: Candidate; reason: string; followUpHours: number } | { kind: 'unassigned'; rule?: Rule; reason: string };

/** Runs the rules for one lead: the rule that matched, the rep it chose and why, in words a manager reads. */
export function decide(rules: readonly Rule[], reps: readonly Candidate[], lead: LeadFacts, opts: { excludeRepId?: string | null } = {}): RuleDecision {
  const rule = firstMatchingRule(rules, lead);
  if (!rule) return { kind: 'unassigned', reason: 'no active rule matches the lead' };
  const rep = chooseRep(rule.target, reps, opts);
  const where = `rule '${rule.name}' → ${describeTarget(rule.target)}`;
  if (!rep)
    return {
      kind: 'unassigned',
      rule,
      reason: `${where}: no eligible rep (all inactive, away or at capacity${opts.excludeRepId ? ', or the current owner' : ''})`,
    };
  const why = rule.target.kind === 'rep' ? 'named rep' : `lowest load ${rep.openLeads}/${rep.capacity}`;
  return { kind: 'assigned', rule, rep, reason: `${where}, ${why}`, followUpHours: rule.followUpHours };
}

/** The first follow-up is due `hours` after the assignment. */
export function followUpDeadline(assignedAt: Date, hours = DEFAULT_FOLLOW_UP_HOURS): Date {
  return new Date(assignedAt.getTime() + hours * HOUR_MS);
}

/** Late when the deadline has passed and no follow-up was logged. */
export function isSlaBreached(lead: { firstFollowUpDueAt: Date | null; firstFollowedUpAt: Date | null; status: string }, now: Date): boolean {
  return (
    lead.status === 'assigned' && lead.firstFollowedUpAt === null && lead.firstFollowUpDueAt !== null && lead.firstFollowUpDueAt.getTime() <= now.getTime()
  );
}

// ---- simulation ----------------------------------------------------------------------------------

export interface PastLead extends LeadFacts {
  id: string;
  createdAt: Date;
  /** Who really got it first (the initial assignment), null when it went to the queue. */
  actualRepId: string | null;
}

export interface SimulationResult {
  leads: { leadId: string; repId: string | null; rule: string | null; reason: string; actualRepId: string | null; changed: boolean }[];
  reps: { repId: string; name?: string; simulated: number; actual: number; difference: number; capacity: number }[];
  totals: { leads: number; assigned: number; unassigned: number; changed: number };
}

/**
 * Replays past leads in arrival order through a proposed rule set, each rep starting empty (the period's own
 * leads are the load), and compares with what really happened. Pure: the caller's objects are not changed.
 */
export function simulate(rules: readonly Rule[], reps: readonly Candidate[], leads: readonly PastLead[]): SimulationResult {
  const state = reps.map((r) => ({ ...r, openLeads: 0, lastAssignedAt: null as Date | null }));
  const simulated = new Map<string, number>(reps.map((r) => [r.id, 0]));
  const actual = new Map<string, number>(reps.map((r) => [r.id, 0]));
  const out: SimulationResult['leads'] = [];
  for (const lead of [...leads].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))) {
    const decision = decide(rules, state, lead);
    let repId: string | null = null;
    if (decision.kind === 'assigned') {
      const rep = state.find((r) => r.id === decision.rep.id)!;
      rep.openLeads += 1;
      rep.lastAssignedAt = lead.createdAt;
      repId = rep.id;
      simulated.set(repId, (simulated.get(repId) ?? 0) + 1);
    }
    if (lead.actualRepId) actual.set(lead.actualRepId, (actual.get(lead.actualRepId) ?? 0) + 1);
    out.push({
      leadId: lead.id,
      repId,
      rule: decision.rule?.name ?? null,
      reason: decision.reason,
      actualRepId: lead.actualRepId,
      changed: repId !== lead.actualRepId,
    });
  }
  const repRows = [...new Set([...simulated.keys(), ...actual.keys()])].map((repId) => {
    const rep = reps.find((r) => r.id === repId);
    const s = simulated.get(repId) ?? 0;
    const a = actual.get(repId) ?? 0;
    return { repId, name: rep?.name, simulated: s, actual: a, difference: s - a, capacity: rep?.capacity ?? 0 };
  });
  const assigned = out.filter((l) => l.repId).length;
  return {
    leads: out,
    reps: repRows,
    totals: { leads: out.length, assigned, unassigned: out.length - assigned, changed: out.filter((l) => l.changed).length },
  };
}
