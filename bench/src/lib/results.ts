import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, Row } from './context';
import { machine } from './context';

const fmt = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '–' : Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(Math.round(v * 100) / 100);

export function markdownTable(rows: Row[]): string {
  const lines = [
    '| scenario | figure | value | baseline | ratio | goal | met? |',
    '|---|---|---:|---|---:|---|:---:|',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.figure} | ${fmt(r.value)} ${r.unit} | ${r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.value)} ${r.baseline.unit}` : '–'} | ${r.ratio === undefined ? '–' : r.ratio} | ${r.goal} | ${r.met === null ? 'n/a' : r.met ? 'yes' : '**no**'} |`,
    ),
  ];
  return lines.join('\n');
}

/** Writes `<dir>/latest.json` and `<dir>/latest.md` (and, at the end, a dated JSON copy); returns the Markdown path. */
export function writeResults(
  ctx: BenchContext,
  dir: string,
  meta: { startedAt: Date; seconds: number; only?: string[]; errors: Record<string, string>; final?: boolean },
): string {
  mkdirSync(dir, { recursive: true });
  const m = machine();
  const json = {
    startedAt: meta.startedAt.toISOString(),
    durationSeconds: meta.seconds,
    mode: ctx.scale.smoke ? 'smoke' : 'full',
    only: meta.only ?? null,
    machine: m,
    scale: ctx.scale,
    baselines: ctx.baselines,
    rows: ctx.rows,
    peakMemoryMiB: ctx.memory,
    idle: ctx.idle ?? null,
    errors: meta.errors,
    details: ctx.details,
  };
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
  if (meta.final) writeFileSync(join(dir, `${meta.startedAt.toISOString().replace(/[:.]/g, '-')}.json`), `${JSON.stringify(json, null, 2)}\n`);
  const md = [
    `# Benchmark results (${json.mode} run)`,
    '',
    `Run ${json.startedAt} in ${Math.round(meta.seconds / 60)} min${meta.only ? ` (only: ${meta.only.join(', ')})` : ''}, on ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB RAM,`,
    `Node ${m.node}, ${m.postgres}, ${m.kafka}. Figures on a shared machine drift from run to run, so every`,
    'figure stands beside a baseline measured in the same run on the same broker and database.',
    ...(ctx.autovacuumNote ? ['', ctx.autovacuumNote] : []),
    '',
    markdownTable(ctx.rows),
    '',
    '## Baselines',
    '',
    '| baseline | value |',
    '|---|---:|',
    ...Object.entries(ctx.baselines).map(([k, v]) => `| ${k} | ${fmt(v)} |`),
    '',
    '## Peak memory (VmHWM, MiB)',
    '',
    '| process | peak RSS |',
    '|---|---:|',
    ...Object.entries(ctx.memory).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    ...(ctx.idle
      ? [
          '## At idle (scenario 12)',
          '',
          '| process | CPU ms/s | resident MiB | its database, tx/s |',
          '|---|---:|---:|---:|',
          ...Object.entries(ctx.idle).map(
            ([k, v]) => `| ${k} | ${fmt(v.cpuMsPerSecond)} | ${v.residentMiB} | ${v.txPerSecond === undefined ? '–' : fmt(v.txPerSecond)} |`,
          ),
          '',
        ]
      : []),
    '## Notes per row',
    '',
    ...ctx.rows.filter((r) => r.note).map((r) => `- **${r.scenario} — ${r.figure}**: ${r.note}`),
    ...(Object.keys(meta.errors).length ? ['', '## Scenarios that failed to run', '', ...Object.entries(meta.errors).map(([k, v]) => `- ${k}: ${v}`)] : []),
    '',
  ].join('\n');
  const path = join(dir, 'latest.md');
  writeFileSync(path, md);
  return path;
}
