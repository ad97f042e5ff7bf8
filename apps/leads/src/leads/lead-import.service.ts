import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CsvError, parse } from 'csv-parse';
import { flattenValidationErrors, type AuthUser } from '@crm/http';
import { ImportRowDto } from './leads.dto';
import { LeadsService } from './leads.service';

export interface ImportResult {
  imported: number;
  merged: number;
  rejected: { line: number; errors: { field: string; message: string }[] }[];
}

const MAX_IMPORT_ROWS = 10_000;

/** CSV import: each good row goes through the one capture path, each bad one is reported with its line. */
@Injectable()
export class LeadImportService {
  constructor(private readonly leads: LeadsService) {}

  /**
   * Streams a CSV (header row) and captures each good row through the same path as the API; a bad row is
   * reported with its line number and field errors, and does not stop the others.
   */
  async importCsv(user: AuthUser, stream: Readable): Promise<ImportResult> {
    const result: ImportResult = { imported: 0, merged: 0, rejected: [] };
    const parser = stream.pipe(
      parse({
        columns: (header: string[]) => header.map((h) => h.trim()),
        bom: true,
        trim: true,
        skip_empty_lines: true,
        info: true,
        max_record_size: 64 * 1024,
      }),
    );
    let rows = 0;
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        if (++rows > MAX_IMPORT_ROWS) {
          result.rejected.push({ line: info.lines, errors: [{ field: '', message: `at most ${MAX_IMPORT_ROWS} rows per import; the rest was not read` }] });
          stream.unpipe(parser);
          stream.resume();
          break;
        }
        const row = plainToInstance(ImportRowDto, csvRecord(record));
        const errors = await validate(row, { whitelist: true, forbidNonWhitelisted: true });
        if (errors.length) {
          result.rejected.push({ line: info.lines, errors: flattenValidationErrors(errors).map(({ field, message }) => ({ field, message })) });
          continue;
        }
        const captured = await this.leads.capture({ ...row, source: row.source ?? 'import' }, user.sub);
        if (captured.merged) result.merged++;
        else result.imported++;
      }
    } catch (err) {
      // Not every parse error code starts with CSV_ (INVALID_OPENING_QUOTE does not): test the class.
      if (!(err instanceof CsvError)) throw err;
      // A broken file (an unclosed quote) cannot be read on; what was read before stays imported.
      result.rejected.push({ line: typeof err.lines === 'number' ? err.lines : rows + 1, errors: [{ field: '', message: err.message }] });
    }
    return result;
  }
}

/** A CSV cell is text: empty means absent, `custom.<name>` columns become custom fields. */
function csvRecord(record: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const custom: Record<string, string> = {};
  for (const [column, value] of Object.entries(record)) {
    if (value === '' || value === undefined) continue;
    if (column.startsWith('custom.')) custom[column.slice('custom.'.length)] = value;
    else out[column] = value;
  }
  if (Object.keys(custom).length) out.customFields = custom;
  return out;
}
