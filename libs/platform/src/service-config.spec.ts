import { z } from 'zod';
import { databaseUrlFor, loadServiceConfig, setting } from './service-config';

describe('loadServiceConfig', () => {
  it('gives every service its local defaults: its own port, its own database, the local broker', () => {
    const config = loadServiceConfig('finance', {});
    expect(config).toMatchObject({
      service: 'finance',
      port: 3005,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/crm_finance',
      kafkaBrokers: ['127.0.0.1:9092'],
      topicPrefix: '',
      production: false,
    });
    expect(config.jwtSecret?.length).toBeGreaterThanOrEqual(32);
  });

  it('lets an explicit setting win, the per-service one over the shared one', () => {
    const config = loadServiceConfig('orders', {
      PORT: '4000',
      ORDERS_PORT: '4003',
      DATABASE_URL: 'postgres://app:secret@db.internal:6432/postgres?sslmode=require',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      KAFKA_TOPIC_PREFIX: 'staging.',
      KAFKA_REPLICATION_FACTOR: '3',
      JWT_SECRET: 'x'.repeat(40),
    });
    expect(config.replicationFactor).toBe(3);
    expect(loadServiceConfig('orders', {}).replicationFactor).toBeUndefined();
    expect(config.port).toBe(4003);
    expect(config.databaseUrl).toBe('postgres://app:secret@db.internal:6432/crm_orders?sslmode=require');
    expect(config.kafkaBrokers).toEqual(['k1:9092', 'k2:9092']);
    expect(config.topicPrefix).toBe('staging.');
    expect(loadServiceConfig('orders', { ORDERS_DATABASE_URL: 'postgres://h/elsewhere' }).databaseUrl).toBe('postgres://h/elsewhere');
  });

  it('builds the database URL from PG* variables when DATABASE_URL is unset', () => {
    expect(databaseUrlFor('crm_leads', { PGHOST: 'pg', PGPORT: '5433', PGUSER: 'crm', PGPASSWORD: 'pw' })).toBe('postgres://crm:pw@pg:5433/crm_leads');
  });

  it('fails at boot listing every bad setting', () => {
    expect(() => loadServiceConfig('leads', { LEADS_PORT: 'eighty', KAFKA_BROKERS: 'no-port', KAFKA_REPLICATION_FACTOR: '0', JWT_SECRET: 'short' })).toThrow(
      /invalid leads configuration: .*port.*kafkaBrokers.*replicationFactor.*jwtSecret/,
    );
  });

  it('reads the business time zone from CRM_TIMEZONE (canonical IANA name), UTC when unset or empty', () => {
    expect(loadServiceConfig('analytics', {}).timeZone).toBe('UTC');
    expect(loadServiceConfig('analytics', { CRM_TIMEZONE: '' }).timeZone).toBe('UTC');
    expect(loadServiceConfig('leads', { CRM_TIMEZONE: 'Asia/Shanghai' }).timeZone).toBe('Asia/Shanghai');
    expect(loadServiceConfig('leads', { CRM_TIMEZONE: 'europe/berlin' }).timeZone).toBe('Europe/Berlin');
  });

  it('stops the boot on an unknown time zone, naming the variable and what to use instead', () => {
    expect(() => loadServiceConfig('orders', { CRM_TIMEZONE: 'Asia/Beijing' })).toThrow(
      'invalid orders configuration: CRM_TIMEZONE: unknown time zone "Asia/Beijing" (use an IANA name such as Asia/Shanghai, Europe/Berlin or UTC)',
    );
  });

  it('refuses to run in production without a JWT secret of its own', () => {
    expect(() => loadServiceConfig('leads', { NODE_ENV: 'production' })).toThrow(/jwtSecret/);
  });

  it('reads the identity provider; in production with one, an unset JWT_SECRET turns local tokens off', () => {
    const provider = {
      OIDC_ISSUER: 'https://sso.example.com/realms/crm',
      OIDC_AUDIENCE: 'crm-api',
      OIDC_ROLES_CLAIM: 'realm_access.roles',
      PII_MASTER_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
    };
    const config = loadServiceConfig('leads', { NODE_ENV: 'production', ...provider });
    expect(config.jwtSecret).toBeUndefined();
    expect(config.oidc).toMatchObject({ issuer: provider.OIDC_ISSUER, audience: ['crm-api'], claims: { roles: 'realm_access.roles' } });
    expect(loadServiceConfig('leads', { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), ...provider }).jwtSecret).toBe('x'.repeat(40));
    expect(loadServiceConfig('leads', provider).jwtSecret).toBeDefined();
    expect(loadServiceConfig('leads', {}).oidc).toBeUndefined();
  });

  it('refuses to run in production without master keys for personal data, and refuses a malformed one anywhere', () => {
    expect(() => loadServiceConfig('leads', { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(/PII_MASTER_KEYS must be set in production/);
    expect(() => loadServiceConfig('leads', { PII_MASTER_KEYS: 'k1:c2hvcnQ=' })).toThrow(/PII_MASTER_KEYS: key k1 must be 32 bytes/);
  });

  it('stops the boot on a bad identity provider setting, naming its variable', () => {
    expect(() => loadServiceConfig('orders', { OIDC_ISSUER: 'https://sso.example.com', OIDC_ROLE_MAP: 'boss:root' })).toThrow(
      /invalid orders configuration: OIDC_AUDIENCE: required .*; OIDC_ROLE_MAP: "boss:root" maps to an unknown role/,
    );
  });
});

describe('service settings', () => {
  const settings = {
    limit: setting('ORDERS_LIMIT', z.coerce.number().int().min(1).default(10)),
    mode: setting('ORDERS_MODE', z.enum(['a', 'b']).optional()),
  };

  it('reads each setting from its variable, with its default when unset or empty', () => {
    expect(loadServiceConfig('orders', { ORDERS_LIMIT: '3', ORDERS_MODE: 'b' }, settings).settings).toEqual({ limit: 3, mode: 'b' });
    expect(loadServiceConfig('orders', { ORDERS_LIMIT: '' }, settings).settings).toEqual({ limit: 10, mode: undefined });
  });

  it("lists every bad variable, the platform's and the service's, in one error", () => {
    expect(() => loadServiceConfig('orders', { ORDERS_PORT: 'x', ORDERS_LIMIT: '0', ORDERS_MODE: 'c' }, settings)).toThrow(
      /invalid orders configuration: port: .*ORDERS_LIMIT: .*ORDERS_MODE: /,
    );
  });
});
