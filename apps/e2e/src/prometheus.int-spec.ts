import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ServiceName } from '@crm/contracts';
import { eventually, freePort, startSystem, type TestSystem } from '@crm/testing';

// A real Prometheus (Debian's `prometheus` package; tools/deploy-checks.sh installs it) loads the shipped
// deploy/prometheus/prometheus.yml and alerts.yml, pointed at the six services running as processes, and must
// find every target up and every alert rule healthy.
jest.setTimeout(180_000);

const SERVICES: ServiceName[] = ['leads', 'opportunities', 'orders', 'inventory', 'finance', 'analytics', 'customers', 'notifications'];
const DEPLOY = resolve(__dirname, '..', '..', '..', 'deploy', 'prometheus');

interface Target {
  health: string;
  labels: Record<string, string>;
  lastError: string;
}
interface RuleGroup {
  rules: { name: string; health: string; lastError?: string }[];
}

describe('Prometheus scrapes every service with the shipped configuration', () => {
  let system: TestSystem;
  let dir: string;
  let prometheus: ChildProcess | undefined;
  let api: string;
  const query = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${api}/api/v1/${path}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: T }).data;
  };

  beforeAll(async () => {
    system = await startSystem(SERVICES);
    dir = await mkdtemp(join(tmpdir(), 'crm-prometheus-'));
    // The shipped file names the compose hosts; here the services run on 127.0.0.1 and free ports.
    let config = await readFile(join(DEPLOY, 'prometheus.yml'), 'utf8');
    for (const name of SERVICES) {
      const before = config;
      config = config.replace(new RegExp(`"${name}:\\d+"`), `"${new URL(system.services[name].url).host}"`);
      if (config === before) throw new Error(`deploy/prometheus/prometheus.yml has no target for ${name}`);
    }
    config = config.replace(/scrape_interval: \S+/, 'scrape_interval: 1s').replace(/evaluation_interval: \S+/, 'evaluation_interval: 1s');
    await writeFile(join(dir, 'prometheus.yml'), config);
    await writeFile(join(dir, 'alerts.yml'), await readFile(join(DEPLOY, 'alerts.yml')));
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: 'ignore' },
    );
    prometheus.on('error', (error) => {
      throw new Error(`cannot start prometheus (run tools/deploy-checks.sh to install it): ${error.message}`);
    });
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = once(prometheus, 'exit');
      prometheus.kill('SIGTERM');
      await exited;
    }
    await system?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('finds all six targets up, each labelled with its service', async () => {
    const targets = await eventually(
      async () => {
        const { activeTargets } = await query<{ activeTargets: Target[] }>('targets');
        expect(activeTargets).toHaveLength(SERVICES.length);
        for (const t of activeTargets) expect({ service: t.labels.service, health: t.health, error: t.lastError }).toMatchObject({ health: 'up', error: '' });
        return activeTargets;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(targets.map((t) => t.labels.service).sort()).toEqual([...SERVICES].sort());

    // `up` and the services' own series carry the same `service` label, which the alert rules group by.
    const up = await query<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(`query?query=${encodeURIComponent('up')}`);
    expect(Object.fromEntries(up.result.map((r) => [r.metric.service, r.value[1]]))).toEqual(Object.fromEntries(SERVICES.map((s) => [s, '1'])));
    const own = await query<{ result: { metric: Record<string, string> }[] }>(
      `query?query=${encodeURIComponent('count by (service) (process_resident_memory_bytes)')}`,
    );
    expect(own.result.map((r) => r.metric.service).sort()).toEqual([...SERVICES].sort());
  });

  it('loads every alert rule of deploy/prometheus/alerts.yml and evaluates it without error', async () => {
    const shipped = (await readFile(join(DEPLOY, 'alerts.yml'), 'utf8')).match(/^\s+- alert: /gm)?.length ?? 0;
    expect(shipped).toBeGreaterThan(0);
    await eventually(
      async () => {
        const { groups } = await query<{ groups: RuleGroup[] }>('rules');
        const rules = groups.flatMap((g) => g.rules);
        expect(rules).toHaveLength(shipped);
        for (const r of rules) expect({ rule: r.name, health: r.health, error: r.lastError ?? '' }).toEqual({ rule: r.name, health: 'ok', error: '' });
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
  });
});
