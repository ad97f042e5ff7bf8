/**
 * `node -r ./tools/register.js bench/src/tracing-cost.ts`: what the request hooks cost with tracing off and on, in
 * CPU µs per request of a server process that runs only them (Fastify, the correlation hooks, the JSON logger's
 * context read, one route), so the figure is not drowned in the rest of a service. Variants alternate in rounds;
 * the median of the rounds is reported. An OTLP sink in this process swallows the exports (ADR 0028).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { installCorrelationHooks } from '../../libs/observability/src/correlation/correlation.hooks';
import { currentRequest } from '../../libs/observability/src/correlation/correlation-context';
import { activeTracer, startTracing } from '../../libs/observability/src/tracing/tracing';

// BEFORE_HOOKS: a module with the hooks of an older commit (`git show <commit>:…/correlation.hooks.ts`), measured too.
const VARIANTS = [
  'no hooks',
  ...(process.env.BEFORE_HOOKS ? (['hooks before'] as const) : []),
  'tracing off',
  'tracing on, sampled',
  'tracing on, not sampled',
] as const;
type Variant = (typeof VARIANTS)[number];

async function serve(variant: Variant): Promise<void> {
  if (variant.startsWith('tracing on')) startTracing('bench', process.env);
  const app = Fastify();
  if (variant === 'hooks before')
    (require(process.env.BEFORE_HOOKS!) as { installCorrelationHooks: typeof installCorrelationHooks }).installCorrelationHooks(app);
  else if (variant !== 'no hooks') installCorrelationHooks(app, activeTracer());
  // What the logger's mixin reads on every line, read once per request.
  app.get('/x', async () => ({ ok: true, traced: currentRequest()?.span !== undefined }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.send?.((app.server.address() as { port: number }).port);
}

const ticks = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
};

async function start(variant: Variant, endpoint: string): Promise<{ child: ChildProcess; port: number }> {
  const env = {
    ...process.env,
    BENCH_VARIANT: variant,
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_TRACES_SAMPLER: variant.endsWith('not sampled') ? 'always_off' : 'always_on',
  };
  const child = fork(__filename, [], { env, execArgv: ['-r', './tools/register.js'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
  return { child, port };
}

async function measure(): Promise<void> {
  const sink = createServer((req, res) => req.resume().on('end', () => res.end('{}'))).listen(0, '127.0.0.1');
  await new Promise((r) => sink.once('listening', r));
  const endpoint = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;
  const servers = await Promise.all(VARIANTS.map((v) => start(v, endpoint)));
  const results: Record<string, number[]> = {};
  const rounds = Number(process.env.ROUNDS ?? 5);
  for (let round = 0; round < rounds; round++) {
    for (const [i, { child, port }] of servers.entries()) {
      const url = `http://127.0.0.1:${port}/x`;
      if (round === 0) await autocannon({ url, connections: 16, duration: 2 });
      const before = ticks(child.pid!);
      const result = await autocannon({ url, connections: 16, duration: 3 });
      const us = ((ticks(child.pid!) - before) * 10_000) / result.requests.total;
      (results[VARIANTS[i]] ??= []).push(Math.round(us * 10) / 10);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const v of VARIANTS) console.log(`${v.padEnd(24)} median ${median(results[v])} µs/request  (rounds: ${results[v].join(', ')})`);
  for (const { child } of servers) child.kill();
  sink.close();
}

if (process.env.BENCH_VARIANT) void serve(process.env.BENCH_VARIANT as Variant);
else void measure();
