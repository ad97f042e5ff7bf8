import { createHash } from 'node:crypto';

/** SHA-256 of the body in canonical JSON: a retry that reorders keys is still the same request. */
export function hashRequestBody(body: unknown): string {
  const hash = createHash('sha256');
  hash.update(Buffer.isBuffer(body) ? body : canonicalJson(body));
  return hash.digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
