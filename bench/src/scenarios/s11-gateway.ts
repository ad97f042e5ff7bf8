import { randomUUID } from 'node:crypto';
import type { RunningGateway, TestSystem } from '@crm/testing';
import { httpRate } from '../baselines';
import type { BenchContext } from '../lib/context';
import { repeated, round } from '../lib/stats';

/**
 * 11. The gateway's cost: req/s of one cheap authenticated GET (a rep by id: token check, one indexed read) through
 * the gateway (nginx) ÷ the same GET straight to the service, in alternating runs of the same process.
 */
export async function gatewayOverhead(ctx: BenchContext, system: TestSystem & { gateway: RunningGateway }, token: (claims: object) => string): Promise<void> {
  const auth = { authorization: `Bearer ${token({ sub: 'bench-admin', roles: ['admin'] })}` };
  const id = randomUUID();
  const created = await fetch(`${system.services.leads.url}/api/v1/reps`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ id, name: 'Bench Rep', email: 'bench.rep@crm.example', capacity: 10 }),
  });
  if (created.status !== 201) throw new Error(`creating the rep: ${created.status} ${await created.text()}`);
  const path = `/api/v1/reps/${id}`;
  const pairs = await repeated(
    ctx.scale.reps,
    0,
    async (rep) => {
      const measure = (base: string) => httpRate(`${base}${path}`, ctx.scale.httpSeconds, auth);
      // Which goes first alternates too: a burst of load from elsewhere on the machine must not always hit one side.
      if (rep % 2 === 0) {
        const direct = await measure(system.services.leads.url);
        return { direct, gateway: await measure(system.gateway.url) };
      }
      const gateway = await measure(system.gateway.url);
      return { direct: await measure(system.services.leads.url), gateway };
    },
    (p) => p.gateway / p.direct,
  );
  const median = (pick: (p: { direct: number; gateway: number }) => number) => round(pairs.runs.map(pick).sort((a, b) => a - b)[pairs.runs.length >> 1]);
  const direct = median((p) => p.direct);
  const gateway = median((p) => p.gateway);
  console.log(`gateway: ${gateway} req/s through the gateway, ${direct} req/s direct, ratio ${round(pairs.median, 3)}`);
  ctx.row({
    scenario: '11 Gateway overhead',
    figure: 'leads GET /api/v1/reps/{id} through the gateway (nginx)',
    value: gateway,
    unit: 'req/s',
    baseline: { name: 'the same GET straight to leads', value: direct, unit: 'req/s' },
    ratio: round(pairs.median, 3),
    goal: '>= 0.80 x direct',
    met: pairs.median >= 0.8,
    note: `32 connections, ${ctx.scale.httpSeconds} s per run after 2 s warm-up, direct and gateway alternating (and which goes first); ratio = median of per-pair ratios (${pairs.values.map((v) => round(v, 3)).join(', ')})`,
  });
}
