import { DataSource } from 'typeorm';
import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../problem/problem.exception';
import { accessScope, restrictToScope } from './access-scope.util';
import { Role } from './role.enum';

describe('accessScope', () => {
  it.each([Role.Admin, Role.Integration])('gives %s every record', (role) => {
    expect(accessScope({ sub: 'u1', roles: [role] })).toEqual({ kind: 'all' });
  });

  it("gives a sales manager their team's records", () => {
    expect(accessScope({ sub: 'm1', roles: [Role.SalesManager], team: 'north' })).toEqual({ kind: 'team', team: 'north' });
  });

  it('gives a sales rep only their own records', () => {
    expect(accessScope({ sub: 'rep-7', roles: [Role.SalesRep], team: 'north' })).toEqual({ kind: 'own', repId: 'rep-7' });
  });

  it('falls back to own records for a manager whose token names no team', () => {
    expect(accessScope({ sub: 'm2', roles: [Role.SalesManager] })).toEqual({ kind: 'own', repId: 'm2' });
  });

  it('takes the widest scope among several roles', () => {
    expect(accessScope({ sub: 'u2', roles: [Role.SalesRep, Role.SalesManager], team: 'south' })).toEqual({
      kind: 'team',
      team: 'south',
    });
    expect(accessScope({ sub: 'u3', roles: [Role.SalesRep, Role.Admin] })).toEqual({ kind: 'all' });
  });

  it('refuses a caller with no role with a 403 problem', () => {
    expect.assertions(2);
    try {
      accessScope({ sub: 'u4', roles: [] });
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).getStatus()).toBe(HttpStatus.FORBIDDEN);
    }
  });
});

describe('restrictToScope', () => {
  const dataSource = new DataSource({ type: 'postgres' });
  const query = (user: Parameters<typeof restrictToScope>[1], team = 'o.team') => {
    const qb = restrictToScope(dataSource.createQueryBuilder().select('o.id').from('orders', 'o'), user, { rep: 'o.rep_id', team });
    return { sql: qb.getQuery(), params: qb.getParameters() };
  };
  const repId = '6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f';

  it('leaves an admin or integration query alone', () => {
    expect(query({ sub: 'u1', roles: [Role.Integration] }).sql).not.toContain('WHERE');
  });

  it("keeps a rep to their own rows and a manager to their team's", () => {
    expect(query({ sub: repId, roles: [Role.SalesRep] })).toMatchObject({ sql: expect.stringContaining('o.rep_id = :scopeRep'), params: { scopeRep: repId } });
    expect(query({ sub: 'm1', roles: [Role.SalesManager], team: 'north' })).toMatchObject({
      sql: expect.stringContaining('o.team = :scopeTeam'),
      params: { scopeTeam: 'north' },
    });
  });

  it('takes a whole team condition when it names :scopeTeam', () => {
    const { sql } = query({ sub: 'm1', roles: [Role.SalesManager], team: 'north' }, '(o.team = :scopeTeam OR o.team IS NULL)');
    expect(sql).toContain('(o.team = :scopeTeam OR o.team IS NULL)');
  });

  it('gives a rep whose token sub is not a uuid no rows instead of a cast error', () => {
    expect(query({ sub: 'rep-7', roles: [Role.SalesRep] }).sql).toContain('1 = 0');
  });
});
