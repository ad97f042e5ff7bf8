import { HttpStatus } from '@nestjs/common';
import { HttpProblemCode } from '../problem/problem-code.enum';
import { ProblemException } from '../problem/problem.exception';
import { AuthUser } from './auth-user.types';
import { ALL_ROLES, Role } from './role.enum';

/**
 * The claims of an already verified token, checked for shape. A token without `exp` is refused: an HS256
 * token that never expires is a leaked secret for good. Roles this code does not know are dropped, not
 * trusted, so an identity provider ahead of us cannot grant what we do not check.
 */
export function authUserFromClaims(claims: Record<string, unknown>): AuthUser {
  const { sub, roles, team, exp } = claims;
  if (typeof sub !== 'string' || sub.length === 0) throw unauthenticated('The token has no subject.');
  if (typeof exp !== 'number') throw unauthenticated('The token has no expiry.');
  if (!Array.isArray(roles)) throw unauthenticated('The token has no roles claim.');
  if (team !== undefined && (typeof team !== 'string' || team.length === 0)) {
    throw unauthenticated('The token has a malformed team claim.');
  }
  const known = roles.filter((role): role is Role => ALL_ROLES.includes(role as Role));
  return { sub, roles: [...new Set(known)], ...(team !== undefined && { team }) };
}

export function unauthenticated(detail: string): ProblemException {
  return new ProblemException({ status: HttpStatus.UNAUTHORIZED, code: HttpProblemCode.Unauthenticated, detail });
}

export function forbidden(detail: string): ProblemException {
  return new ProblemException({ status: HttpStatus.FORBIDDEN, code: HttpProblemCode.Forbidden, detail });
}
