import { z } from 'zod';
import type { ServiceName } from '@crm/contracts';
import { canonicalTimeZone, DEFAULT_TIME_ZONE } from '@crm/calendar';
import { databaseUrlFor, MasterKeys } from '@crm/privacy';
import { DEFAULT_CSV_EXPORT_MAX_ROWS, oidcOptionsFromEnv, rateLimitFromEnv, type OidcOptions, type RateLimitOptions } from '@crm/http';

/** Each service's default port on a developer machine; `<SERVICE>_PORT` or `PORT` overrides it. */
export { databaseUrlFor };

export const DEFAULT_PORTS: Record<ServiceName, number> = {
  leads: 3001,
  opportunities: 3002,
  orders: 3003,
  inventory: 3004,
  finance: 3005,
  analytics: 3006,
  customers: 3007,
  notifications: 3008,
};

// Only for a developer's machine: production (NODE_ENV=production) must set JWT_SECRET, or OIDC_ISSUER instead.
const LOCAL_JWT_SECRET = 'local-development-secret-change-me-0123456789';

/** One service setting: the environment variable it is read from and how it is validated and parsed. */
export interface SettingSpec<T extends z.ZodType = z.ZodType> {
  env: string;
  schema: T;
}
export type SettingsSpec = Record<string, SettingSpec>;
export type SettingsOf<S extends SettingsSpec> = { [K in keyof S]: z.output<S[K]['schema']> };

/** `setting('ORDERS_AUTO_CONFIRM_LIMITS', z.string().default(''))`: an empty variable counts as unset. */
export const setting = <T extends z.ZodType>(env: string, schema: T): SettingSpec<T> => ({ env, schema });

export interface ServiceConfig<Settings = unknown> {
  service: ServiceName;
  host: string;
  port: number;
  databaseUrl: string;
  kafkaBrokers: string[];
  topicPrefix: string;
  /** KAFKA_REPLICATION_FACTOR: copies of each topic the services create; unset = 3, or the cluster's size if smaller. */
  replicationFactor?: number;
  /** JWT_SECRET: the HS256 key of local tokens. Unset only in production with an identity provider: then none is accepted. */
  jwtSecret?: string;
  /** OIDC_*: the identity provider whose tokens are accepted (ADR 0021); unset = local tokens only. */
  oidc?: OidcOptions;
  production: boolean;
  /** RATE_LIMIT_PER_MINUTE per client (0 = off, for benchmarks). */
  rateLimit: RateLimitOptions;
  /**
   * CRM_TIMEZONE: the business time zone (an IANA name, default UTC), the same for every service of a
   * deployment. Every day, week, month and quarter boundary follows it; instants stay UTC (ADR 0012).
   */
  timeZone: string;
  /** CSV_EXPORT_MAX_ROWS: the most rows one streamed CSV export of a list holds (default 100 000). */
  csvExportMaxRows: number;
  /** The service's own settings, validated with the platform's at boot. */
  settings: Settings;
}

const schema = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().min(1).max(65535),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  kafkaBrokers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port')).min(1),
  topicPrefix: z.string().regex(/^[a-z0-9._-]*$/i),
  replicationFactor: z.coerce.number().int().min(1).max(7).optional(),
  jwtSecret: z.string().min(32, 'must be at least 32 characters').optional(),
  csvExportMaxRows: z.coerce.number().int().min(1).max(10_000_000),
});

/**
 * Reads and validates a service's settings once, at boot: the platform's (port, database, Kafka, JWT, the
 * identity provider …) and the service's own `settings`, each read from its environment variable. A bad
 * value stops the service with every problem listed, named by its variable. An explicit setting always
 * wins over the local default.
 */
export function loadServiceConfig<S extends SettingsSpec = Record<never, SettingSpec>>(
  service: ServiceName,
  env: NodeJS.ProcessEnv = process.env,
  settings: S = {} as S,
): ServiceConfig<SettingsOf<S>> {
  const upper = service.toUpperCase();
  const production = env.NODE_ENV === 'production';
  const { oidc, problems: oidcProblems } = oidcOptionsFromEnv(env, production);
  const raw = {
    host: env.HOST ?? '0.0.0.0',
    port: env[`${upper}_PORT`] ?? env.PORT ?? DEFAULT_PORTS[service],
    databaseUrl: env[`${upper}_DATABASE_URL`] ?? databaseUrlFor(`crm_${service}`, env),
    kafkaBrokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    topicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
    replicationFactor: env.KAFKA_REPLICATION_FACTOR || undefined,
    // In production a provider may be the only source of tokens; without one, the secret is required.
    jwtSecret: env.JWT_SECRET ?? (!production ? LOCAL_JWT_SECRET : oidc ? undefined : ''),
    csvExportMaxRows: env.CSV_EXPORT_MAX_ROWS || DEFAULT_CSV_EXPORT_MAX_ROWS,
  };
  const parsed = schema.safeParse(raw);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  problems.push(...oidcProblems);
  const zoneName = env.CRM_TIMEZONE?.trim() || DEFAULT_TIME_ZONE;
  const timeZone = canonicalTimeZone(zoneName);
  try {
    MasterKeys.fromEnv(env); // the keys that wrap personal data's keys: a bad or missing one stops the service here
  } catch (err) {
    problems.push((err as Error).message.replace(/ \(docs.*\)$/, ''));
  }
  if (!timeZone) problems.push(`CRM_TIMEZONE: unknown time zone "${zoneName}" (use an IANA name such as Asia/Shanghai, Europe/Berlin or UTC)`);
  const own: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(settings)) {
    const result = spec.schema.safeParse(env[spec.env] === '' ? undefined : env[spec.env]);
    if (result.success) own[key] = result.data;
    else problems.push(...result.error.issues.map((i) => `${spec.env}: ${i.message}`));
  }
  if (!parsed.success || problems.length) throw new Error(`invalid ${service} configuration: ${problems.join('; ')}`);
  return {
    service,
    production,
    ...parsed.data,
    ...(oidc && { oidc }),
    rateLimit: rateLimitFromEnv(env),
    timeZone: timeZone as string,
    settings: own as SettingsOf<S>,
  };
}
