import { ApiProblem } from '@crm/api-client';
import { Role } from '@crm/http';
import { api, GATEWAY_URL, send, traffic } from './client';

/** The network as the demo meets it: answers (or failures) in order, every request kept. */
function network(...answers: (() => Response)[]) {
  const requests: Request[] = [];
  jest.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    requests.push(input as Request);
    const answer = answers.shift();
    if (!answer) throw new Error('no answer left');
    return answer();
  });
  return requests;
}

const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'retry-after': '0', ...headers } });
const refused = () => {
  throw new TypeError('fetch failed');
};
const admin = { sub: 'demo-admin', roles: [Role.Admin] };
const receipt = { body: { sku: 'PUMP-CF-200', warehouseId: 'main', quantity: 5 } };

afterEach(() => jest.restoreAllMocks());

describe('the demo loader on the typed client', () => {
  it('sends every call to the gateway with the actor’s token, and one Idempotency-Key for every attempt of a POST', async () => {
    const requests = network(
      () => json({ status: 503, code: 'SERVICE_UNAVAILABLE' }, 503),
      () => json({ status: 409, code: 'IDEMPOTENCY_KEY_IN_FLIGHT' }, 409),
      () => json({ status: 429 }, 429),
      () => json({ id: 'r1' }, 201),
    );
    const before = traffic.requests;
    const reply = await send(() => api(admin).POST('/api/v1/stock/receipts', receipt));
    expect(reply.response.status).toBe(201);
    expect(requests.map((r) => r.url)).toEqual(Array(4).fill(`${GATEWAY_URL}/api/v1/stock/receipts`));
    const keys = new Set(requests.map((r) => r.headers.get('idempotency-key')));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(requests.every((r) => r.headers.get('authorization')?.startsWith('Bearer ey'))).toBe(true);
    expect(await requests[3]?.json()).toEqual(receipt.body);
    expect(traffic.requests - before).toBe(4);

    // The next call is another create: another key.
    const next = network(() => json({ id: 'r2' }, 201));
    await send(() => api(admin).POST('/api/v1/stock/receipts', receipt));
    expect(next[0]?.headers.get('idempotency-key')).not.toBe([...keys][0]);
  });

  it('repeats a read that got no answer, never a write', async () => {
    const reads = network(refused, refused, () => json({ items: [], nextCursor: null }, 200));
    await send(() => api(admin).GET('/api/v1/warehouses'));
    expect(reads).toHaveLength(3);

    const writes = network(refused, () => json({ id: 'r1' }, 201));
    await expect(send(() => api(admin).POST('/api/v1/stock/receipts', receipt))).rejects.toThrow(/^no answer: POST .*\/api\/v1\/stock\/receipts/);
    expect(writes).toHaveLength(1);
  });

  it('repeats an answer that means "not yet", and stops on one it did not expect with the problem', async () => {
    network(
      () => json({ status: 403, code: 'FORBIDDEN' }, 403),
      () => json({ id: 'q1' }, 200),
    );
    const put = () =>
      api(admin).PUT('/api/v1/quotas/{period}/{repId}', { params: { path: { period: '2026-04', repId: 'r' } }, body: { amount: '1.00', currency: 'CNY' } });
    expect((await send(put, { notYet: (r) => r.response.status === 403 })).response.status).toBe(200);

    network(() => json({ status: 400, code: 'VALIDATION_FAILED', detail: 'quantity must be positive', errors: [] }, 400));
    const failed = await send(() => api(admin).POST('/api/v1/stock/receipts', receipt)).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ApiProblem);
    expect((failed as ApiProblem).message).toBe(`POST ${GATEWAY_URL}/api/v1/stock/receipts → 400 VALIDATION_FAILED: quantity must be positive`);

    // After a 503 the first attempt may have been applied: a write's refusal says so.
    network(
      () => json({ status: 503 }, 503),
      () => json({ status: 409, code: 'DUPLICATE' }, 409),
    );
    await expect(send(() => api(admin).POST('/api/v1/stock/receipts', receipt))).rejects.toThrow(/retry after 503 \(the first attempt may have been applied\)/);
    network(() => json({ status: 404 }, 404));
    expect((await send(() => api(admin).GET('/api/v1/warehouses'), { expect: [200, 404] })).response.status).toBe(404);
  });
});
