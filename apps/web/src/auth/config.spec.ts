import { claimAt, jwtPayload, parseConsoleConfig } from './config';

describe('the console’s sign-in settings', () => {
  it('takes the development sign-in, or single sign-on with defaults for what is left out', () => {
    expect(parseConsoleConfig({ signIn: 'dev' })).toEqual({ signIn: 'dev' });
    expect(parseConsoleConfig({ signIn: 'oidc', oidc: { authority: 'https://id.example.com/realms/crm', clientId: 'console' } })).toEqual({
      signIn: 'oidc',
      oidc: {
        authority: 'https://id.example.com/realms/crm',
        clientId: 'console',
        scope: 'openid profile email',
        rolesClaim: 'roles',
        teamClaim: 'team',
        nameClaim: 'name',
      },
    });
  });

  it('reads a deployment template’s values: empty ones are unset, the role map in the services’ text form', () => {
    const config = parseConsoleConfig({
      signIn: 'oidc',
      oidc: {
        authority: 'https://id.example.com',
        clientId: 'console',
        rolesClaim: '',
        roleMapText: 'crm-sales:sales_rep, crm-boss:sales_manager,crm-boss:sales_rep',
      },
    });
    expect(config).toMatchObject({ oidc: { rolesClaim: 'roles', roleMap: { 'crm-sales': ['sales_rep'], 'crm-boss': ['sales_manager', 'sales_rep'] } } });
    expect(() => parseConsoleConfig({ signIn: 'oidc', oidc: { authority: '', clientId: 'console' } })).toThrow(/oidc.authority/);
  });

  it('refuses settings it cannot use, saying what is missing', () => {
    expect(() => parseConsoleConfig({ signIn: 'oidc', oidc: { authority: 'https://id.example.com' } })).toThrow(/oidc.clientId/);
    expect(() => parseConsoleConfig({})).toThrow(/signIn must be/);
  });

  it('reads claims at dot paths from a token’s payload, UTF-8 included', () => {
    const payload = { sub: 'u1', name: '王芳', realm_access: { roles: ['crm-sales'] } };
    const base64url = btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(payload))))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    const token = `x.${base64url}.y`;
    const claims = jwtPayload(token);
    expect(claims.name).toBe('王芳');
    expect(claimAt(claims, 'realm_access.roles')).toEqual(['crm-sales']);
  });
});
