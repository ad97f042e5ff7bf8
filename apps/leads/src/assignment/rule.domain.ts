// Assignment rules as stored: what a new rule defaults to, how a change applies, and which proposals a
// simulation accepts. Pure: the repository stores what these return.
import { DomainError, type Decision } from '@crm/domain';
import { DEFAULT_FOLLOW_UP_HOURS, type Rule, type RuleMatch, type RuleTarget } from './assignment.domain';

/** A rule as a manager writes it (the request body, already validated field by field). */
export interface RuleInput {
  name: string;
  position: number;
  match?: RuleMatch;
  target: { kind: RuleTarget['kind']; repId?: string; team?: string; repIds?: string[] };
  followUpHours?: number;
  active?: boolean;
}

export type RuleChanges = Partial<Omit<RuleInput, 'target'>> & { target?: RuleTarget };

/** The most leads one simulation replays. */
export const MAX_SIMULATED_LEADS = 50_000;

/** The target as stored: only the fields of its kind, a pool without repeats. */
export function targetOf(input: RuleInput['target']): RuleTarget {
  if (input.kind === 'rep') return { kind: 'rep', repId: input.repId! };
  if (input.kind === 'team') return { kind: 'team', team: input.team! };
  return { kind: 'pool', repIds: [...new Set(input.repIds!)] };
}

/** Score bounds that no score meets would make a rule that silently never matches. */
function checkMatch(match: RuleMatch | undefined, field = 'match'): void {
  if (match?.minScore != null && match.maxScore != null && match.minScore > match.maxScore) {
    throw DomainError.invalidField(`${field}.maxScore`, 'maxScore must not be below minScore');
  }
}

/** A rule with its defaults: matches everything, 72 hours to the first follow-up, active. */
export function ruleOf(id: string, input: RuleInput, field?: string): Rule {
  checkMatch(input.match, field);
  return {
    id,
    name: input.name,
    position: input.position,
    match: input.match ?? {},
    target: targetOf(input.target),
    followUpHours: input.followUpHours ?? DEFAULT_FOLLOW_UP_HOURS,
    active: input.active ?? true,
  };
}

export function decideCreateRule(id: string, input: RuleInput): Decision<Rule> {
  return { changes: ruleOf(id, input), events: [] };
}

/** Only the fields sent change; rules publish no events (the assignments they make do). */
export function decideUpdateRule(input: Partial<RuleInput>): Decision<RuleChanges> {
  checkMatch(input.match);
  const { target, ...rest } = input;
  return { changes: { ...rest, ...(target && { target: targetOf(target) }) }, events: [] };
}

/** A proposed rule set, each rule with its defaults and a made-up id. */
export function proposedRules(rules: readonly RuleInput[]): Rule[] {
  return rules.map((r, i) => ruleOf(`proposed-${i}`, r, `rules[${i}].match`));
}

export function checkSimulationPeriod(from: string, to: string): void {
  if (new Date(from) >= new Date(to)) throw DomainError.invalidField('to', 'to must be after from');
}

/** `found` is how many leads the period holds, read up to one past the limit. */
export function checkSimulationSize(found: number): void {
  if (found > MAX_SIMULATED_LEADS) {
    throw new DomainError({ kind: 'invalid', code: 'PERIOD_TOO_LARGE', detail: `At most ${MAX_SIMULATED_LEADS} leads per simulation; shorten the period.` });
  }
}
