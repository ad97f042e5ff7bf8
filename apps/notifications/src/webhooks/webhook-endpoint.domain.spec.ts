import { randomBytes } from 'node:crypto';
import { Role } from '@crm/http';
import {
  checkUrl,
  decideCreate,
  decideEdit,
  decideEnable,
  decideOwner,
  decideRotate,
  mayManage,
  newSecret,
  toView,
  validSecrets,
  type EndpointState,
} from './webhook-endpoint.domain';

const rep = { sub: 'rep-1', roles: [Role.SalesRep], team: 'east' };
const manager = { sub: 'mgr-1', roles: [Role.SalesManager], team: 'east' };
const admin = { sub: 'adm-1', roles: [Role.Admin] };
const now = new Date('2026-03-01T00:00:00.000Z');
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);

const created = (): EndpointState =>
  decideCreate({ url: 'https://hooks.example/crm', types: ['lead_assigned', 'lead_assigned'] }, rep, {
    id: 'e-1',
    secret: 'whsec_AAAA',
    now,
    production: true,
  });

describe('checkUrl', () => {
  it('takes https anywhere', () => {
    expect(checkUrl('https://hooks.example/a?b=1', true)).toBe('https://hooks.example/a?b=1');
  });

  it('takes http only to this machine, and only outside production', () => {
    expect(checkUrl('http://127.0.0.1:9000/h', false)).toBe('http://127.0.0.1:9000/h');
    expect(checkUrl('http://localhost/h', false)).toBe('http://localhost/h');
    expect(() => checkUrl('http://127.0.0.1:9000/h', true)).toThrow('The request has 1 invalid field.');
    expect(() => checkUrl('http://hooks.example/h', false)).toThrow();
  });

  it('refuses loopback in production, other schemes and credentials', () => {
    expect(() => checkUrl('https://localhost/h', true)).toThrow();
    expect(() => checkUrl('ftp://hooks.example/h', false)).toThrow();
    expect(() => checkUrl('https://user:pw@hooks.example/h', false)).toThrow();
    expect(() => checkUrl('not a url', false)).toThrow();
  });
});

describe('ownership', () => {
  it('is the caller, or a team for its manager or an admin', () => {
    expect(decideOwner(rep, undefined)).toEqual({ ownerUserId: 'rep-1', ownerTeam: null });
    // An explicit null (what a generated client sends for "no team") is the caller too, not an owner-less endpoint.
    expect(decideOwner(admin, null)).toEqual({ ownerUserId: 'adm-1', ownerTeam: null });
    expect(decideOwner(manager, 'east')).toEqual({ ownerUserId: null, ownerTeam: 'east' });
    expect(decideOwner(admin, 'west')).toEqual({ ownerUserId: null, ownerTeam: 'west' });
    expect(() => decideOwner(rep, 'east')).toThrow(expect.objectContaining({ kind: 'forbidden' }) as Error);
    expect(() => decideOwner(manager, 'west')).toThrow(expect.objectContaining({ kind: 'forbidden' }) as Error);
  });

  it("lets the owner, the team's manager and admins manage it, nobody else", () => {
    const own = { ownerUserId: 'rep-1', ownerTeam: null };
    const team = { ownerUserId: null, ownerTeam: 'east' };
    expect(mayManage(rep, own)).toBe(true);
    expect(mayManage({ ...rep, sub: 'rep-2' }, own)).toBe(false);
    expect(mayManage(manager, own)).toBe(false);
    expect(mayManage(manager, team)).toBe(true);
    expect(mayManage(rep, team)).toBe(false);
    expect(mayManage({ ...manager, team: 'west' }, team)).toBe(false);
    expect(mayManage(admin, own)).toBe(true);
  });
});

describe('create and edit', () => {
  it('creates an enabled standard endpoint with one secret and unique types', () => {
    const e = created();
    expect(e).toMatchObject({ format: 'standard', types: ['lead_assigned'], enabled: true, version: 1, ownerUserId: 'rep-1', createdBy: 'rep-1' });
    expect(e.secrets).toEqual([{ secret: 'whsec_AAAA', createdAt: now.toISOString(), expiresAt: null }]);
  });

  it('edits what is given, an empty description clears it, and the version moves', () => {
    const e = decideEdit({ ...created(), description: 'old' }, { format: 'slack', description: '' }, { now, production: true });
    expect(e).toMatchObject({ format: 'slack', description: null, url: 'https://hooks.example/crm', version: 2 });
    expect(() => decideEdit(created(), { url: 'http://hooks.example' }, { now, production: true })).toThrow();
  });

  it('enabling clears the disable and the failure count', () => {
    const e = decideEnable({ ...created(), enabled: false, disabledAt: now, disabledReason: 'gone', consecutiveFailures: 5 }, now);
    expect(e).toMatchObject({ enabled: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0, version: 2 });
  });
});

describe('secrets', () => {
  it('are whsec_ and base64 of the random bytes', () => {
    const bytes = randomBytes(24);
    expect(newSecret(bytes)).toBe(`whsec_${bytes.toString('base64')}`);
  });

  it('a rotation makes the new one primary and keeps the old one for the overlap', () => {
    const rotated = decideRotate(created(), 'whsec_BBBB', { now, overlapHours: 24 });
    expect(validSecrets(rotated.secrets, now)).toEqual(['whsec_BBBB', 'whsec_AAAA']);
    expect(validSecrets(rotated.secrets, hours(25))).toEqual(['whsec_BBBB']);
    expect(toView(rotated, now)).toMatchObject({ previousSecretsExpireAt: hours(24).toISOString(), version: 2 });
    expect(toView(rotated, now)).not.toHaveProperty('secrets');
  });

  it('a second rotation keeps the first replaced secret to its own end, and drops expired ones', () => {
    const once = decideRotate(created(), 'whsec_BBBB', { now, overlapHours: 24 });
    const twice = decideRotate(once, 'whsec_CCCC', { now: hours(1), overlapHours: 24 });
    expect(validSecrets(twice.secrets, hours(2))).toEqual(['whsec_CCCC', 'whsec_BBBB', 'whsec_AAAA']);
    expect(validSecrets(twice.secrets, hours(24.5))).toEqual(['whsec_CCCC', 'whsec_BBBB']);
    const later = decideRotate(twice, 'whsec_DDDD', { now: hours(30), overlapHours: 24 });
    expect(later.secrets.map((s) => s.secret)).toEqual(['whsec_DDDD', 'whsec_CCCC']);
  });

  it('with no overlap, the old secret stops at once', () => {
    const rotated = decideRotate(created(), 'whsec_BBBB', { now, overlapHours: 0 });
    expect(validSecrets(rotated.secrets, now)).toEqual(['whsec_BBBB']);
  });
});
