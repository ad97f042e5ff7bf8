import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AS_OF_SQL, asOfValue, type AsOfRow, type Sql } from './report.queries';

/** Runs the reports' queries (built in the *.queries.ts files) against the read model. */
@Injectable()
export class ReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Rows of one statement, typed by the caller. */
  rows<R>({ sql, params }: Sql): Promise<R[]> {
    return this.dataSource.query(sql, params);
  }

  /**
   * Several independent row sets in one statement and one round trip (one plan, one backend) instead of a
   * query each: every query's rows come back as a JSON array, so select text for money, not numeric.
   */
  async many<T extends { [K in keyof T]: unknown[] }>(queries: { [K in keyof T]: string }, params: unknown[]): Promise<T> {
    const columns = Object.entries<string>(queries).map(([name, sql]) => `(SELECT coalesce(json_agg(rows_), '[]') FROM (${sql}) rows_) AS "${name}"`);
    const [row] = await this.dataSource.query(`SELECT ${columns.join(', ')}`, params);
    return row;
  }

  /** The time of the last event applied. */
  async asOf(): Promise<string | null> {
    const [row] = await this.rows<AsOfRow>({ sql: AS_OF_SQL, params: [] });
    return asOfValue(row?.t);
  }
}
