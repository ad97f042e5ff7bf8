/**
 * `npm run web:budget`: the JavaScript each console screen needs before it can show anything, gzip-compressed as
 * the gateway sends it, from the build's manifest (run `npm run build:web` first). A screen's cost is its chunk
 * and every chunk it imports statically, the entry included. Fails when the sign-in page or a rep's first page
 * (home and the notification bell) exceeds its budget; prints every screen's figure.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** KiB gzip. The sign-in page is the entry alone (React, antd's components it uses, the router, the query cache, i18n). */
export const BUDGETS = { signIn: 350, repHome: 400 };

interface Chunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
}
type Manifest = Record<string, Chunk>;

/** The files a chunk needs loaded: itself and its static imports, transitively. */
export function closure(manifest: Manifest, key: string, seen = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const imported of chunk.imports ?? []) closure(manifest, imported, seen);
  return seen;
}

export function screenCosts(manifest: Manifest, sizeOf: (file: string) => number): { screen: string; bytes: number }[] {
  const entry = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
  if (!entry) throw new Error('web-budget: the manifest has no entry');
  const cost = (keys: string[]) => [...new Set(keys.flatMap((k) => [...closure(manifest, k)]))].reduce((sum, file) => sum + sizeOf(file), 0);
  const screens = Object.keys(manifest).filter((k) => manifest[k]?.isDynamicEntry && k.includes('/features/'));
  const home = screens.filter((k) => /features\/(home\/HomePage|notifications\/NotificationBell)\./.test(k));
  return [
    { screen: 'signIn', bytes: cost([entry]) },
    { screen: 'repHome', bytes: cost([entry, ...home]) },
    ...screens.map((k) => ({ screen: k.replace(/^src\/features\//, '').replace(/\.tsx?$/, ''), bytes: cost([entry, k]) })),
  ];
}

if (require.main === module) {
  const dir = resolve(__dirname, '..', 'dist', 'apps', 'web');
  const manifest = JSON.parse(readFileSync(join(dir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const sizeOf = (file: string) => gzipSync(readFileSync(join(dir, file)), { level: 6 }).length;
  let over = false;
  for (const { screen, bytes } of screenCosts(manifest, sizeOf)) {
    const budget = BUDGETS[screen as keyof typeof BUDGETS];
    const kib = bytes / 1024;
    if (budget && kib > budget) over = true;
    console.log(`${screen.padEnd(32)} ${kib.toFixed(1).padStart(7)} KiB gzip${budget ? `  (budget ${budget} KiB${kib > budget ? ': OVER' : ''})` : ''}`);
  }
  if (over) {
    console.error('web-budget: a first page is over its JavaScript budget (tools/web-budget.ts)');
    process.exit(1);
  }
}
