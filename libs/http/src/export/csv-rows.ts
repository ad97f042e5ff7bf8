/**
 * How a list's JSON items become CSV cells: the item as its JSON answer has it (dates as ISO 8601 UTC, money
 * as exact decimal strings), nested objects flattened to dotted columns (`customer.name`), arrays of plain
 * values joined with "; ", anything deeper as JSON text, and every text cell guarded against spreadsheet
 * formulas.
 */
import { DECORATORS } from '@nestjs/swagger';

const { API_MODEL_PROPERTIES, API_MODEL_PROPERTIES_ARRAY } = DECORATORS;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

// Objects nested deeper than this stay one JSON cell: a column per leaf would be unreadable.
const MAX_DEPTH = 3;

/**
 * The columns a list documents for its items (`@ApiPageResponse(ItemView)`), nested classes flattened the same
 * way; empty when the class documents nothing. The contract, so the header is the same for every export,
 * empty or not.
 */
export function documentedColumns(type: unknown, prefix = '', depth = 1): string[] {
  const model = resolveModel(type);
  const names: string[] = model ? (Reflect.getMetadata(API_MODEL_PROPERTIES_ARRAY, model.prototype) ?? []) : [];
  return names.flatMap((key) => {
    const name = key.replace(/^:/, '');
    const path = prefix ? `${prefix}.${name}` : name;
    const meta = Reflect.getMetadata(API_MODEL_PROPERTIES, model!.prototype, name) as { type?: unknown; isArray?: boolean } | undefined;
    const nested = meta?.isArray || Array.isArray(meta?.type) ? undefined : resolveModel(meta?.type);
    const inner = nested && depth < MAX_DEPTH ? documentedColumns(nested, path, depth + 1) : [];
    return inner.length ? inner : [path];
  });
}

// A class with documented properties; `type: () => View` (lazy, no prototype) is called first.
function resolveModel(type: unknown): (abstract new (...args: never[]) => unknown) | undefined {
  const candidate = typeof type === 'function' && !type.prototype ? (type as () => unknown)() : type;
  if (typeof candidate !== 'function' || !candidate.prototype) return undefined;
  const names = Reflect.getMetadata(API_MODEL_PROPERTIES_ARRAY, candidate.prototype) as string[] | undefined;
  return names?.length ? (candidate as abstract new (...args: never[]) => unknown) : undefined;
}

/** The item exactly as the JSON list would send it. */
export function asJson(item: unknown): JsonObject {
  const value = JSON.parse(JSON.stringify(item ?? {})) as JsonValue;
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : { value };
}

const isObject = (v: JsonValue | undefined): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Leaf paths of one item, in key order; an empty object or a null contributes its own path. */
function leafPaths(item: JsonObject, prefix = '', depth = 1): string[] {
  return Object.entries(item).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return isObject(value) && depth < MAX_DEPTH && Object.keys(value).length ? leafPaths(value, path, depth + 1) : [path];
  });
}

/**
 * The columns of an export, from the items of its first page: every leaf path in order of first appearance.
 * A path that is an object on another row (`billingAddress` null here, an address there) gives way to that
 * object's fields. Columns are fixed from here on: later pages fill the same header.
 */
export function csvColumns(items: JsonObject[]): string[] {
  const seen = new Set<string>();
  for (const item of items) for (const path of leafPaths(item)) seen.add(path);
  const paths = [...seen];
  return paths.filter((path) => !paths.some((other) => other.startsWith(`${path}.`)));
}

function valueAt(item: JsonObject, path: string): JsonValue | undefined {
  let value: JsonValue | undefined = item;
  for (const key of path.split('.')) {
    if (!isObject(value)) return undefined;
    value = value[key];
  }
  return value;
}

// A plain number ("-12.50", a negative amount) is data, not a formula, and must stay exact.
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+1+1`, `@SUM(…)`) gets a leading `'`. */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

function cellText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return guardFormula(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return guardFormula(value.map((v) => String(v ?? '')).join('; '));
  return guardFormula(JSON.stringify(value));
}

/** One CSV record: the item's cells in column order. */
export function csvCells(item: JsonObject, columns: string[]): string[] {
  return columns.map((column) => cellText(valueAt(item, column)));
}

/**
 * `Accept: text/csv` chooses CSV when it ranks text/csv at least as high as application/json; a browser's
 * `*\/*` or no Accept at all keeps JSON.
 */
export function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  let csv = 0;
  let json = 0;
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (type === 'text/csv') csv = Math.max(csv, q);
    if (type === 'application/json') json = Math.max(json, q);
  }
  return csv > 0 && csv >= json;
}

/** `leads-20260314T081500Z.csv`, from the route's static segments after `/api/v1`. */
export function exportFilename(routePath: string, now: Date): string {
  const name = routePath
    .replace(/^\/?api\/v\d+\/?/, '')
    .split('/')
    .filter((segment) => segment && !segment.startsWith(':'))
    .join('-')
    .replace(/[^a-z0-9-]/gi, '');
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `${name || 'export'}-${stamp}.csv`;
}
