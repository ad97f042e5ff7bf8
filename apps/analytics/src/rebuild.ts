import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createJsonLogger } from '@crm/observability';
import { loadServiceConfig } from '@crm/platform';
import { analyticsSettings } from './analytics.settings';
import { AppModule } from './app.module';
import { RebuildService } from './projection/rebuild.service';

/**
 * Rebuilds the analytics read model from the retained topics:
 *   npm run analytics:rebuild [-- --timeout-minutes=30]   (node -r ./tools/register.js apps/analytics/src/rebuild.ts)
 * (same settings as the service: DATABASE_URL / ANALYTICS_DATABASE_URL, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, and
 * CRM_TIMEZONE, whose days the rebuilt buckets are: run it after changing the zone, ADR 0012).
 * Running services may stay up; see RebuildService for why that is safe.
 */
async function main(): Promise<void> {
  const config = loadServiceConfig('analytics', process.env, analyticsSettings);
  const logger = createJsonLogger(config.service);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger });
  try {
    const minutes = Number(/^--timeout-minutes=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--timeout-minutes=')) ?? '')?.[1] ?? 30);
    const result = await app.get(RebuildService).rebuild(minutes * 60_000);
    logger.log(`rebuilt: ${JSON.stringify(result)}`, 'Rebuild');
    if (result.failed) process.exitCode = 1;
  } finally {
    await app.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
