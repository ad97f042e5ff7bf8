import { Client } from 'pg';
import type { DataSource } from 'typeorm';

/** One stored value: where (`table.column`, schema-qualified outside public) and its text as PostgreSQL prints it. */
export interface StoredText {
  where: string;
  text: string;
}

const TEXT_TYPES = ['text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY'];
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Every non-null text, varchar, char, array and json value of every table of a database (every user schema), one per
 * row and column: what a test searches byte for byte for a person's values after an erasure. Takes a service's
 * DataSource or a database URL. Throws on a database without such columns (the wrong one, or not migrated).
 */
export async function storedTexts(db: DataSource | string): Promise<StoredText[]> {
  const client = typeof db === 'string' ? new Client({ connectionString: db }) : undefined;
  const query = async <R>(sql: string, params?: unknown[]): Promise<R[]> =>
    client ? (await client.query(sql, params)).rows : (db as DataSource).query(sql, params);
  await client?.connect();
  try {
    const columns = await query<{ s: string; t: string; c: string }>(
      `SELECT c.table_schema AS s, c.table_name AS t, c.column_name AS c FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.data_type = ANY($1) ORDER BY 1, 2, 3`,
      [TEXT_TYPES],
    );
    if (!columns.length) throw new Error('storedTexts: the database has no text or json column');
    const out: StoredText[] = [];
    for (const { s, t, c } of columns) {
      const where = s === 'public' ? `${t}.${c}` : `${s}.${t}.${c}`;
      const rows = await query<{ v: string }>(`SELECT ${ident(c)}::text AS v FROM ${ident(s)}.${ident(t)} WHERE ${ident(c)} IS NOT NULL`);
      for (const { v } of rows) out.push({ where, text: v });
    }
    return out;
  } finally {
    await client?.end();
  }
}

/**
 * Where the values occur among stored texts, as `table.column: value`, each place once; byte for byte, or ignoring
 * case (search columns hold lower-cased copies).
 */
export function valuesIn(texts: readonly StoredText[], values: readonly string[], options: { ignoreCase?: boolean } = {}): string[] {
  const fold = (s: string) => (options.ignoreCase ? s.toLowerCase() : s);
  const found = new Set<string>();
  for (const { where, text } of texts) {
    for (const value of values) if (fold(text).includes(fold(value))) found.add(`${where}: ${value}`);
  }
  return [...found];
}

/** Where a database holds any of the values (see storedTexts, valuesIn); [] once they are erased everywhere. */
export async function storedValues(db: DataSource | string, values: readonly string[], options: { ignoreCase?: boolean } = {}): Promise<string[]> {
  return valuesIn(await storedTexts(db), values, options);
}
