import { z } from 'zod';
import type { ServiceName } from '@crm/contracts';
import { rateLimitFromEnv, type RateLimitOptions } from '@crm/http';

/** DESIGN.md §5 default ports. */
export const DEFAULT_PORTS: Record<ServiceName, number> = {
  leads: 3001, opportunities: 3002, orders: 3003, inventory: 3004, finance: 3005, analytics: 3006,
};

// Only for a developer's machine: production (NODE_ENV=production) must set JWT_SECRET.
const LOCAL_JWT_SECRET = 'local-development-secret-change-me-0123456789';

export interface ServiceConfig {
  service: ServiceName;
  host: string;
  port: number;
  databaseUrl: string;
  kafkaBrokers: string[];
  topicPrefix: string;
  jwtSecret: string;
  production: boolean;
  /** RATE_LIMIT_PER_MINUTE per client (0 = off, for benchmarks). */
  rateLimit: RateLimitOptions;
}

const schema = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().min(1).max(65535),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  kafkaBrokers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port')).min(1),
  topicPrefix: z.string().regex(/^[a-z0-9._-]*$/i),
  jwtSecret: z.string().min(32, 'must be at least 32 characters'),
});

/** The server URL from DATABASE_URL or the libpq PG* variables, pointed at one database. */
export function databaseUrlFor(database: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.DATABASE_URL
    ? new URL(env.DATABASE_URL)
    : new URL(`postgres://${encodeURIComponent(env.PGUSER ?? 'postgres')}@${env.PGHOST ?? '127.0.0.1'}:${env.PGPORT ?? 5432}/`);
  if (!env.DATABASE_URL && env.PGPASSWORD) base.password = env.PGPASSWORD;
  base.pathname = `/${database}`;
  return base.toString();
}

/**
 * Reads and validates a service's settings once, at boot; a bad value stops the service with every
 * problem listed. An explicit setting always wins over the local default.
 */
export function loadServiceConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const upper = service.toUpperCase();
  const production = env.NODE_ENV === 'production';
  const raw = {
    host: env.HOST ?? '0.0.0.0',
    port: env[`${upper}_PORT`] ?? env.PORT ?? DEFAULT_PORTS[service],
    databaseUrl: env[`${upper}_DATABASE_URL`] ?? databaseUrlFor(`crm_${service}`, env),
    kafkaBrokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean),
    topicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
    jwtSecret: env.JWT_SECRET ?? (production ? '' : LOCAL_JWT_SECRET),
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid ${service} configuration: ${problems}`);
  }
  return { service, production, ...parsed.data, rateLimit: rateLimitFromEnv(env) };
}
