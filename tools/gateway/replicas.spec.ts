import { localConfig, upstreamOf } from './local';
import { renderNginxConf, type GatewayConfig } from './nginx-conf';
import { MAX_FAILS } from './upstreams';

// `npm start -- --replicas 2`: every service's upstream lists each replica, with passive failover between them.
const table = { routes: [{ prefix: '/api/v1/leads', service: 'leads' as const }], streams: [], uploads: [] };
const upstreamBlock = (conf: string, service: string) => /upstream (\w+) \{[^}]*\}/g.exec(conf.slice(conf.indexOf(`upstream ${service} {`)))?.[0] ?? '';

describe('the gateway in front of several replicas', () => {
  it('lists replica k of a service on its port + 100·k, from CRM_REPLICAS', () => {
    expect(upstreamOf('leads', { CRM_REPLICAS: '2' })).toEqual(['127.0.0.1:3001', '127.0.0.1:3101']);
    expect(upstreamOf('orders', { CRM_REPLICAS: '3', ORDERS_PORT: '13003' })).toEqual(['127.0.0.1:13003', '127.0.0.1:13103', '127.0.0.1:13203']);
    expect(upstreamOf('leads', {})).toEqual(['127.0.0.1:3001']);
    expect(upstreamOf('leads', { LEADS_URL: 'http://10.0.0.1:80, http://10.0.0.2:3001' })).toEqual(['10.0.0.1:80', '10.0.0.2:3001']);
    expect(() => upstreamOf('leads', { CRM_REPLICAS: '0' })).toThrow(/CRM_REPLICAS/);
  });

  it('renders one upstream per service with every replica, each left out for a while after failing, and retries only what is safe', () => {
    const config = localConfig({ CRM_REPLICAS: '2', CONSOLE_DIR: 'none', GATEWAY_PORT: '18080' }, '/tmp/gw');
    const conf = renderNginxConf(table, config as GatewayConfig);
    expect(upstreamBlock(conf, 'leads')).toContain(
      `server 127.0.0.1:3001 max_fails=${MAX_FAILS} fail_timeout=10s;\n    server 127.0.0.1:3101 max_fails=${MAX_FAILS} fail_timeout=10s;`,
    );
    expect(upstreamBlock(conf, 'notifications')).toMatch(/server 127\.0\.0\.1:3008 [^;]*;\s*server 127\.0\.0\.1:3108 max_fails/);
    expect(conf.match(/^ {2}upstream /gm)).toHaveLength(8);
    // Never `non_idempotent`: nginx then passes a POST or PATCH on only if no replica received it.
    expect(conf).toContain('proxy_next_upstream error timeout http_502 http_503 http_504;');
    expect(conf).not.toContain('non_idempotent');
    expect(conf).toContain('proxy_next_upstream_tries 2;');
    expect(conf).toContain('proxy_next_upstream_timeout 10s;');
  });
});
