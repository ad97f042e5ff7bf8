import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { API_TAGS } from '@crm/contracts';
import { applyApiContract, collectRouteFacts, createHttpAdapter, documentCsvExports, ProblemDetailsDto } from '@crm/http';
import { MessagingRuntime } from '@crm/messaging';
import { createJsonLogger, startTracing } from '@crm/observability';
import type { ServiceConfig } from './service-config';

/**
 * The service's OpenAPI document, as served and as written to docs/api/ by `npm run docs:api`: what Nest's
 * Swagger module reads from the controllers and DTOs, with the API contract rules applied (operation ids,
 * problem+json errors, public routes, examples, tags; libs/http/src/openapi), and every list's CSV export
 * (`documentCsvExports`).
 */
export function openApiDocument(app: INestApplication, service: ServiceConfig['service']): OpenAPIObject {
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`CRM ${service} API`)
      .setDescription(
        `The ${service} service of the sales-tracking CRM. Conventions (errors, pagination, ETags, Idempotency-Key): docs/architecture.md#api-conventions.`,
      )
      .setVersion('1')
      .setLicense('MIT', 'https://opensource.org/licenses/MIT')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .addSecurityRequirements('bearer')
      .build(),
    { extraModels: [ProblemDetailsDto] },
  );
  return applyApiContract(documentCsvExports(doc), collectRouteFacts(app), { tags: API_TAGS });
}

/** OpenAPI at `/openapi.json`, UI at `/docs`, on every service. */
export function setupOpenApi(app: INestApplication, config: ServiceConfig): void {
  SwaggerModule.setup('docs', app, openApiDocument(app, config.service), { jsonDocumentUrl: 'openapi.json' });
}

/** Wires the inbox transport so `@EventPattern` handlers in the app receive events exactly once. */
export async function connectEventConsumers(app: INestApplication, consumerName = 'events'): Promise<void> {
  // Initialising first runs MessagingRuntime.onModuleInit, which creates the topics the consumers subscribe to.
  await app.init();
  app.connectMicroservice({ strategy: app.get(MessagingRuntime).inboxServer(consumerName) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
}

export async function bootstrapService(module: Type<unknown> | DynamicModule, config: ServiceConfig): Promise<INestApplication> {
  const logger = createJsonLogger(config.service);
  // Before the app is built: its HTTP hooks, relay and consumers look for the tracer once, at start-up (ADR 0028).
  if (startTracing(config.service)) logger.log('tracing: spans exported over OTLP/HTTP', 'Bootstrap');
  // rawBody: signed webhooks (web forms, ERP) verify the HMAC over the exact bytes received.
  const app = await NestFactory.create<NestFastifyApplication>(module, createHttpAdapter(), { logger, bufferLogs: true, rawBody: true });
  app.enableShutdownHooks();
  setupOpenApi(app, config);
  await connectEventConsumers(app);
  await app.listen(config.port, config.host);
  logger.log(`${config.service} listening on http://${config.host}:${config.port} (docs at /docs)`, 'Bootstrap');
  return app;
}
