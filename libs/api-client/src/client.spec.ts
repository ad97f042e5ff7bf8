import { ApiProblem, createCrmClient, etagOf, idempotencyKey, ifMatch, listAll, unwrap, wasReplayed } from './index';

/** A fetch that answers from a list and keeps every request it was given. */
function stubFetch(...answers: (() => Response)[]) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    const answer = answers.shift();
    if (!answer) throw new Error(`no answer left for ${request.method} ${request.url}`);
    return answer();
  };
  return { fetch, requests };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const problem = (body: unknown, status: number) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });
const id = '6f1c2a4e-8b1d-4c2e-9f3a-0d5e7b9c1a2f';
const page = { items: [], nextCursor: null };

describe('createCrmClient', () => {
  it('sends each call to the one base URL with its path and path parameters, and the headers of every call', async () => {
    const stub = stubFetch(() => json(page));
    const crm = createCrmClient({ baseUrl: 'http://gateway.test:8080/', fetch: stub.fetch, headers: { 'Accept-Language': 'zh-CN' } });
    await crm.GET('/api/v1/reps/{id}', { params: { path: { id } } });
    const [request] = stub.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe(`http://gateway.test:8080/api/v1/reps/${id}`);
    expect(request?.headers.get('accept-language')).toBe('zh-CN');
    expect(request?.headers.get('accept')).toContain('application/problem+json');
  });

  it('sends the token as a bearer token, asks getToken before every request, and keeps a header the call set itself', async () => {
    const fixed = stubFetch(() => json(page));
    await createCrmClient({ baseUrl: 'http://gw', token: 'token-a', fetch: fixed.fetch }).GET('/api/v1/warehouses');
    expect(fixed.requests[0]?.headers.get('authorization')).toBe('Bearer token-a');

    const tokens = ['first', 'refreshed'];
    const rotating = stubFetch(
      () => json(page),
      () => json(page),
      () => json(page),
    );
    const crm = createCrmClient({ baseUrl: 'http://gw', getToken: async () => tokens.shift(), fetch: rotating.fetch });
    await crm.GET('/api/v1/warehouses');
    await crm.GET('/api/v1/warehouses');
    await crm.GET('/api/v1/warehouses', { headers: { Authorization: 'Bearer someone-else' } });
    expect(rotating.requests.map((r) => r.headers.get('authorization'))).toEqual(['Bearer first', 'Bearer refreshed', 'Bearer someone-else']);

    const anonymous = stubFetch(() => json(page));
    await createCrmClient({ baseUrl: 'http://gw', fetch: anonymous.fetch }).GET('/api/v1/warehouses');
    expect(anonymous.requests[0]?.headers.has('authorization')).toBe(false);
  });
});

describe('unwrap and ApiProblem', () => {
  it('gives the data of a success', async () => {
    const stub = stubFetch(() => json({ items: [{ id: 'main', name: 'Main', priority: 0, createdAt: '2026-04-01T00:00:00.000Z' }], nextCursor: null }));
    const crm = createCrmClient({ baseUrl: 'http://gw', fetch: stub.fetch });
    const warehouses = await unwrap(crm.GET('/api/v1/warehouses'));
    expect(warehouses.items.map((w) => w.id)).toEqual(['main']);
  });

  it('throws a problem+json answer as an ApiProblem with its status, code, detail, field errors and request', async () => {
    const body = {
      type: 'urn:crm:problem:validation-failed',
      title: 'Bad Request',
      status: 400,
      detail: 'The request has 2 invalid fields.',
      code: 'VALIDATION_FAILED',
      errors: [
        { field: 'name', message: 'name should not be empty', constraint: 'isNotEmpty' },
        { field: 'name', message: 'name must be shorter than or equal to 200 characters', constraint: 'maxLength' },
      ],
      correlationId: 'c-1',
    };
    const stub = stubFetch(() => problem(body, 400));
    const crm = createCrmClient({ baseUrl: 'http://gw', fetch: stub.fetch });
    const thrown = await unwrap(crm.POST('/api/v1/warehouses', { body: { id: 'x', name: '', priority: 0 } })).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ApiProblem);
    const p = thrown as ApiProblem;
    expect(p).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: body.detail,
      correlationId: 'c-1',
      method: 'POST',
      url: 'http://gw/api/v1/warehouses',
    });
    expect(p.messagesFor('name')).toEqual(['name should not be empty', 'name must be shorter than or equal to 200 characters']);
    expect(p.message).toBe('POST http://gw/api/v1/warehouses → 400 VALIDATION_FAILED: The request has 2 invalid fields.');
  });

  it('keeps the text of an error answer that is not JSON', async () => {
    const stub = stubFetch(() => new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
    const thrown = (await unwrap(createCrmClient({ baseUrl: 'http://gw', fetch: stub.fetch }).GET('/api/v1/warehouses')).catch(
      (e: unknown) => e,
    )) as ApiProblem;
    expect(thrown).toMatchObject({ status: 502, code: undefined, errors: [], body: '<html>502 Bad Gateway</html>' });
    expect(thrown.message).toContain('→ 502: <html>502 Bad Gateway</html>');
  });
});

describe('conventions', () => {
  it('sends back the ETag of a read as If-Match of the next write', async () => {
    const stub = stubFetch(
      () => json({ id }, 200, { etag: '"3"' }),
      () => json({ id }, 200, { etag: '"4"' }),
    );
    const crm = createCrmClient({ baseUrl: 'http://gw', fetch: stub.fetch });
    const read = await crm.GET('/api/v1/reps/{id}', { params: { path: { id } } });
    expect(etagOf(read)).toBe('"3"');
    const written = await crm.PATCH('/api/v1/reps/{id}', { params: { path: { id }, header: ifMatch(read) }, body: { away: true } });
    expect(stub.requests[1]?.headers.get('if-match')).toBe('"3"');
    expect(etagOf(written)).toBe('"4"');
    expect(() => ifMatch(new Response('{}'))).toThrow(/no ETag/);
    expect(() => ifMatch(undefined)).toThrow(/no ETag/);
  });

  it('sends one Idempotency-Key per create, a new one for the next, and tells a replayed answer', async () => {
    const stub = stubFetch(
      () => json({ id: 'a' }, 201),
      () => json({ id: 'a' }, 201, { 'idempotent-replayed': 'true' }),
      () => json({ id: 'b' }, 201),
    );
    const crm = createCrmClient({ baseUrl: 'http://gw', fetch: stub.fetch });
    const body = { id: 'a', name: 'A', priority: 0 };
    const key = idempotencyKey();
    const first = await crm.POST('/api/v1/warehouses', { params: { header: key }, body });
    const retry = await crm.POST('/api/v1/warehouses', { params: { header: key }, body });
    await crm.POST('/api/v1/warehouses', { params: { header: idempotencyKey() }, body: { id: 'b', name: 'B', priority: 0 } });
    const keys = stub.requests.map((r) => r.headers.get('idempotency-key'));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    expect([wasReplayed(first), wasReplayed(retry)]).toEqual([false, true]);
  });

  it('reads every page of a list by its nextCursor', async () => {
    const row = (n: number) => ({ id: `w${n}`, name: `W${n}`, priority: n, createdAt: '2026-04-01T00:00:00.000Z' });
    const stub = stubFetch(
      () => json({ items: [row(1), row(2)], nextCursor: 'c2' }),
      () => json({ items: [row(3)], nextCursor: 'c3' }),
      () => json({ items: [], nextCursor: null }),
    );
    const crm = createCrmClient({ baseUrl: 'http://gw', fetch: stub.fetch });
    const rows = await listAll((cursor) => crm.GET('/api/v1/warehouses', { params: { query: { cursor, limit: 2 } } }));
    expect(rows.map((w) => w.id)).toEqual(['w1', 'w2', 'w3']);
    expect(stub.requests.map((r) => new URL(r.url).search)).toEqual(['?limit=2', '?cursor=c2&limit=2', '?cursor=c3&limit=2']);
  });
});
