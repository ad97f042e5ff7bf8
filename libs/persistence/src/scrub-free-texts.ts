import type { EntityManager } from 'typeorm';
import { ERASED } from '@crm/privacy';

/** A column people write free text in that may quote a person's values: [table, column, is jsonb]. */
export type FreeTextColumn = readonly [table: string, column: string, json: boolean];

/** The records scrubbed: rows of `table` by id, rows of the other tables by `foreignKey`. */
export interface ScrubbedRecords {
  table: string;
  foreignKey: string;
  ids: readonly string[];
}

// Shorter values would match inside unrelated words (as forgetPersonalValues judges too).
const MIN_TEXT_MATCH = 3;

/**
 * Replaces every occurrence of the values by "[erased]" in the free texts of these records, in place (the rest of
 * each text stays). In jsonb the value is searched as JSON writes it, so the text stays valid JSON.
 */
export async function scrubFreeTexts(m: EntityManager, columns: readonly FreeTextColumn[], records: ScrubbedRecords, values: readonly string[]): Promise<void> {
  if (!records.ids.length) return;
  for (const value of values.filter((v) => v.length >= MIN_TEXT_MATCH)) {
    for (const [table, column, json] of columns) {
      const key = table === records.table ? 'id' : records.foreignKey;
      const needle = json ? JSON.stringify(value).slice(1, -1) : value;
      const text = json ? `${column}::text` : column;
      const replaced = `replace(${text}, $2, '${ERASED}')${json ? '::jsonb' : ''}`;
      await m.query(`UPDATE ${table} SET ${column} = ${replaced} WHERE ${key} = ANY($1::uuid[]) AND strpos(${text}, $2) > 0`, [records.ids, needle]);
    }
  }
}
