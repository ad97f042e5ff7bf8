// A deterministic set of accounts for the duplicate scan test: thousands of Latin and Chinese company names that
// are pairwise dissimilar (random words share few trigrams; every Chinese name has bigrams no other name has),
// plus a known number of deliberate duplicate pairs (a shared domain, a name extended by a word, or Chinese names
// sharing a two-character substring).
import { decideCreateAccount, type AccountRow } from '../accounts/account.domain';
import { hanBigrams } from '../duplicates/duplicate.domain';

export type PairKind = 'domain' | 'latin' | 'chinese';

/** mulberry32: small, fast and the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateAccounts(opts: { total: number; pairs: number; seed: number; teams: string[] }): {
  rows: AccountRow[];
  expected: { firstId: string; secondId: string; kind: PairKind }[];
} {
  const rnd = prng(opts.seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const uuid = () => {
    const h = Array.from({ length: 32 }, () => '0123456789abcdef'[int(16)]).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const word = () => {
    const w = Array.from({ length: 5 + int(5) }, () => 'abcdefghijklmnopqrstuvwxyz'[int(26)]).join('');
    return w[0].toUpperCase() + w.slice(1);
  };
  const latin = () => `${word()} ${word()}`;
  // Chinese names whose neighbouring-character pairs no other name has, unless a pair is meant to share one.
  const usedBigrams = new Set<string>();
  const han = () => String.fromCodePoint(0x4e00 + int(0x9fa5 - 0x4e00));
  const chinese = (keep = ''): string => {
    for (;;) {
      const name = keep ? han() + keep + han() : han() + han() + han() + han();
      const grams = hanBigrams(name).filter((g) => !keep.includes(g));
      if (grams.length !== [...name].length - 1 - (keep ? 1 : 0) || grams.some((g) => usedBigrams.has(g))) continue;
      grams.forEach((g) => usedBigrams.add(g));
      return name;
    }
  };

  let n = 0;
  const rows: AccountRow[] = [];
  const add = (name: string, domain: string, team: string) => {
    const owner = { ownerRepId: null, team };
    const { changes } = decideCreateAccount({ name, domains: [domain] }, owner, { id: uuid(), by: 'seed', now: new Date() });
    rows.push(changes);
    return changes.id;
  };
  const expected: { firstId: string; secondId: string; kind: PairKind }[] = [];
  for (let p = 0; p < opts.pairs; p++) {
    const kind: PairKind = (['domain', 'latin', 'chinese'] as const)[p % 3];
    const team = opts.teams[p % opts.teams.length];
    let a: string, b: string;
    if (kind === 'domain') {
      const domain = `shared-${p}.example`;
      a = add(latin(), domain, team);
      b = add(latin(), domain, team);
    } else if (kind === 'latin') {
      const base = latin();
      a = add(base, `d${n++}.example`, team);
      b = add(`${base} Ltd`, `d${n++}.example`, team);
    } else {
      const base = chinese();
      const chars = [...base];
      a = add(base, `d${n++}.example`, team);
      b = add(chinese(chars[1] + chars[2]), `d${n++}.example`, team);
    }
    expected.push(a < b ? { firstId: a, secondId: b, kind } : { firstId: b, secondId: a, kind });
  }
  while (rows.length < opts.total) {
    const name = rnd() < 0.3 ? chinese() : `${latin()}${rnd() < 0.3 ? ' Co' : ''}`;
    add(name, `d${n++}.example`, opts.teams[int(opts.teams.length)]);
  }
  return { rows, expected };
}
