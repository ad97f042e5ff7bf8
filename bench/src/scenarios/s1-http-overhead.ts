import type { TestSystem } from '@crm/testing';
import { httpRun, startRawHttp } from '../baselines';
import type { BenchContext } from '../lib/context';
import { repeated, round } from '../lib/stats';

/** 1. A service's cheapest GET (/health/live) against a raw node:http server answering the same bytes. */
export async function httpOverhead(ctx: BenchContext, system: TestSystem, service = 'leads'): Promise<void> {
  const url = `${system.services[service].url}/health/live`;
  const res = await fetch(url);
  const body = await res.text();
  const raw = await startRawHttp(ctx, body);
  try {
    // Alternating runs, so drift on the shared machine hits both alike.
    const pairs = await repeated(
      ctx.scale.reps,
      0,
      async () => {
        const rawRun = await httpRun(raw.url, ctx.scale.httpSeconds, { cpu: { prefixes: ctx.prefixes, group: 'raw-http' } });
        const run = await httpRun(url, ctx.scale.httpSeconds, { cpu: { prefixes: ctx.prefixes, group: service } });
        return { baseline: rawRun.rate, figure: run.rate, rawCpu: rawRun.cpuUsPerRequest ?? NaN, cpu: run.cpuUsPerRequest ?? NaN };
      },
      (p) => p.figure / p.baseline,
    );
    const baseline = round(pairs.runs.map((p) => p.baseline).sort((a, b) => a - b)[pairs.runs.length >> 1]);
    const figure = round(pairs.runs.map((p) => p.figure).sort((a, b) => a - b)[pairs.runs.length >> 1]);
    ctx.baselines.rawHttp = baseline;
    const medianOf = (values: number[]) => round(values.sort((a, b) => a - b)[values.length >> 1], 1);
    const cpu = medianOf(pairs.runs.map((p) => p.cpu));
    const rawCpu = medianOf(pairs.runs.map((p) => p.rawCpu));
    ctx.row({
      scenario: '1 HTTP overhead',
      figure: `${service} GET /health/live`,
      value: figure,
      unit: 'req/s',
      baseline: { name: 'raw node:http, same JSON', value: baseline, unit: 'req/s' },
      ratio: round(pairs.median, 3),
      goal: '>= 0.60 x raw',
      met: pairs.median >= 0.6,
      note: `32 connections, ${ctx.scale.httpSeconds} s per run after 2 s warm-up; ratio = median of per-pair ratios (${pairs.values.map((v) => round(v, 3)).join(', ')})`,
    });
    ctx.row({
      scenario: '1 HTTP overhead',
      figure: `${service} GET /health/live: CPU per request of the service process`,
      value: cpu,
      unit: 'µs',
      baseline: { name: 'raw node:http process, same runs', value: rawCpu, unit: 'µs' },
      ratio: round(cpu / rawCpu, 2),
      goal: 'report (the work a request costs, robust to a shared machine)',
      met: null,
      note: `per run ${pairs.runs.map((p) => `${round(p.cpu, 1)}/${round(p.rawCpu, 1)}`).join(', ')} µs (service/raw)`,
    });
  } finally {
    await raw.stop();
  }
}
