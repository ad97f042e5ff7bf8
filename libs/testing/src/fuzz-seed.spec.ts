import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fuzzSeed } from './openapi-fuzz';

const ROOT = resolve(__dirname, '..', '..', '..');

describe('the fuzzers’ seed', () => {
  it('is FUZZ_SEED when set, else the caller’s, else none (fast-check draws one)', () => {
    expect(fuzzSeed({ FUZZ_SEED: '40786863' })).toBe(40786863);
    expect(fuzzSeed({ FUZZ_SEED: ' -7 ' }, 3)).toBe(-7);
    expect(fuzzSeed({}, 3)).toBe(3);
    expect(fuzzSeed({ FUZZ_SEED: '' })).toBeUndefined();
  });

  it('refuses a FUZZ_SEED that is not a 32-bit integer', () => {
    for (const bad of ['abc', '1.5', '4294967296', '0x10']) expect(() => fuzzSeed({ FUZZ_SEED: bad })).toThrow(/FUZZ_SEED must be a 32-bit integer/);
  });

  it('in `npm test` is derived from the commit under test, the same on every run of that commit', () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const seed = Number(execFileSync('bash', ['tools/fuzz-seed.sh'], { cwd: ROOT, encoding: 'utf8' }).trim());
    expect(seed).toBe(parseInt(head.slice(0, 7), 16));
    expect(fuzzSeed({ FUZZ_SEED: String(seed) })).toBe(seed);
    const testSh = readFileSync(resolve(ROOT, 'tools/test.sh'), 'utf8');
    expect(testSh).toMatch(/export FUZZ_SEED=\$\{FUZZ_SEED:-\$\(bash tools\/fuzz-seed\.sh\)\}/);
    expect(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).not.toMatch(/"test:fuzz": "[^"]*FUZZ_SEED/);
  });
});
