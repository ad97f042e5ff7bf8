/**
 * `npm run docs:api [-- --check]`: writes each service's OpenAPI document and a Markdown reference generated
 * from it to docs/api/ (<service>.openapi.json, <service>.md), the merged document of the gateway
 * (docs/api/openapi.json) and the typed client's schema generated from it (libs/api-client/src/schema.ts). The
 * documents come from the code itself: each AppModule is created in Nest's preview mode (controllers scanned, no
 * provider started, no database or broker needed). --check writes nothing and fails when a committed file differs
 * (CI: neither the docs nor the client go stale).
 */
import 'reflect-metadata';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { ServiceName } from '@crm/contracts';
import { createHttpAdapter } from '@crm/http';
import { mergeApiDocuments } from './api-merge';
import { loadServiceConfig, openApiDocument, type ServiceConfig, type SettingsOf, type SettingsSpec } from '@crm/platform';
import { CLIENT_SCHEMA, clientSchemaSource } from '../libs/api-client/scripts/generate-schema';
import { AppModule as Analytics } from '../apps/analytics/src/app.module';
import { analyticsSettings } from '../apps/analytics/src/analytics.settings';
import { AppModule as Customers } from '../apps/customers/src/app.module';
import { customersSettings } from '../apps/customers/src/customers.settings';
import { AppModule as Finance } from '../apps/finance/src/app.module';
import { financeSettings } from '../apps/finance/src/finance.settings';
import { AppModule as Inventory } from '../apps/inventory/src/app.module';
import { inventorySettings } from '../apps/inventory/src/inventory.options';
import { AppModule as Notifications } from '../apps/notifications/src/app.module';
import { notificationsSettings } from '../apps/notifications/src/notifications.settings';
import { AppModule as Leads } from '../apps/leads/src/app.module';
import { leadsSettings } from '../apps/leads/src/leads.settings';
import { AppModule as Opportunities } from '../apps/opportunities/src/app.module';
import { opportunitiesSettings } from '../apps/opportunities/src/opportunities.settings';
import { AppModule as Orders } from '../apps/orders/src/app.module';
import { ordersSettings } from '../apps/orders/src/orders.settings';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'docs', 'api');

/** How to build one service's AppModule: its settings spec (as its main.ts loads it) and its forRoot. */
interface ServiceModule {
  settings: SettingsSpec;
  module: (config: ServiceConfig) => DynamicModule;
}
const withSettings = <S extends SettingsSpec>(settings: S, module: (config: ServiceConfig<SettingsOf<S>>) => DynamicModule): ServiceModule => ({
  settings,
  module: module as ServiceModule['module'],
});

const MODULES: Record<ServiceName, ServiceModule> = {
  leads: withSettings(leadsSettings, (c) => Leads.forRoot(c)),
  opportunities: withSettings(opportunitiesSettings, (c) => Opportunities.forRoot(c)),
  orders: withSettings(ordersSettings, (c) => Orders.forRoot(c)),
  inventory: withSettings(inventorySettings, (c) => Inventory.forRoot(c)),
  finance: withSettings(financeSettings, (c) => Finance.forRoot(c)),
  analytics: withSettings(analyticsSettings, (c) => Analytics.forRoot(c)),
  customers: withSettings(customersSettings, (c) => Customers.forRoot(c)),
  notifications: withSettings(notificationsSettings, (c) => Notifications.forRoot(c)),
};

type Schema = Record<string, unknown> & { $ref?: string; type?: string; items?: Schema; enum?: unknown[]; allOf?: Schema[] };
const refName = (ref: string) => ref.split('/').pop() ?? ref;
const cell = (text: unknown) =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n+/g, ' ');

function typeOf(schema: Schema | undefined): string {
  if (!schema) return '';
  if (schema.$ref) return `[${refName(schema.$ref)}](#${refName(schema.$ref).toLowerCase()})`;
  if (schema.allOf?.length === 1) return typeOf(schema.allOf[0]);
  if (schema.enum) return schema.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (schema.type === 'array') return `${typeOf(schema.items)}[]`;
  return String(schema.type ?? 'object');
}

function fieldsTable(schema: Schema): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  if (Object.keys(properties).length === 0) return [];
  return [
    '| field | type | required | notes |',
    '|---|---|---|---|',
    ...Object.entries(properties).map(([name, p]) => {
      const notes = [
        p.description,
        p.example !== undefined && `e.g. \`${JSON.stringify(p.example)}\``,
        p.default !== undefined && `default \`${JSON.stringify(p.default)}\``,
      ]
        .filter(Boolean)
        .join('; ');
      return `| \`${name}\` | ${typeOf(p)} | ${required.has(name) ? 'yes' : ''} | ${cell(notes)} |`;
    }),
  ];
}

interface Operation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: Schema[];
  requestBody?: { content?: Record<string, { schema?: Schema; example?: unknown }> };
  responses?: Record<string, { $ref?: string; description?: string; content?: Record<string, { schema?: Schema }> }>;
}

/** One operation: its id, parameters, body with its example, success answers, then its error statuses in one line. */
function renderOperation(path: string, method: string, operation: Operation): string[] {
  const out = [`### \`${method.toUpperCase()} ${path}\`${operation.summary ? ` — ${operation.summary}` : ''}`, ''];
  out.push(
    `Operation id \`${operation.operationId ?? ''}\`${Array.isArray(operation.security) && operation.security.length === 0 ? '. Public: no token.' : '.'}`,
    '',
  );
  if (operation.description) out.push(operation.description, '');
  if (operation.parameters?.length) {
    out.push('| parameter | in | type | required | notes |', '|---|---|---|---|---|');
    for (const p of operation.parameters)
      out.push(`| \`${String(p.name)}\` | ${String(p.in)} | ${typeOf(p.schema as Schema)} | ${p.required ? 'yes' : ''} | ${cell(p.description)} |`);
    out.push('');
  }
  for (const [type, body] of Object.entries(operation.requestBody?.content ?? {})) {
    out.push(`Body (\`${type}\`): ${typeOf(body.schema)}`, '');
    if (body.example !== undefined && type.includes('json')) out.push('```json', JSON.stringify(body.example, null, 2), '```', '');
  }
  const responses = Object.entries(operation.responses ?? {});
  const success = responses.filter(([status]) => Number(status) < 400);
  if (success.length) {
    out.push('| status | body | meaning |', '|---|---|---|');
    for (const [status, r] of success) {
      const [type, media] = Object.entries(r.content ?? {})[0] ?? [];
      const body = media ? `${typeOf(media.schema)}${type === 'application/json' ? '' : ` (\`${type}\`)`}` : '';
      out.push(`| ${status} | ${body} | ${cell(r.description)} |`);
    }
    out.push('');
  }
  const errors = responses.filter(([status]) => Number(status) >= 400).map(([status, r]) => (r.$ref ? status : `${status} (${r.description ?? ''})`));
  if (errors.length) out.push(`Errors: ${errors.join(', ')}.`, '');
  return out;
}

/** The Markdown reference of one OpenAPI document: the shared errors, operations grouped by tag, then the schemas. */
export function renderApiMarkdown(service: string, doc: OpenAPIObject): string {
  const lines = [
    `# ${doc.info.title}`,
    '',
    `Generated from the code by \`npm run docs:api\`; do not edit. Machine-readable: [${service}.openapi.json](${service}.openapi.json); every service's`,
    'operations in one document, the one to generate a client from: [openapi.json](openapi.json).',
    '',
    '- Every route needs `Authorization: Bearer <JWT>` unless it says "Public"; the roles that may call it are named in its 403.',
    '- Operation ids are what a generated client calls the operation (`listLeads`, `qualifyLead`), unique across all services.',
    '- Every error is `application/problem+json` ([Problem](#problem)): branch on its `code`; bad input lists each field in `errors[]`.',
    '  The statuses below are those an operation can answer; these mean the same everywhere:',
    '',
  ];
  for (const [status, name] of [
    ['400', 'BadRequest'],
    ['401', 'Unauthorized'],
    ['404', 'NotFound'],
    ['412', 'PreconditionFailed'],
    ['413', 'PayloadTooLarge'],
    ['415', 'UnsupportedMediaType'],
    ['422', 'IdempotencyKeyReused'],
    ['428', 'PreconditionRequired'],
    ['429', 'TooManyRequests'],
    ['503', 'ServiceUnavailable'],
  ]) {
    const shared = doc.components?.responses?.[name] as { description?: string } | undefined;
    if (shared) lines.push(`  - **${status}**: ${shared.description ?? ''}`);
  }
  lines.push('', 'More in the [API conventions](../architecture.md#api-conventions).', '');
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      const tag = op.tags?.[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), ...renderOperation(path, method, op)]);
    }
  }
  const described = new Map((doc.tags ?? []).map((t) => [t.name, t.description]));
  for (const [tag, out] of byTag) lines.push(`## ${tag}`, '', ...(described.get(tag) ? [String(described.get(tag)), ''] : []), ...out);
  const schemas = Object.entries((doc.components?.schemas ?? {}) as Record<string, Schema>);
  if (schemas.length) {
    lines.push('## Schemas', '');
    for (const [name, schema] of schemas)
      lines.push(`### ${name}`, '', ...(schema.description ? [String(schema.description), ''] : []), ...fieldsTable(schema), '');
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

async function documentOf(name: ServiceName): Promise<OpenAPIObject> {
  const { settings, module } = MODULES[name];
  // No connection is opened in preview mode; the URL only has to be well-formed.
  const config = loadServiceConfig(name, { ...process.env, DATABASE_URL: 'postgres://docs@127.0.0.1:5432/docs' }, settings);
  const app = await NestFactory.create(module(config), createHttpAdapter(), { preview: true, logger: false });
  try {
    return openApiDocument(app, name);
  } finally {
    await app.close();
  }
}

async function main(check: boolean): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const stale: string[] = [];
  /** Contents by absolute path. */
  const files: Record<string, string> = {};
  const docs: Record<string, OpenAPIObject> = {};
  for (const service of Object.keys(MODULES) as ServiceName[]) {
    const doc = (docs[service] = await documentOf(service));
    files[join(OUT, `${service}.openapi.json`)] = `${JSON.stringify(doc, null, 2)}\n`;
    files[join(OUT, `${service}.md`)] = renderApiMarkdown(service, doc);
  }
  // The gateway's document: what a frontend team generates its client from, and the client generated from it.
  const merged = mergeApiDocuments(docs, { title: 'CRM API', version: '1' });
  files[join(OUT, 'openapi.json')] = `${JSON.stringify(merged, null, 2)}\n`;
  files[join(ROOT, CLIENT_SCHEMA)] = await clientSchemaSource(merged, join(ROOT, CLIENT_SCHEMA));
  for (const [path, text] of Object.entries(files)) {
    const current = await readFile(path, 'utf8').catch(() => '');
    if (current === text) continue;
    if (check) stale.push(relative(ROOT, path));
    else await writeFile(path, text);
  }
  if (stale.length) {
    console.error(`docs:api: out of date (run npm run docs:api and commit): ${stale.join(', ')}`);
    process.exit(1);
  }
  console.log(check ? 'docs:api: docs/api and the client schema are up to date' : `docs:api: wrote ${OUT} and ${CLIENT_SCHEMA}`);
}

if (require.main === module) {
  main(process.argv.includes('--check')).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
