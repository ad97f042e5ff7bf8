import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../problem/problem.exception';
import { accessScope } from './access-scope.util';
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
