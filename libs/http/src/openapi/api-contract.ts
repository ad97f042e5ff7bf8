import { STATUS_CODES } from 'node:http';
import type { OpenAPIObject } from '@nestjs/swagger';
import { deriveOperationId, summaryOf } from './operation-names';
import { RATE_LIMIT_EXEMPT_PATHS } from '../limits/rate-limit';
import { derivedProblems, PROBLEM_SCHEMA, problemResponse, SHARED_PROBLEMS } from './problem-responses';
import { exampleOf } from './request-examples';
import type { RouteFacts } from './route-facts';

/**
 * The contract rules every service's OpenAPI document follows, applied to what Nest's Swagger module
 * produced so that each route, including the next one written, gets them without a decorator:
 * - a readable, unique operation id (`listLeads`) and a summary when the route gives none;
 * - `security: []` on `@Public()` routes;
 * - its error answers as `application/problem+json` with the problem schema (see problem-responses.ts);
 * - each header once, whatever its case (`If-Match` from a decorator and `if-match` read by `@Headers`);
 * - an example on each JSON request body, assembled from its properties' examples;
 * - its tags, described.
 * Routes document their success answers themselves (a DTO class, `@ApiPageResponse`, `@ApiNoContentResponse`).
 */

type Schema = Record<string, any>;
type Operation = Schema & { parameters?: Schema[]; responses: Record<string, Schema> };

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export interface ApiContractOptions {
  /** Description of every tag, by name. */
  tags: Record<string, string>;
}

/** Each parameter once: the same header in two cases keeps the one that is described (or came first). */
function uniqueParameters(parameters: Schema[]): Schema[] {
  const seen = new Map<string, Schema>();
  for (const parameter of parameters) {
    const key = `${String(parameter.in)}:${String(parameter.name).toLowerCase()}`;
    const kept = seen.get(key);
    if (!kept || (!kept.description && parameter.description)) seen.set(key, parameter);
  }
  return [...seen.values()];
}

function successContent(op: Operation): Record<string, Schema> {
  return Object.assign({}, ...Object.entries(op.responses ?? {}).flatMap(([status, r]) => (status.startsWith('2') ? [r.content ?? {}] : [])));
}

/** An array, a page (`items`, `nextCursor`) or an object of `items` alone. */
function returnsList(op: Operation, schemas: Record<string, Schema>): boolean {
  let schema: Schema | undefined = successContent(op)['application/json']?.schema;
  if (schema?.$ref) schema = schemas[String(schema.$ref).split('/').pop() ?? ''];
  const properties = Object.keys((schema?.properties as object | undefined) ?? {});
  return schema?.type === 'array' || (properties.includes('items') && properties.every((p) => p === 'items' || p === 'nextCursor'));
}

/** No body documented, or the problem schema under any media type. */
function isProblemOrEmpty(response: Schema): boolean {
  return Object.values<Schema>(response.content ?? {}).every((media) => String(media.schema?.$ref ?? '').endsWith(`/${PROBLEM_SCHEMA}`));
}

/** A derived response as written: a shared one's `$ref` resolved. */
function resolveShared(response: Schema | undefined): Schema | undefined {
  const name = String(response?.$ref ?? '')
    .split('/')
    .pop() as keyof typeof SHARED_PROBLEMS;
  return response?.$ref ? SHARED_PROBLEMS[name] : response;
}

function applyToOperation(path: string, method: string, op: Operation, facts: RouteFacts, doc: OpenAPIObject): void {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Schema>;
  // An id set with @ApiOperation wins; Nest's default (`OrdersController_create`) is replaced.
  if (!op.operationId || op.operationId === `${facts.controller}_${facts.handler}`) {
    op.operationId = deriveOperationId({
      method,
      path,
      handler: facts.handler,
      pathHasGet: method !== 'get' && (doc.paths[path] as Schema).get !== undefined,
      returnsList: returnsList(op, schemas),
      // A list that also answers `Accept: text/csv` is still a list; only a CSV-only answer is an export.
      returnsCsv: successContent(op)['text/csv'] !== undefined && successContent(op)['application/json'] === undefined,
    });
  }
  op.summary ||= summaryOf(op.operationId as string);
  if (facts.public) op.security = [];

  const parameters = uniqueParameters(op.parameters ?? []);
  op.parameters = parameters;
  const ifMatch = parameters.find((p) => p.in === 'header' && String(p.name).toLowerCase() === 'if-match');
  const facts4xx = {
    method,
    public: facts.public,
    roles: facts.roles,
    hasPathId: parameters.some((p) => p.in === 'path'),
    hasInput: parameters.length > 0 || op.requestBody !== undefined,
    hasBody: op.requestBody !== undefined,
    ifMatch: ifMatch ? (ifMatch.required ? ('required' as const) : ('optional' as const)) : undefined,
    idempotent: parameters.some((p) => p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key'),
    apiRoute: !RATE_LIMIT_EXEMPT_PATHS.test(path),
  };
  const derived = derivedProblems(facts4xx);
  for (const status of facts.omitProblems) delete derived[String(status)];
  for (const [status, response] of Object.entries(op.responses)) {
    if (Number(status) < 400) {
      response.description ||= status === '204' ? 'Done; no body' : status === '201' ? 'Created' : 'OK';
    } else if (isProblemOrEmpty(response)) {
      // A status the route documents itself (with the codes it answers) keeps its words, as problem+json.
      const rule = resolveShared(derived[status]);
      let description = response.description || rule?.description || STATUS_CODES[Number(status)] || 'Error';
      // Conflicts add up: the route's own causes, then those the rules know (a key in flight, the record's state).
      if (status === '409' && response.description && rule?.description) description = `${response.description}; ${String(rule.description)}`;
      derived[status] = { ...response, description, content: (rule ?? problemResponse('')).content };
    } else {
      delete derived[status]; // a body of its own (a health check's) stays as documented
    }
  }
  op.responses = Object.fromEntries(Object.entries({ ...op.responses, ...derived }).sort(([a], [b]) => a.localeCompare(b)));

  const json = op.requestBody?.content?.['application/json'];
  if (json?.schema && json.example === undefined && json.examples === undefined) {
    const value = exampleOf(json.schema, schemas);
    if (value !== undefined) json.example = value;
  }
}

/** Applies the contract rules to a service's document in place and returns it. */
export function applyApiContract(doc: OpenAPIObject, routes: Map<string, RouteFacts>, options: ApiContractOptions): OpenAPIObject {
  const usedTags: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      const facts = routes.get(`${method} ${path}`);
      if (!facts) throw new Error(`OpenAPI: no route found for ${method.toUpperCase()} ${path}`);
      applyToOperation(path, method, op, facts, doc);
      for (const tag of (op.tags as string[] | undefined) ?? []) if (!usedTags.includes(tag)) usedTags.push(tag);
    }
  }
  doc.components = { ...doc.components, responses: { ...SHARED_PROBLEMS, ...doc.components?.responses } };
  doc.tags = usedTags.map((name) => ({ name, ...(options.tags[name] && { description: options.tags[name] }) }));
  return doc;
}
