import { consoleConfig } from './local';
import { renderNginxConf, type GatewayConfig } from './nginx-conf';

// The console behind the gateway: its files at `/`, its settings at /config.json, the API's unknown paths still
// answered as problems, and the development sign-in routed only when asked for.
const base: GatewayConfig = {
  listen: '8080',
  upstreams: { leads: ['127.0.0.1:3001'] } as GatewayConfig['upstreams'],
  corsOrigins: [],
  pidFile: '/tmp/p',
  tempDir: '/tmp/t',
  accessLog: '/dev/stdout',
  errorLog: '/dev/stderr',
  documentPath: '/doc.json',
  swaggerUiDir: '/swagger',
  docsPagePath: '/docs.html',
  jsonBodyLimit: 1024,
  uploadBodyLimit: 2048,
  workerProcesses: '1',
};
const table = { routes: [{ prefix: '/api/v1/leads', service: 'leads' as const }], streams: [], uploads: [] };

describe('the console behind the gateway', () => {
  it('serves the built console with its own routes falling back to index.html, and keeps /api/ problems', () => {
    const conf = renderNginxConf(table, {
      ...base,
      console: { dir: '/srv/web', configPath: '/run/config.json', devSignIn: false, connectSources: ['https://id.example.com'] },
    });
    expect(conf).toContain('try_files $uri /index.html;');
    expect(conf).toContain('location = /config.json {\n      alias /run/config.json;');
    expect(conf).toMatch(/location \/assets\/ \{[^}]*immutable/);
    expect(conf).toMatch(/location \/api\/ \{\s*default_type application\/problem\+json;\s*return 404/);
    expect(conf).toContain("connect-src 'self' https://id.example.com");
    expect(conf).not.toContain('dev-sign-in');
    expect(conf).not.toContain('location = / {');
  });

  it('routes the development sign-in to leads only when it is on, and leads / to the docs without a console', () => {
    expect(renderNginxConf(table, { ...base, console: { dir: '/w', configPath: '/c', devSignIn: true, connectSources: [] } })).toContain(
      'location = /api/v1/dev-sign-in {\n      set $service leads;',
    );
    const apiOnly = renderNginxConf(table, base);
    expect(apiOnly).toContain('return 302 /docs');
    expect(apiOnly).toMatch(/location \/ \{\s*default_type application\/problem\+json;\s*return 404/);
  });

  it('tells the console to use single sign-on when the provider and its client id are set, with the services’ claim settings', () => {
    expect(consoleConfig({})).toEqual({ signIn: 'dev' });
    expect(
      consoleConfig({
        OIDC_ISSUER: 'https://id.example.com/realms/crm',
        CONSOLE_OIDC_CLIENT_ID: 'crm-console',
        OIDC_ROLES_CLAIM: 'realm_access.roles',
        OIDC_ROLE_MAP: 'crm-sales:sales_rep',
      }),
    ).toEqual({
      signIn: 'oidc',
      oidc: {
        authority: 'https://id.example.com/realms/crm',
        clientId: 'crm-console',
        rolesClaim: 'realm_access.roles',
        roleMap: { 'crm-sales': ['sales_rep'] },
      },
    });
  });
});
