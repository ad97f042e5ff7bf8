import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../problem/problem.exception';
import { authUserFromProviderClaims, claimAt, DEFAULT_CLAIM_MAPPING, parseRoleMap, type ClaimMapping } from './claim-mapping';
import { Role } from './role.enum';

const keycloak: ClaimMapping = {
  subject: 'sub',
  roles: 'realm_access.roles',
  team: 'crm.team',
  roleMap: parseRoleMap('crm-admin:admin, crm-manager:sales_manager, crm-sales:sales_rep').map,
};

function refusal(claims: Record<string, unknown>, mapping: ClaimMapping): ProblemException {
  try {
    authUserFromProviderClaims(claims, mapping);
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error('the claims were accepted');
}

describe('claimAt', () => {
  const claims = {
    sub: 'u-1',
    realm_access: { roles: ['crm-admin'] },
    crm: { team: 'north', 'deep.er': { x: 1 } },
    'https://crm.example.com/roles': ['admin'],
    'extn.team': 'south',
  };

  it('reads a top-level claim and a dot path into nested objects', () => {
    expect(claimAt(claims, 'sub')).toBe('u-1');
    expect(claimAt(claims, 'realm_access.roles')).toEqual(['crm-admin']);
    expect(claimAt(claims, 'crm.team')).toBe('north');
  });

  it('finds a claim whose own name contains dots, at the top or nested', () => {
    expect(claimAt(claims, 'https://crm.example.com/roles')).toEqual(['admin']);
    expect(claimAt(claims, 'extn.team')).toBe('south');
    expect(claimAt(claims, 'crm.deep.er.x')).toBe(1);
  });

  it('is undefined for a missing claim or a path through something that is not an object', () => {
    expect(claimAt(claims, 'realm_access.groups')).toBeUndefined();
    expect(claimAt(claims, 'sub.length')).toBeUndefined();
    expect(claimAt(claims, 'realm_access.roles.0')).toBeUndefined();
    expect(claimAt(claims, 'nothing')).toBeUndefined();
  });

  it('never reads inherited properties', () => {
    expect(claimAt({}, 'constructor')).toBeUndefined();
    expect(claimAt({ a: {} }, 'a.__proto__')).toBeUndefined();
  });
});

describe('authUserFromProviderClaims', () => {
  it('takes roles and team from nested claims, through the role map, dropping what the map does not name', () => {
    const claims = { sub: 'kc-7', realm_access: { roles: ['crm-manager', 'offline_access', 'uma_authorization'] }, crm: { team: 'north' } };
    expect(authUserFromProviderClaims(claims, keycloak)).toEqual({ sub: 'kc-7', roles: [Role.SalesManager], team: 'north' });
  });

  it('treats the role map as the whole list: a provider role spelled like ours but not mapped is dropped', () => {
    expect(authUserFromProviderClaims({ sub: 'u', realm_access: { roles: ['admin', 'crm-sales'] } }, keycloak).roles).toEqual([Role.SalesRep]);
  });

  it('maps one provider role to several of ours, and several to one without duplicates', () => {
    const mapping = { ...DEFAULT_CLAIM_MAPPING, roleMap: parseRoleMap('lead:sales_manager,lead:sales_rep,rep:sales_rep').map };
    expect(authUserFromProviderClaims({ sub: 'u', roles: ['lead', 'rep'] }, mapping).roles).toEqual([Role.SalesManager, Role.SalesRep]);
  });

  it('without a map takes the names equal to ours and drops the rest', () => {
    expect(authUserFromProviderClaims({ sub: 'u', roles: ['finance', 'Admin', 'superuser'] }, DEFAULT_CLAIM_MAPPING).roles).toEqual([Role.Finance]);
  });

  it('reads the subject from a configured claim, e.g. the rep id the provider keeps for the user', () => {
    const mapping = { ...DEFAULT_CLAIM_MAPPING, subject: 'crm.rep_id' };
    expect(authUserFromProviderClaims({ sub: 'pairwise-x', crm: { rep_id: 'rep-42' }, roles: ['sales_rep'] }, mapping).sub).toBe('rep-42');
  });

  it('reads roles given as one space- or comma-separated string', () => {
    expect(authUserFromProviderClaims({ sub: 'u', roles: 'sales_rep finance,admin' }, DEFAULT_CLAIM_MAPPING).roles).toEqual([
      Role.SalesRep,
      Role.Finance,
      Role.Admin,
    ]);
  });

  it('gives a user the provider assigns no roles none (403 later), not a 401', () => {
    expect(authUserFromProviderClaims({ sub: 'u' }, keycloak)).toEqual({ sub: 'u', roles: [] });
  });

  it('takes a team from a list of exactly one (a groups claim), and none from an empty list', () => {
    const groups = { ...DEFAULT_CLAIM_MAPPING, team: 'groups' };
    expect(authUserFromProviderClaims({ sub: 'u', groups: ['north'] }, groups).team).toBe('north');
    expect(authUserFromProviderClaims({ sub: 'u', groups: [] }, groups).team).toBeUndefined();
  });

  it.each([
    ['no subject', { roles: [] }, DEFAULT_CLAIM_MAPPING, 'The token has no subject (claim "sub").'],
    ['an empty subject', { sub: '' }, DEFAULT_CLAIM_MAPPING, 'The token has no subject (claim "sub").'],
    [
      'a roles claim that is an object',
      { sub: 'u', realm_access: { roles: { admin: true } } },
      keycloak,
      'The token\'s roles claim ("realm_access.roles") is neither a list nor a string.',
    ],
    ['two teams', { sub: 'u', crm: { team: ['north', 'south'] } }, keycloak, 'The token\'s team claim ("crm.team") must name one team.'],
    ['a team that is a number', { sub: 'u', crm: { team: 7 } }, keycloak, 'The token\'s team claim ("crm.team") must name one team.'],
  ])('refuses %s with a 401 naming the claim', (_case, claims, mapping, detail) => {
    const error = refusal(claims as Record<string, unknown>, mapping);
    expect(error.getStatus()).toBe(HttpStatus.UNAUTHORIZED);
    expect(error.detail).toBe(detail);
  });
});

describe('parseRoleMap', () => {
  it('reads provider-role:our-role pairs; a provider role may itself contain colons', () => {
    const { map, problems } = parseRoleMap(' crm-admin:admin ,urn:crm:finance:finance,,');
    expect(problems).toEqual([]);
    expect([...map]).toEqual([
      ['crm-admin', [Role.Admin]],
      ['urn:crm:finance', [Role.Finance]],
    ]);
  });

  it('names each entry that is not a pair or maps to a role we do not have', () => {
    expect(parseRoleMap('crm-admin,:admin,boss:root').problems).toEqual([
      '"crm-admin" is not provider-role:our-role',
      '":admin" is not provider-role:our-role',
      expect.stringContaining('"boss:root" maps to an unknown role "root"'),
    ]);
  });
});
