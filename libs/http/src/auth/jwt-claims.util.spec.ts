import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../problem/problem.exception';
import { authUserFromClaims } from './jwt-claims.util';
import { Role } from './role.enum';

const exp = Math.floor(Date.now() / 1000) + 60;

describe('authUserFromClaims', () => {
  it('keeps sub, known roles and team', () => {
    expect(authUserFromClaims({ sub: 'rep-1', roles: ['sales_rep'], team: 'north', exp })).toEqual({
      sub: 'rep-1',
      roles: [Role.SalesRep],
      team: 'north',
    });
  });

  it('drops roles it does not know instead of trusting them', () => {
    expect(authUserFromClaims({ sub: 'u', roles: ['superuser', 'admin', 'admin'], exp }).roles).toEqual([Role.Admin]);
  });

  it.each([
    ['no sub', { roles: [], exp }],
    ['an empty sub', { sub: '', roles: [], exp }],
    ['no expiry', { sub: 'u', roles: [] }],
    ['roles that are not an array', { sub: 'u', roles: 'admin', exp }],
    ['a team that is not a string', { sub: 'u', roles: [], team: 7, exp }],
  ])('refuses a token with %s as 401', (_case, claims) => {
    expect.assertions(2);
    try {
      authUserFromClaims(claims as Record<string, unknown>);
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).getStatus()).toBe(HttpStatus.UNAUTHORIZED);
    }
  });
});
