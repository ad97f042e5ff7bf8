import { randomUUID } from 'node:crypto';
import { admin, SKUS, sleep, type Run } from './run';

async function timed(run: Run, kind: string, fn: () => Promise<{ status: number }>) {
  const start = Date.now();
  let status = 0;
  try {
    status = (await fn()).status;
  } catch {
    status = 0; // connection refused or reset: the service was just killed
  }
  run.requests.push({ kind, start, end: Date.now(), status });
  return status;
}

async function placeOrder(run: Run) {
  const lines = SKUS.filter(() => Math.random() < 0.6).map(([sku]) => ({
    sku,
    productName: sku,
    quantity: 1 + Math.floor(Math.random() * 3),
    unitPrice: '12.34',
  }));
  if (!lines.length) lines.push({ sku: SKUS[0][0], productName: SKUS[0][0], quantity: 1, unitPrice: '12.34' });
  const orders = run.system.as(run.rep, 'orders');
  let id: string | undefined;
  let total = '';
  const key = randomUUID();
  const created = await timed(run, 'order.create', async () => {
    const res = await orders
      .post('/api/v1/orders')
      .set('idempotency-key', key)
      .timeout(15_000)
      .send({ customer: { name: 'Chaos Customer', company: 'Chaos Ltd' }, currency: 'USD', paymentTerms: 'NET30', lines });
    if (res.status === 201) ({ id, total } = res.body);
    return res;
  });
  if (created !== 201 || !id) return;
  run.acceptedOrders.set(id, { total, lines });
  // Submitting is retried until it is accepted (or the order is past it), for as long as a service restart
  // can take here: a draft left behind would never be confirmed.
  for (const deadline = Date.now() + 180_000; Date.now() < deadline;) {
    const status = await timed(run, 'order.submit', () => orders.post(`/api/v1/orders/${id}/submit`).timeout(15_000));
    if (status === 200 || status === 409) return;
    await sleep(1_000);
  }
}

async function captureLead(run: Run) {
  const n = randomUUID();
  let id: string | undefined;
  await timed(run, 'lead.create', async () => {
    const res = await run.system
      .as(admin, 'leads')
      .post('/api/v1/leads')
      .set('idempotency-key', n)
      .timeout(15_000)
      .send({ name: `Lead ${n.slice(0, 8)}`, email: `${n}@chaos.example`, source: 'web_form', region: 'north' });
    if (res.status === 201) id = res.body.id ?? res.body.leadId;
    return res;
  });
  if (id) run.acceptedLeads.add(id);
}

export async function load(run: Run, going: () => boolean) {
  const inFlight = new Set<Promise<void>>();
  while (going()) {
    if (inFlight.size < 12) {
      for (const p of [placeOrder(run), captureLead(run)]) {
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
    }
    await sleep(1_000 / run.plan.ratePerSecond);
  }
  await Promise.all(inFlight);
}
