import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

// `npm start -- --replicas N` refuses a count it cannot run before it starts or stops anything.
const start = (...args: string[]) =>
  spawnSync('bash', [resolve(__dirname, 'start.sh'), ...args], { encoding: 'utf8', env: { ...process.env, CRM_RUN_DIR: '/nonexistent/replicas-args' } });

describe('tools/start.sh --replicas', () => {
  it.each([['0'], ['10'], ['two'], ['']])('refuses --replicas %p with a usage error', (n) => {
    const run = start('--replicas', n);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--replicas takes a number from 1 to 9');
  });

  it('refuses --replicas without a number, and an unknown flag, with the usage', () => {
    for (const args of [['--replicas'], ['--replica=2']]) {
      const run = start(...args);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('usage: tools/start.sh [--detach] [--demo] [--replicas N] | stop');
    }
  });
});
