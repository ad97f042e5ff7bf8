// The lead list's query as the URL keeps it: one place that reads and writes the search params, so a link,
// the back button and a saved view all give the same list.

export const STATUSES = ['new', 'assigned', 'contacted', 'qualified', 'disqualified', 'converted', 'unassigned'] as const;
export const SOURCES = ['web_form', 'phone', 'social', 'trade_show', 'referral', 'import', 'other'] as const;
export const SORTS = ['createdAt', 'updatedAt', 'contactName', 'company', 'score'] as const;

export type SortColumn = (typeof SORTS)[number];

export interface LeadQuery {
  status?: (typeof STATUSES)[number];
  source?: (typeof SOURCES)[number];
  ownerId?: string;
  region?: string;
  from?: string;
  to?: string;
  overdue?: boolean;
  q?: string;
  sort?: string;
}

/** The keys a saved view keeps (everything but the cursor, which belongs to one reading). */
export const QUERY_KEYS = ['status', 'source', 'ownerId', 'region', 'from', 'to', 'overdue', 'q', 'sort'] as const;

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  value !== null && (values as readonly string[]).includes(value) ? (value as T) : undefined;
const date = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);
const SORT_VALUES = SORTS.flatMap((s) => [s, `-${s}`]);

/** What the URL asks for; anything the API would refuse is dropped rather than sent. */
export function readQuery(params: URLSearchParams): LeadQuery {
  const q = params.get('q')?.trim();
  const text = (key: string) => params.get(key)?.trim().slice(0, 100) || undefined;
  const query: LeadQuery = {
    status: oneOf(STATUSES, params.get('status')),
    source: oneOf(SOURCES, params.get('source')),
    ownerId: text('ownerId'),
    region: text('region'),
    from: date(params.get('from')),
    to: date(params.get('to')),
    overdue: params.get('overdue') === 'true' ? true : undefined,
    q: q && q.length >= 2 ? q.slice(0, 100) : undefined,
    sort: oneOf(SORT_VALUES, params.get('sort')),
  };
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as LeadQuery;
}

/** The query as URL params (also what a saved view stores): strings only, empty keys left out. */
export function queryRecord(query: LeadQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of QUERY_KEYS) {
    const value = query[key];
    if (value !== undefined && value !== '' && value !== false) out[key] = String(value);
  }
  return out;
}

/** The API's parameters: dates of the user's calendar become the instants the API compares (`to` is exclusive: the next day). */
export function apiParams(query: LeadQuery, toInstant: (day: string) => string): Record<string, string | boolean> {
  const { from, to, ...rest } = query;
  const params: Record<string, string | boolean> = { ...rest };
  if (from) params.from = toInstant(from);
  if (to) params.to = toInstant(nextDay(to));
  return params;
}

export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The column and direction of `sort` (default newest first). */
export function sortOf(sort: string | undefined): { column: SortColumn; order: 'ascend' | 'descend' } {
  const value = sort ?? '-createdAt';
  const desc = value.startsWith('-');
  return { column: (desc ? value.slice(1) : value) as SortColumn, order: desc ? 'descend' : 'ascend' };
}

export function sortValue(column: string | undefined, order: 'ascend' | 'descend' | null | undefined): string | undefined {
  if (!column || !order || !(SORTS as readonly string[]).includes(column)) return undefined;
  return order === 'descend' ? `-${column}` : column;
}

/** Midnight of a calendar day in the user's chosen zone, as the instant the API takes. */
export function dayStart(day: string, zone: 'Asia/Shanghai' | 'UTC' | 'local'): string {
  if (zone === 'Asia/Shanghai') return `${day}T00:00:00+08:00`;
  if (zone === 'UTC') return `${day}T00:00:00Z`;
  return new Date(`${day}T00:00:00`).toISOString();
}
