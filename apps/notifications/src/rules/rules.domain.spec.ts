import { DomainError } from '@crm/domain';
import { decideTypeEdit, knownEventTypes, matchIssues, OWN_TRIGGERS, typeView, validateRule, type RuleInput } from './rules.domain';

const rule = (over: Partial<RuleInput> = {}): RuleInput => ({
  eventType: 'order.delayed',
  match: { reason: 'quality_problem' },
  type: 'quality_problem',
  audiences: ['owner', 'product_team'],
  channels: ['in_app', 'email'],
  enabled: true,
  ...over,
});

const fieldsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (e) {
    return ((e as DomainError).fields ?? []).map((f) => f.field);
  }
  return [];
};

describe('rules', () => {
  it('offers every published event type and the own triggers', () => {
    const types = knownEventTypes();
    expect(types).toEqual(expect.arrayContaining(['order.delayed', 'lead.assigned', ...Object.keys(OWN_TRIGGERS)]));
    expect(types).not.toContain('crm.order.delayed');
  });

  it('accepts a rule whose match names fields and values of the event', () => {
    expect(validateRule('quality-problem', rule())).toEqual(rule());
    expect(validateRule('complaints', rule({ eventType: 'order.feedback_received', match: { complaint: true, rating: 1 } }))).toBeDefined();
  });

  it('refuses an unknown event type, naming eventType', () => {
    expect(fieldsOf(() => validateRule('x', rule({ eventType: 'order.teleported' })))).toEqual(['eventType']);
  });

  it('refuses a match field the event data does not have, and a value the field can never take', () => {
    expect(matchIssues('order.delayed', { colour: 'red' })).toEqual([expect.objectContaining({ field: 'match.colour', constraint: 'eventField' })]);
    expect(matchIssues('order.delayed', { reason: 'late' })).toEqual([expect.objectContaining({ field: 'match.reason', constraint: 'eventFieldValue' })]);
    expect(matchIssues('order.feedback_received', { complaint: 'yes' })).toHaveLength(1);
    expect(fieldsOf(() => validateRule('x', rule({ match: { colour: 'red', reason: 'quality_problem' } })))).toEqual(['match.colour']);
  });

  it("checks an own trigger's match against the fields it carries", () => {
    expect(matchIssues('webhook.disabled', { ownerTeam: 'east' })).toEqual([]);
    expect(matchIssues('escalation.due', { colour: 'red' })).toEqual([expect.objectContaining({ field: 'match.colour' })]);
  });

  it('refuses a rule id that is not a short slug', () => {
    expect(fieldsOf(() => validateRule('Not A Slug', rule()))).toEqual(['id']);
  });
});

describe('types', () => {
  const current = { type: 'stage_overdue' as const, critical: false, escalateAfterMinutes: 1440, version: 5 };

  it('changes only what the edit sends; null turns escalation off', () => {
    expect(decideTypeEdit(current, { critical: true })).toEqual({ type: 'stage_overdue', critical: true, escalateAfterMinutes: 1440 });
    expect(decideTypeEdit(current, { escalateAfterMinutes: null })).toEqual({ type: 'stage_overdue', critical: false, escalateAfterMinutes: null });
    expect(decideTypeEdit(current, { escalateAfterMinutes: 30 }).escalateAfterMinutes).toBe(30);
  });

  it('names the record kind a type is about', () => {
    expect(typeView(current).record).toBe('opportunity');
  });
});
