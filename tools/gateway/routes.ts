// The gateway's route table, derived from the merged API document: each operation names its owner
// (`x-service`), so which service answers a path is data, not a hand-kept list.
import type { ServiceName } from '@crm/contracts';

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      { 'x-service'?: string; requestBody?: { content?: Record<string, unknown> }; responses?: Record<string, { content?: Record<string, unknown> }> }
    >
  >;
}

export interface Route {
  /** `/api/v1/leads`: this path and everything under it (`/api/v1/leads/…`) go to `service`. */
  prefix: string;
  service: ServiceName;
  /** Only this exact path (a path that is itself a prefix of another service's paths). */
  exact?: boolean;
}

export interface RouteTable {
  routes: Route[];
  /** Paths answering `text/event-stream`: passed unbuffered, with a long read timeout. */
  streams: { path: string; service: ServiceName }[];
  /** Paths taking a body other than JSON (a CSV import): their own body-size limit. */
  uploads: { path: string; service: ServiceName }[];
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/**
 * The shortest path prefixes that still name one owner: `/api/v1/leads` covers every leads path, while
 * `/api/v1/history` is shared by three services and becomes `/api/v1/history/leads`, … A prefix never ends in
 * a path parameter (nginx matches literal prefixes); a document that would need one is refused.
 */
export function routeTable(document: OpenApiDocument): RouteTable {
  const owners = new Map<string, ServiceName>();
  const table: RouteTable = { routes: [], streams: [], uploads: [] };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const service = op['x-service'] as ServiceName | undefined;
      if (!service) throw new Error(`${method.toUpperCase()} ${path} names no owner (x-service)`);
      const owner = owners.get(path);
      if (owner && owner !== service) throw new Error(`${path} is claimed by ${owner} and ${service}`);
      owners.set(path, service);
      if (Object.values(op.responses ?? {}).some((r) => Object.keys(r.content ?? {}).includes('text/event-stream'))) {
        table.streams.push({ path: literal(path), service });
      }
      if (Object.keys(op.requestBody?.content ?? {}).some((type) => type !== 'application/json')) {
        table.uploads.push({ path: literal(path), service });
      }
    }
  }
  const all = [...owners.entries()].map(([path, service]) => ({ segments: path.split('/').filter(Boolean), service }));
  const seen = new Set<string>();
  for (const { segments, service } of all) {
    const route = shortestPrefix(segments, service, all);
    const key = `${route.exact ? '=' : ''}${route.prefix}`;
    if (!seen.has(key)) table.routes.push(route);
    seen.add(key);
  }
  table.routes.sort((a, b) => a.prefix.localeCompare(b.prefix));
  return table;
}

function shortestPrefix(segments: string[], service: ServiceName, all: { segments: string[]; service: ServiceName }[]): Route {
  for (let length = 1; length <= segments.length; length++) {
    const head = segments.slice(0, length);
    const prefix = literal(`/${head.join('/')}`);
    const under = all.filter((p) => head.every((s, i) => p.segments[i] === s));
    if (under.every((p) => p.service === service)) return { prefix, service };
  }
  // Every path under this one belongs to another service, but this one is ours: route it alone.
  return { prefix: literal(`/${segments.join('/')}`), service, exact: true };
}

function literal(path: string): string {
  if (path.includes('{')) throw new Error(`${path}: telling its owner apart needs a path parameter, which a prefix route cannot match`);
  return path;
}
