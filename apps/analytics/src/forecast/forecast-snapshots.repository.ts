import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

// Any constant: the job's advisory lock, so one replica snapshots at a time.
const LOCK_KEY = 0x616e_6601;

/** One forecast value to keep: a method's forecast for a target month, with its interval when it has one. */
export interface SnapshotValue {
  method: string;
  target: string;
  value: string | number;
  lower: string | number | null | undefined;
  upper: string | number | null | undefined;
}

/** A stored forecast next to the actual net bookings of its (closed) target month. */
export interface AccuracyRow {
  made_month: string;
  target_month: string;
  method: string;
  value: string;
  actual: string | null;
}

/** forecast_snapshots, and the actuals they are judged against. */
@Injectable()
export class ForecastSnapshotsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Takes the job's lock for the transaction; false when another run holds it. */
  async tryLock(m: EntityManager): Promise<boolean> {
    const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [LOCK_KEY]);
    return locked;
  }

  async currencies(m: EntityManager): Promise<string[]> {
    const rows: { currency: string }[] = await m.query('SELECT DISTINCT currency FROM sales_daily ORDER BY currency');
    return rows.map((r) => r.currency);
  }

  /** Stores the values not stored yet; how many it stored. */
  async insert(m: EntityManager, madeMonth: string, currency: string, values: readonly SnapshotValue[]): Promise<number> {
    const inserted: unknown[] = await m.query(
      `INSERT INTO forecast_snapshots (made_month, target_month, currency, method, value, lower, upper)
       SELECT $1, x.target, $2, x.method, x.value, x.lower, x.upper
         FROM jsonb_to_recordset($3::jsonb) AS x(target date, method text, value numeric, lower numeric, upper numeric)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [madeMonth, currency, JSON.stringify(values)],
    );
    return inserted.length;
  }

  /** Every stored forecast of a currency whose target month is before `currentMonth`, with that month's actual. */
  accuracyRows(currency: string, currentMonth: string): Promise<AccuracyRow[]> {
    return this.dataSource.query(
      `SELECT s.made_month::text, s.target_month::text, s.method, s.value::text, a.actual
         FROM forecast_snapshots s
         LEFT JOIN LATERAL (
           SELECT sum(confirmed_amount - cancelled_amount)::text AS actual FROM sales_daily
            WHERE currency = s.currency AND day >= s.target_month AND day < s.target_month + interval '1 month') a ON true
        WHERE s.currency = $1 AND s.target_month < $2::date
        ORDER BY s.method, s.made_month, s.target_month`,
      [currency, currentMonth],
    );
  }
}
