import type { DataSource } from 'typeorm';

/** Every text, varchar, char, array and json value of every table of the database, one string per row and column. */
export async function textDump(dataSource: DataSource): Promise<string[]> {
  const columns: { table_name: string; column_name: string }[] = await dataSource.query(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = current_schema() AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`,
  );
  const values: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const rows: { v: string | null }[] = await dataSource.query(`SELECT "${column}"::text AS v FROM "${table}"`);
    for (const { v } of rows) if (v !== null) values.push(`${table}.${column}: ${v}`);
  }
  return values;
}
