import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { OverdueBatch } from './overdue.domain';

@Injectable()
export class OverdueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` receivables owing, due before `today` and not alerted yet, `FOR UPDATE SKIP LOCKED`: several
   * replicas (or two overlapping runs) split the work and never claim one receivable twice.
   */
  async claim(m: EntityManager, today: string, limit: number): Promise<OverdueBatch> {
    const rows: { id: string; order_id: string; amount: string; paid: string; currency: string; due_date: string }[] = await m.query(
      `SELECT id, order_id, amount::text AS amount, paid::text AS paid, currency, due_date::text AS due_date
         FROM receivables
        WHERE status IN ('open', 'partially_paid') AND overdue_alerted_at IS NULL AND due_date < $1::date
        ORDER BY due_date, id
        LIMIT $2
          FOR UPDATE SKIP LOCKED`,
      [today, limit],
    );
    return {
      version: 0,
      receivables: rows.map((r) => ({ id: r.id, orderId: r.order_id, amount: r.amount, paid: r.paid, currency: r.currency, dueDate: r.due_date })),
    };
  }

  async markAlerted(m: EntityManager, ids: string[], at: Date): Promise<void> {
    if (!ids.length) return;
    await m.query('UPDATE receivables SET overdue_alerted_at = $2, version = version + 1, updated_at = $2 WHERE id = ANY($1::uuid[])', [ids, at]);
  }

  /** Receivables past due with money owed, alerted or not (the gauge). */
  async countOverdue(today: string): Promise<number> {
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM receivables WHERE status IN ('open', 'partially_paid') AND due_date < $1::date`,
      [today],
    );
    return n;
  }
}
