import type { AccessScope } from '@crm/http';
import type { DimensionGroup } from './reporting.dto';

/** The aggregate column each grouping reads. */
export const DIMENSION_COLUMN: Record<DimensionGroup | 'stage' | 'category', string> = {
  region: 'region',
  product: 'product_line',
  source: 'source',
  rep: 'rep_id',
  team: 'team',
  stage: 'stage',
  category: 'category',
};

/** Collects SQL parameters and hands out their $n placeholders. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A statement and its parameters. */
export interface Sql {
  sql: string;
  params: unknown[];
}

/** The rows a caller may see in an aggregate table (every one carries rep_id and team). */
export function scopeFilter(scope: AccessScope, p: Params, alias = ''): string {
  const col = (c: string) => (alias ? `${alias}.${c}` : c);
  if (scope.kind === 'team') return ` AND ${col('team')} = ${p.add(scope.team)}`;
  if (scope.kind === 'own') return ` AND ${col('rep_id')} = ${p.add(scope.repId)}`;
  return '';
}

/** The fact rows a caller may see, by the expressions of their rep and their team. */
export function factScopeFilter(scope: AccessScope, p: Params, rep: string, team: string): string {
  if (scope.kind === 'own') return ` AND ${rep} = ${p.add(scope.repId)}`;
  if (scope.kind === 'team') return ` AND ${team} = ${p.add(scope.team)}`;
  return '';
}

/** The time of the last event applied (`asOf`), as a row set `[{ t }]`. */
export const AS_OF_SQL = 'SELECT max(last_event_time) AS t FROM analytics_watermark';
export interface AsOfRow {
  t: string | Date | null;
}
export const asOfValue = (t: string | Date | null | undefined): string | null => (t ? new Date(t).toISOString() : null);
