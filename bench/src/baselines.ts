import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import type { Kafka, Message, Producer } from 'kafkajs';
import { sql, type BenchContext } from './lib/context';
import { CpuMeter, endedChildrenCpuMs, metered } from './lib/cpu';
import { Latencies, median, openLoop, repeated, retriable, round, sleep } from './lib/stats';

const KIB = 'x'.repeat(1000);

async function createTopic(kafka: Kafka, topic: string, partitions = 3) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await retriable(() => admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true }));
    await retriable(() => admin.fetchTopicOffsets(topic));
  } finally {
    await admin.disconnect();
  }
}

/** Consumes `expected` messages of `topic` with eachBatch in a fresh group; messages/s from first to last batch. */
export async function rawConsume(kafka: Kafka, topic: string, expected: number, onMessage?: (value: Buffer, now: number) => void) {
  const consumer = kafka.consumer({ groupId: `bench-raw-${crypto.randomUUID()}`, maxBytes: 10 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let first = 0;
  let last = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        const now = performance.now();
        if (!first) first = now;
        if (onMessage) for (const m of batch.messages) onMessage(m.value!, now);
        seen += batch.messages.length;
        last = now;
        if (seen >= expected) resolve();
      },
    });
  });
  return {
    consumer,
    done,
    rate: async () => {
      await done;
      await consumer.disconnect();
      return seen / ((last - first) / 1000 || 1e-3);
    },
  };
}

/** kafkajs produce (batches of 500, acks=all, idempotent as the relay's) and consume (eachBatch), 1 KiB messages. */
export async function kafkaBaselines(ctx: BenchContext): Promise<void> {
  const kafka = await ctx.kafka();
  const n = ctx.scale.messages;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const produce = await repeated(
    ctx.scale.reps,
    1,
    async (rep) => {
      const topic = `${ctx.prefix}bench.raw.${rep < 0 ? 'warm' : rep}`;
      await createTopic(kafka, topic);
      const { rate, cpu } = await metered(ctx.prefixes, undefined, n, async () => {
        for (let i = 0; i < n; i += 500) {
          await retriable(() =>
            producer.send({
              topic,
              acks: -1,
              messages: Array.from({ length: Math.min(500, n - i) }, (_, j) => ({ key: String((i + j) % 997), value: KIB })),
            }),
          );
        }
      });
      return { topic, rate, cpu };
    },
    (r) => r.rate,
  );
  ctx.baselines.rawProduce = round(produce.median);
  // CPU ms per 1,000 messages of the producing process and the broker: on a shared machine the rate is noise.
  ctx.baselines.rawProduceCpuMs = median(produce.runs.map((r) => r.cpu.process));
  ctx.baselines.rawProduceBrokerCpuMs = median(produce.runs.map((r) => r.cpu.kafka));
  const consume = await repeated(
    ctx.scale.reps,
    0,
    async (rep) => {
      const { rate } = await rawConsume(kafka, produce.runs[rep].topic, n);
      return rate();
    },
    (r) => r,
  );
  ctx.baselines.rawConsume = round(consume.median);
  await producer.disconnect();
  console.log(
    `  baseline kafka: produce ${ctx.baselines.rawProduce}/s (${produce.values.map((v) => round(v))}; CPU ms per 1,000: producer ${ctx.baselines.rawProduceCpuMs}, broker ${ctx.baselines.rawProduceBrokerCpuMs}), consume ${ctx.baselines.rawConsume}/s (${consume.values.map((v) => round(v))})`,
  );
}

/**
 * Raw kafkajs produce of the given messages to one topic, as the relay's producer sends (batches of 500, acks=all;
 * give it an idempotent producer with one request in flight). Given the relay's own messages (headers, keys and values), a ratio to it
 * leaves out what kafkajs costs per header and per byte, which the 1 KiB header-less baseline does not pay.
 */
export async function rawProduceMessages(producer: Producer, topic: string, messages: Message[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 500) {
    await retriable(() => producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) }));
  }
}

/** Raw produce→consume latency at a fixed offered rate: one message per send, acks=all. */
export async function kafkaLatency(ctx: BenchContext, rate: number, seconds: number): Promise<ReturnType<Latencies['summary']>> {
  const kafka = await ctx.kafka();
  const topic = `${ctx.prefix}bench.latency.${rate}.${Date.now()}`;
  await createTopic(kafka, topic);
  const producer = kafka.producer();
  await producer.connect();
  const lat = new Latencies();
  const total = Math.floor(rate * seconds);
  const consumer = await rawConsume(kafka, topic, total, (value, now) => {
    lat.record(now - Number(value.subarray(0, 20).toString().trim()));
  });
  await sleep(3_000); // the group joins before the clock starts
  // Ten messages per send, 1/10 of the rate in sends per second: the shape the relay lag run writes in.
  const run = await openLoop(rate / 10, seconds * 1000, (i, due) =>
    producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 10 }, (_, j) => ({ key: String((i * 10 + j) % 97), value: `${due.toFixed(3).padEnd(20)}${KIB}` })),
    }),
  );
  await Promise.all(run.pending);
  await Promise.race([consumer.done, sleep(30_000)]);
  await consumer.consumer.disconnect();
  await producer.disconnect();
  return lat.summary();
}

/** Multi-row INSERT of 1 KiB rows, 500 per statement, one connection. */
export async function pgInsertBaseline(ctx: BenchContext): Promise<void> {
  const db = await ctx.database('raw');
  const client = new Client({ connectionString: db.url });
  await client.connect();
  await client.query('CREATE TABLE raw_events (id uuid PRIMARY KEY, topic text NOT NULL, payload jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())');
  const n = ctx.scale.messages;
  const payload = JSON.stringify({ body: KIB });
  const insert = await repeated(
    ctx.scale.reps,
    1,
    async () => {
      await client.query('TRUNCATE raw_events');
      const t0 = performance.now();
      for (let i = 0; i < n; i += 500) {
        const k = Math.min(500, n - i);
        const params: unknown[] = [];
        const values = Array.from({ length: k }, (_, j) => {
          params.push(crypto.randomUUID(), 'crm.bench.v1', payload);
          return `($${j * 3 + 1}, $${j * 3 + 2}, $${j * 3 + 3}::jsonb)`;
        });
        await client.query(`INSERT INTO raw_events (id, topic, payload) VALUES ${values.join(',')}`, params);
      }
      return n / ((performance.now() - t0) / 1000);
    },
    (r) => r,
  );
  await client.end();
  ctx.baselines.rawInsert = round(insert.median);
  console.log(`  baseline pg insert: ${ctx.baselines.rawInsert} rows/s (${insert.values.map((v) => round(v))})`);
}

/**
 * pgbench with a script shaped like an order confirmation: read the order and its two stock rows (locked),
 * deduct both, write two ledger movements, open a receivable, set the order's status.
 */
export async function pgbenchBaseline(ctx: BenchContext): Promise<void> {
  const db = await ctx.database('pgbench');
  await sql(
    db.url,
    `
    CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL, total numeric(19,4) NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE stock_levels (sku int PRIMARY KEY, on_hand int NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE stock_movements (id bigserial PRIMARY KEY, sku int NOT NULL, order_id int NOT NULL, delta int NOT NULL, at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE receivables (id bigserial PRIMARY KEY, order_id int NOT NULL, amount numeric(19,4) NOT NULL, due date NOT NULL);
    INSERT INTO orders SELECT g, 'submitted', 100 FROM generate_series(1, 100000) g;
    INSERT INTO stock_levels SELECT g, 1000000000 FROM generate_series(1, 1000) g;
    ANALYZE;`,
  );
  const script = join(tmpdir(), `bench-confirm-${ctx.prefix}sql`);
  writeFileSync(
    script,
    `\\set o random(1, 100000)
\\set a random(1, 1000)
\\set b random(1, 1000)
BEGIN;
SELECT status, total FROM orders WHERE id = :o FOR UPDATE;
SELECT on_hand FROM stock_levels WHERE sku IN (:a, :b) ORDER BY sku FOR UPDATE;
UPDATE stock_levels SET on_hand = on_hand - 1, updated_at = now() WHERE sku = :a;
UPDATE stock_levels SET on_hand = on_hand - 1, updated_at = now() WHERE sku = :b;
INSERT INTO stock_movements (sku, order_id, delta) VALUES (:a, :o, -1), (:b, :o, -1);
INSERT INTO receivables (order_id, amount, due) VALUES (:o, 100, current_date + 30);
UPDATE orders SET status = 'allocated', updated_at = now() WHERE id = :o;
COMMIT;
`,
  );
  const url = new URL(db.url);
  const seconds = ctx.scale.smoke ? 3 : 10;
  const cpuPerTx: number[] = [];
  const tps = await repeated(
    ctx.scale.reps,
    0,
    async () => {
      const meter = new CpuMeter(new Set(), new Set([db.name])).start();
      const childrenBefore = endedChildrenCpuMs();
      const proc = spawn(
        '/usr/bin/pgbench',
        [
          '-n',
          '-M',
          'prepared',
          '-c',
          '8',
          '-j',
          '2',
          '-T',
          String(seconds),
          '-f',
          script,
          '-h',
          url.hostname,
          '-p',
          url.port || '5432',
          '-U',
          url.username || 'postgres',
          db.name,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      proc.stdout.on('data', (c) => (out += c));
      proc.stderr.on('data', (c) => (out += c));
      await once(proc, 'exit');
      const cpu = meter.stop();
      const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
      const tx = /number of transactions actually processed: (\d+)/.exec(out);
      if (!m || !tx) throw new Error(`pgbench gave no tps:\n${out}`);
      // The server's backends of this database and pgbench itself (ended and waited for by now).
      cpuPerTx.push(((cpu.postgres ?? 0) + endedChildrenCpuMs() - childrenBefore) / Number(tx[1]));
      return Number(m[1]);
    },
    (r) => r,
  );
  ctx.baselines.pgbenchTps = round(tps.median);
  ctx.baselines.pgbenchCpuMsPerTx = round(median(cpuPerTx), 3);
  console.log(`  baseline pgbench CPU: ${ctx.baselines.pgbenchCpuMsPerTx} ms per transaction (${cpuPerTx.map((v) => round(v, 3))})`);
  console.log(`  baseline pgbench (order-confirmation script, 8 clients): ${ctx.baselines.pgbenchTps} tps (${tps.values.map((v) => round(v))})`);
}

const RAW_HTTP = `const http=require('node:http');const body=Buffer.from(process.env.BODY);
const s=http.createServer((q,r)=>{r.writeHead(200,{'content-type':'application/json; charset=utf-8','content-length':body.length});r.end(body)});
s.keepAliveTimeout=65000;s.listen(0,'127.0.0.1',()=>console.log(s.address().port));`;

/** The servers a service's HTTP path is measured against, from the bottom up (each answers the same JSON). */
export type HttpBaseline = 'raw-http' | 'fastify' | 'nest-fastify';

/**
 * A baseline HTTP server in its own process, answering `body`: `raw-http` is node:http writing the bytes,
 * `fastify` and `nest-fastify` are the bare layers a service runs on (bench/src/bare-http.ts). Its CPU is
 * counted as the group of its name.
 */
export async function startBaselineHttp(ctx: BenchContext, kind: HttpBaseline, body: string): Promise<{ url: string; stop(): Promise<void> }> {
  const args = kind === 'raw-http' ? ['-e', RAW_HTTP] : ['-r', './tools/register.js', 'bench/src/bare-http.ts', kind];
  const proc = spawn(process.execPath, args, {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, BODY: body, BENCH_PREFIX: ctx.prefix, BENCH_ROLE: kind },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(proc.stdout, 'data')) as [Buffer];
  return {
    url: `http://127.0.0.1:${chunk.toString().trim()}/health/live`,
    stop: async () => {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}

/** Requests/s at saturation (closed loop by design: it measures capacity, not latency). */
export async function httpRate(url: string, seconds: number, headers: Record<string, string> = {}): Promise<number> {
  return (await httpRun(url, seconds, { headers })).rate;
}

/**
 * Requests/s of one 32-connection run after a 2 s warm-up; with `cpu`, also the CPU µs per request of that process
 * group in the run (contention on a shared machine moves it much less than the rate).
 */
export async function httpRun(
  url: string,
  seconds: number,
  opts: { headers?: Record<string, string>; cpu?: { prefixes: ReadonlySet<string>; group: string } } = {},
): Promise<{ rate: number; cpuUsPerRequest?: number }> {
  const headers = opts.headers ?? {};
  await autocannon({ url, connections: 32, duration: 2, headers });
  const meter = opts.cpu && new CpuMeter(opts.cpu.prefixes).start();
  const result = await autocannon({ url, connections: 32, duration: seconds, headers });
  const cpuMs = meter?.stop()[opts.cpu!.group];
  if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const cpuUsPerRequest = cpuMs === undefined ? undefined : (cpuMs * 1000) / result.requests.total;
  return { rate: result.requests.average, cpuUsPerRequest };
}
