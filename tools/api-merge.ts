/**
 * The one API document of the gateway: every service's paths and schemas joined, each operation tagged with
 * the service that owns it (`x-service`, which the gateway's routes are generated from). Operations a
 * browser app never calls through the gateway (health, metrics: each service's own, scraped directly) stay
 * out. Two services defining the same path, operation id, schema, shared response or tag differently is an
 * error, not a silent overwrite: a generated client has one name for each.
 */
import type { OpenAPIObject } from '@nestjs/swagger';

/** Paths served by every service for its operators, not by the gateway. */
const OPERATOR_PATH = /^\/(health|metrics)(\/|$)/;
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']);

type Components = Record<string, Record<string, unknown>>;

export function mergeApiDocuments(docs: Record<string, OpenAPIObject>, info: { title: string; version: string }): OpenAPIObject {
  const merged: OpenAPIObject = {
    openapi: '3.0.0',
    info: {
      title: info.title,
      version: info.version,
      description:
        'Every service of the sales-tracking CRM behind one origin. Operation ids are unique across the document; every error is ' +
        'application/problem+json (`Problem`). Conventions: docs/architecture.md#api-conventions.',
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    servers: [{ url: '/', description: 'the gateway (one origin for every service)' }],
    paths: {},
    components: { schemas: {}, responses: {} },
  };
  const owner = new Map<string, string>();
  const operationOwner = new Map<string, string>();
  const tags = new Map<string, { name: string; description?: string }>();
  const tagGroups = new Map<string, string[]>();
  const conflicts: string[] = [];
  for (const [service, doc] of Object.entries(docs)) {
    merged.openapi = doc.openapi;
    merged.components!.securitySchemes ??= doc.components?.securitySchemes;
    merged.security ??= doc.security;
    const serviceTags = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      if (OPERATOR_PATH.test(path)) continue;
      if (merged.paths[path]) {
        conflicts.push(`path ${path}: ${owner.get(path)} and ${service}`);
        continue;
      }
      const tagged: Record<string, unknown> = {};
      for (const [method, operation] of Object.entries(item)) {
        if (!METHODS.has(method) || typeof operation !== 'object' || operation === null) {
          tagged[method] = operation;
          continue;
        }
        const { operationId, tags: opTags } = operation as { operationId?: string; tags?: string[] };
        const id = operationId ?? `${method} ${path}`;
        if (operationOwner.has(id)) conflicts.push(`operation id ${id}: ${operationOwner.get(id)} and ${service} (${method.toUpperCase()} ${path})`);
        operationOwner.set(id, `${service} (${method.toUpperCase()} ${path})`);
        for (const tag of opTags ?? []) serviceTags.add(tag);
        tagged[method] = { ...operation, 'x-service': service };
      }
      merged.paths[path] = tagged;
      owner.set(path, service);
    }
    for (const tag of doc.tags ?? []) {
      if (!serviceTags.has(tag.name)) continue;
      const seen = tags.get(tag.name);
      if (seen && seen.description !== tag.description) conflicts.push(`tag ${tag.name}: described differently by ${service} and another service`);
      tags.set(tag.name, { name: tag.name, ...(tag.description && { description: tag.description }) });
    }
    if (serviceTags.size) tagGroups.set(service, [...serviceTags]);
    for (const kind of ['schemas', 'responses'] as const) {
      const into = (merged.components as Components)[kind];
      for (const [name, value] of Object.entries((doc.components as Components | undefined)?.[kind] ?? {})) {
        const seen = into[name];
        if (seen === undefined) into[name] = value;
        else if (JSON.stringify(seen) !== JSON.stringify(value)) conflicts.push(`${kind} ${name}: defined differently by ${service} and another service`);
      }
    }
  }
  if (conflicts.length) throw new Error(`the API documents cannot be merged:\n  ${conflicts.join('\n  ')}`);
  merged.tags = [...tags.values()];
  // Redoc and other viewers group the tags by the service that owns them.
  (merged as unknown as Record<string, unknown>)['x-tagGroups'] = [...tagGroups].map(([name, groupTags]) => ({ name, tags: groupTags }));
  return merged;
}
