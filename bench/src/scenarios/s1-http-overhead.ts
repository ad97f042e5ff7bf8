import type { TestSystem } from '@crm/testing';
import { httpRun, startBaselineHttp, type HttpBaseline } from '../baselines';
import type { BenchContext } from '../lib/context';
import { median, repeated, round } from '../lib/stats';

// From the bottom up: what each layer under the service costs shows as the step from one row to the next.
const LAYERS: { kind: HttpBaseline; name: string }[] = [
  { kind: 'raw-http', name: 'raw node:http' },
  { kind: 'fastify', name: 'bare Fastify (one route)' },
  { kind: 'nest-fastify', name: 'bare Nest on Fastify (one controller, nothing global)' },
];

/**
 * 1. A service's cheapest GET (/health/live) against servers answering the same bytes: raw node:http, bare
 * Fastify and bare Nest on Fastify (what the service runs on), each measured the same way in the same runs.
 */
export async function httpOverhead(ctx: BenchContext, system: TestSystem, service = 'leads'): Promise<void> {
  const url = `${system.services[service].url}/health/live`;
  const body = await (await fetch(url)).text();
  const servers: Awaited<ReturnType<typeof startBaselineHttp>>[] = [];
  try {
    for (const layer of LAYERS) servers.push(await startBaselineHttp(ctx, layer.kind, body));
    const targets = [...LAYERS.map((layer, i) => ({ ...layer, url: servers[i].url })), { kind: service, name: service, url }];
    // Alternating runs, so drift on the shared machine hits every target alike.
    const reps = await repeated(
      ctx.scale.reps,
      0,
      async () => {
        const runs = [];
        for (const t of targets) runs.push(await httpRun(t.url, ctx.scale.httpSeconds, { cpu: { prefixes: ctx.prefixes, group: t.kind } }));
        return runs.map((r) => ({ rate: r.rate, cpu: r.cpuUsPerRequest ?? NaN }));
      },
      (runs) => runs[targets.length - 1].rate / runs[0].rate,
    );
    const rate = (i: number) => round(median(reps.runs.map((runs) => runs[i].rate)));
    const cpu = (i: number) => round(median(reps.runs.map((runs) => runs[i].cpu)), 1);
    const ratioToRaw = (i: number) => median(reps.runs.map((runs) => runs[i].rate / runs[0].rate));
    const last = targets.length - 1;
    ctx.baselines.rawHttp = rate(0);
    ctx.row({
      scenario: '1 HTTP overhead',
      figure: `${service} GET /health/live`,
      value: rate(last),
      unit: 'req/s',
      baseline: { name: 'raw node:http, same JSON', value: rate(0), unit: 'req/s' },
      ratio: round(reps.median, 3),
      goal: '>= 0.60 x raw',
      met: reps.median >= 0.6,
      note: `32 connections, ${ctx.scale.httpSeconds} s per run after 2 s warm-up; ratio = median of per-pair ratios (${reps.values.map((v) => round(v, 3)).join(', ')})`,
    });
    for (let i = 1; i < last; i++) {
      ctx.row({
        scenario: '1 HTTP overhead',
        figure: `layer under the service: ${targets[i].name}, GET /health/live`,
        value: rate(i),
        unit: 'req/s',
        baseline: { name: 'raw node:http, same runs', value: rate(0), unit: 'req/s' },
        ratio: round(ratioToRaw(i), 3),
        goal: 'report (the ceiling for the service on this layer)',
        met: null,
        note: `CPU ${cpu(i)} µs per request (raw ${cpu(0)} µs); ratio = median of per-run ratios to raw`,
      });
    }
    ctx.row({
      scenario: '1 HTTP overhead',
      figure: `${service} GET /health/live: CPU per request of the service process`,
      value: cpu(last),
      unit: 'µs',
      baseline: { name: 'raw node:http process, same runs', value: cpu(0), unit: 'µs' },
      ratio: round(cpu(last) / cpu(0), 2),
      goal: 'report (the work a request costs, robust to a shared machine)',
      met: null,
      note: `median µs per request: ${targets.map((t, i) => `${t.name} ${cpu(i)}`).join(' → ')}; per run ${reps.runs.map((runs) => runs.map((r) => round(r.cpu, 1)).join('/')).join(', ')}`,
    });
  } finally {
    for (const s of servers) await s.stop();
  }
}
