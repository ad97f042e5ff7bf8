import { channelsFor, escalatesAt, mayBeTold, paramsFor, ruleMatches, type RecordAccess, type Recipient, type Rule, type Trigger } from './fanout.domain';

const rule = (over: Partial<Rule> = {}): Rule => ({
  id: 'r',
  eventType: 'order.delayed',
  match: {},
  type: 'quality_problem',
  audiences: ['owner'],
  channels: ['in_app', 'email', 'webhook'],
  ...over,
});
const person = (over: Partial<Recipient> = {}): Recipient => ({
  userId: 'u1',
  email: 'u1@x.example',
  roles: ['sales_rep'],
  team: 'east',
  managerId: 'm1',
  active: true,
  ...over,
});
const access: RecordAccess = { ownerId: 'u1', team: 'east', label: 'Acme · Li Wei', productLines: ['pumps'] };
const ctx = { productTeams: ['pump-rd'], ownerManagerId: 'm1' };
const trigger: Trigger = {
  eventId: 'e',
  eventType: 'lead.reassigned',
  data: { reason: 'sla_breach', leadId: 'l1' },
  occurredAt: new Date('2026-12-01T00:00:00Z'),
  record: { kind: 'lead', id: 'l1' },
};

describe('fan-out decisions', () => {
  it('matches a rule only when every field of its match equals the data', () => {
    expect(ruleMatches(rule({ match: { reason: 'quality_problem' } }), { reason: 'quality_problem', orderId: 'o' })).toBe(true);
    expect(ruleMatches(rule({ match: { reason: 'quality_problem' } }), { reason: 'past_promised_date' })).toBe(false);
    expect(ruleMatches(rule({ match: { complaint: true } }), {})).toBe(false);
    expect(ruleMatches(rule(), { anything: 1 })).toBe(true);
  });

  it('tells only those who may see the record', () => {
    expect(mayBeTold('owner', person(), access, ctx)).toBe(true);
    expect(mayBeTold('owner', person({ userId: 'u2' }), access, ctx)).toBe(false);
    expect(mayBeTold('owner', person({ active: false }), access, ctx)).toBe(false);
    expect(mayBeTold('manager', person({ userId: 'm1' }), access, ctx)).toBe(true);
    expect(mayBeTold('manager', person({ userId: 'm2', roles: ['sales_manager'] }), access, ctx)).toBe(false);
    // No manager on record: a manager of the record's team, not of another.
    expect(mayBeTold('manager', person({ userId: 'm2', roles: ['sales_manager'] }), access, { ...ctx, ownerManagerId: null })).toBe(true);
    expect(mayBeTold('manager', person({ userId: 'm3', roles: ['sales_manager'], team: 'west' }), access, { ...ctx, ownerManagerId: null })).toBe(false);
    expect(mayBeTold('finance', person({ roles: ['finance'] }), access, ctx)).toBe(true);
    expect(mayBeTold('finance', person({ roles: ['sales_rep'] }), access, ctx)).toBe(false);
    expect(mayBeTold('product_team', person({ roles: ['product_team'], team: 'pump-rd' }), access, ctx)).toBe(true);
    expect(mayBeTold('product_team', person({ roles: ['product_team'], team: 'valve-rd' }), access, ctx)).toBe(false);
    expect(mayBeTold('product_team', person({ roles: ['sales_rep'], team: 'pump-rd' }), access, ctx)).toBe(false);
    // The previous owner is not the owner any more.
    expect(mayBeTold('previous_owner', person({ userId: 'u0' }), access, ctx)).toBe(true);
    expect(mayBeTold('previous_owner', person(), access, ctx)).toBe(false);
  });

  it('names nothing for a previous owner, and the record for everyone else', () => {
    expect(paramsFor('previous_owner', trigger, access)).toEqual({ reason: 'sla_breach' });
    expect(paramsFor('owner', trigger, access)).toMatchObject({ label: 'Acme · Li Wei', reason: 'sla_breach', leadId: 'l1' });
    expect(paramsFor('owner', trigger, { ...access, label: null })).toMatchObject({ label: 'l1' });
  });

  it('drops the channels a user turned off, unless the type is critical', () => {
    expect(channelsFor(rule(), false, new Set(['email']))).toEqual(['in_app', 'webhook']);
    expect(channelsFor(rule(), true, new Set(['email']))).toEqual(['in_app', 'email', 'webhook']);
    expect(channelsFor(rule({ channels: ['in_app'] }), false, new Set())).toEqual(['in_app']);
    expect(channelsFor(rule({ channels: ['email'] }), false, new Set(['email']))).toEqual([]);
  });

  it("escalates only the owner's alerts of a type with a window", () => {
    const at = new Date('2026-12-01T00:00:00Z');
    expect(escalatesAt('owner', 60, at)).toEqual(new Date('2026-12-01T01:00:00Z'));
    expect(escalatesAt('owner', null, at)).toBeNull();
    expect(escalatesAt('product_team', 60, at)).toBeNull();
  });
});
