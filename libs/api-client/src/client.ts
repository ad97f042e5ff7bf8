// The typed client: openapi-fetch over the generated `paths`, one base URL (the gateway), a bearer token on every
// request. Runs wherever fetch does (browsers, Node ≥ 18, workers): nothing here may import a Node module.
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { rememberRequest } from './problem';
import type { paths } from './schema';

/** Typed for the JSON answers; a list's CSV export (`Accept: text/csv`) is a download, read with `parseAs: 'stream'`. */
export type CrmClient = Client<paths, 'application/json'>;

export interface CrmClientOptions {
  /** The gateway's origin (`http://127.0.0.1:8080` locally); `''` for the page's own origin behind the gateway. */
  baseUrl: string;
  /** A bearer token sent on every request. */
  token?: string;
  /** Or: asked before every request, so a refreshed single sign-on token is used as soon as there is one. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Another fetch (tests, retries, instrumentation); default `globalThis.fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers on every request (`Accept-Language`, a correlation id). */
  headers?: Record<string, string>;
}

/** `Authorization: Bearer <token>`, unless the call set its own (another user's token for one request). */
function bearer(token: () => string | null | undefined | Promise<string | null | undefined>): Middleware {
  return {
    async onRequest({ request }) {
      const value = await token();
      if (value && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${value}`);
      return request;
    },
  };
}

/** Remembers which request each answer belongs to, so an `ApiProblem` names the method and URL. */
const remember: Middleware = {
  onResponse({ request, response }) {
    rememberRequest(response, request);
    return response;
  },
};

/**
 * A client of the whole API through one origin. Paths and methods are those of docs/api/openapi.json:
 *
 *   const crm = createCrmClient({ baseUrl: 'http://127.0.0.1:8080', getToken: () => session.accessToken });
 *   const { data, error, response } = await crm.GET('/api/v1/leads/{id}', { params: { path: { id } } });
 */
export function createCrmClient(options: CrmClientOptions): CrmClient {
  const client = createClient<paths, 'application/json'>({
    baseUrl: options.baseUrl,
    headers: { Accept: 'application/json, application/problem+json', ...options.headers },
    ...(options.fetch && { fetch: options.fetch }),
  });
  const { token, getToken } = options;
  client.use(remember);
  if (getToken || token) client.use(bearer(getToken ?? (() => token)));
  return client;
}
