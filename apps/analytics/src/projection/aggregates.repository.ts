import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AGGREGATES, AGGREGATE_TABLES, DATE_DIMS, type AggregateTable, type Contribution } from './aggregates';
import { FACT_ID, select, type FactTable } from './fact-rows';
import type { Watermark } from './projection-batch';

/** Everything derived from events; quotas and forecast snapshots are not, and survive a rebuild. */
export const READ_MODEL_TABLES = [
  ...AGGREGATE_TABLES,
  'analytics_watermark',
  'reps',
  'items',
  'lead_facts',
  'opportunity_facts',
  'opportunity_stage_intervals',
  'order_facts',
  'order_line_facts',
  'payment_facts',
  'receivable_facts',
  'feedback_facts',
  // What merges moved: the replay applies them again, to the facts it rebuilt.
  'customer_merges',
  'customer_merge_moves',
];

/** The facts' stored contributions, the aggregate tables they add up to, and the watermarks. */
@Injectable()
export class AggregatesRepository {
  /** Locks the fact rows in id order (so concurrent batches cannot deadlock on them); their stored contributions by id. */
  async lockContributions(m: EntityManager, table: FactTable, ids: readonly string[]): Promise<Map<string, Contribution[]>> {
    const id = FACT_ID[table];
    const rows = await select<{ id: string; contrib: Contribution[] }>(
      m,
      `SELECT ${id} AS id, contrib FROM ${table} WHERE ${id} = ANY($1::uuid[]) ORDER BY ${id} FOR UPDATE`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.contrib]));
  }

  async saveContributions(m: EntityManager, table: FactTable, changed: readonly { id: string; contrib: Contribution[] }[]): Promise<void> {
    if (!changed.length) return;
    await m.query(
      `UPDATE ${table} f SET contrib = x.contrib FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, contrib jsonb) WHERE f.${FACT_ID[table]} = x.id`,
      [JSON.stringify(changed)],
    );
  }

  /**
   * One INSERT … ON CONFLICT DO UPDATE (x = x + EXCLUDED.x) per aggregate table, tables and rows in key order
   * (the order diffContributions returns), so concurrent writers take the row locks in the same order.
   */
  async addDeltas(m: EntityManager, delta: readonly Contribution[]): Promise<void> {
    const byTable = new Map<AggregateTable, Contribution[]>();
    for (const c of delta) {
      const rows = byTable.get(c.t);
      if (rows) rows.push(c);
      else byTable.set(c.t, [c]);
    }
    for (const [table, rows] of byTable) {
      const spec = AGGREGATES[table];
      const measures = Object.entries(spec.measures);
      const dims = spec.dims.join(', ');
      const recordDef = [
        ...spec.dims.map((d) => `${d} ${DATE_DIMS.has(d) ? 'date' : 'text'}`),
        ...measures.map(([name, type]) => `${name} ${type === 'amount' ? 'numeric' : 'bigint'}`),
      ].join(', ');
      const records = rows.map((r) => ({ ...Object.fromEntries(spec.dims.map((d, i) => [d, r.k[i]])), ...r.m }));
      await m.query(
        `INSERT INTO ${table} (${dims}, ${measures.map(([name]) => name).join(', ')})
         SELECT ${dims}, ${measures.map(([name]) => `COALESCE(${name}, 0)`).join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${recordDef})
         ON CONFLICT (${dims}) DO UPDATE SET ${measures.map(([name]) => `${name} = ${table}.${name} + EXCLUDED.${name}`).join(', ')}`,
        [JSON.stringify(records)],
      );
    }
  }

  /** Adds the batch's counts and moves each partition's last event time forward, in one statement. */
  async moveWatermarks(m: EntityManager, marks: readonly Watermark[]): Promise<void> {
    if (!marks.length) return;
    await m.query(
      `INSERT INTO analytics_watermark (topic, partition, last_event_time, events_applied)
       SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::bigint[])
       ON CONFLICT (topic, partition) DO UPDATE SET last_event_time = GREATEST(analytics_watermark.last_event_time, EXCLUDED.last_event_time),
         events_applied = analytics_watermark.events_applied + EXCLUDED.events_applied`,
      [marks.map((w) => w.topic), marks.map((w) => w.partition), marks.map((w) => w.time), marks.map((w) => w.count)],
    );
  }

  /**
   * Claims events for `consumer` in the inbox, in one statement (what claimInboxEvent does for one): the ids
   * claimed now; an id claimed before, or twice in the list, is claimed once.
   */
  async claimEvents(m: EntityManager, consumer: string, events: readonly { id: string; type: string; topic: string; partition: number; offset: string }[]) {
    if (!events.length) return new Set<string>();
    const rows = await select<{ event_id: string }>(
      m,
      `INSERT INTO inbox (consumer, event_id, event_type, topic, partition, "offset")
       SELECT $1, x.id, x.type, x.topic, x.partition, x."offset" FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, type text, topic text, partition int, "offset" bigint)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [consumer, JSON.stringify(events)],
    );
    return new Set(rows.map((r) => r.event_id));
  }

  /** Empties the read model and forgets which events the consumer applied (a rebuild replays them all). */
  async emptyReadModel(m: EntityManager, consumer: string): Promise<void> {
    await m.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);
    await m.query('DELETE FROM inbox WHERE consumer = $1', [consumer]);
  }
}
