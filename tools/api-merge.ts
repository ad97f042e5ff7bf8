/**
 * The one API document of the gateway: every service's paths and schemas joined, each operation tagged with
 * the service that owns it (`x-service`, which the gateway's routes are generated from). Operations a
 * browser app never calls through the gateway (health, metrics: each service's own, scraped directly) stay
 * out. Two services defining the same schema name differently is an error, not a silent overwrite.
 */
import type { OpenAPIObject } from '@nestjs/swagger';

/** Paths served by every service for its operators, not by the gateway. */
const OPERATOR_PATH = /^\/(health|metrics)(\/|$)/;

export function mergeApiDocuments(docs: Record<string, OpenAPIObject>, info: { title: string; version: string }): OpenAPIObject {
  const merged: OpenAPIObject = {
    openapi: '3.0.0',
    info: { title: info.title, version: info.version },
    servers: [{ url: '/', description: 'the gateway (one origin for every service)' }],
    paths: {},
    components: { schemas: {} },
  };
  const owner = new Map<string, string>();
  const conflicts: string[] = [];
  for (const [service, doc] of Object.entries(docs)) {
    merged.openapi = doc.openapi;
    merged.components!.securitySchemes ??= doc.components?.securitySchemes;
    merged.security ??= doc.security;
    for (const [path, item] of Object.entries(doc.paths)) {
      if (OPERATOR_PATH.test(path)) continue;
      if (merged.paths[path]) {
        conflicts.push(`path ${path}: ${owner.get(path)} and ${service}`);
        continue;
      }
      const tagged = Object.fromEntries(
        Object.entries(item).map(([method, operation]) => [
          method,
          typeof operation === 'object' && operation !== null && !Array.isArray(operation) ? { ...operation, 'x-service': service } : operation,
        ]),
      );
      merged.paths[path] = tagged;
      owner.set(path, service);
    }
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      const seen = merged.components!.schemas![name];
      if (seen === undefined) merged.components!.schemas![name] = schema;
      else if (JSON.stringify(seen) !== JSON.stringify(schema)) conflicts.push(`schema ${name}: defined differently by ${service} and another service`);
    }
  }
  if (conflicts.length) throw new Error(`the API documents cannot be merged:\n  ${conflicts.join('\n  ')}`);
  return merged;
}
