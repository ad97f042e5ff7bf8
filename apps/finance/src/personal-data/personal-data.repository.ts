import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ERASED } from '@crm/privacy';
import { CreditNoteEntity, PaymentEntity, ReceivableEntity } from '../receivables/receivable.entities';
import type { PersonRows, Scrub } from './personal-data.domain';

/** The records of an erased person: by the ids the customers service names, and by the contact we hold. */
export interface PersonRecords {
  contactId: string;
  orderIds: string[];
  receivableIds: string[];
}

/** The only SQL of the personal-data module: a person's receivables, payments and credit notes. */
@Injectable()
export class PersonalDataRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The person's rows, locked for the erasure's transaction. */
  async lockPerson(m: EntityManager, p: PersonRecords): Promise<PersonRows> {
    const receivables: { id: string; customerName: string }[] = await m.query(
      `SELECT id, customer_name AS "customerName" FROM receivables
        WHERE id = ANY($1::uuid[]) OR order_id = ANY($2::uuid[]) OR contact_id = $3 ORDER BY id FOR UPDATE`,
      [p.receivableIds, p.orderIds, p.contactId],
    );
    const ids = receivables.map((r) => r.id);
    const [payments, creditNotes] = await Promise.all([
      m.query('SELECT id, receivable_id AS "receivableId", reference FROM payments WHERE receivable_id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [ids]),
      m.query('SELECT id, receivable_id AS "receivableId", reason FROM credit_notes WHERE receivable_id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [ids]),
    ]);
    return { receivables, payments, creditNotes };
  }

  async scrub(m: EntityManager, s: Scrub): Promise<void> {
    // version stays: nothing a caller could act on changed, and no If-Match on a receivable goes stale.
    await m.query('UPDATE receivables SET customer_name = $2 WHERE id = ANY($1::uuid[])', [s.receivableIds, ERASED]);
    await m.query('UPDATE payments SET reference = NULL WHERE id = ANY($1::uuid[])', [s.paymentIds]);
    for (const c of s.creditNotes) await m.query('UPDATE credit_notes SET reason = $2 WHERE id = $1', [c.id, c.reason]);
  }

  /** Everything held about a contact: their receivables, oldest first, with payments and credit notes. */
  async ofContact(contactId: string) {
    const receivables = await this.dataSource.getRepository(ReceivableEntity).find({ where: { contactId }, order: { createdAt: 'ASC', id: 'ASC' } });
    const ids = receivables.map((r) => r.id);
    const [payments, creditNotes] = await Promise.all([
      this.dataSource
        .getRepository(PaymentEntity)
        .createQueryBuilder('p')
        .where('p.receivableId = ANY(:ids)', { ids })
        .orderBy('p.receivedAt', 'ASC')
        .addOrderBy('p.id', 'ASC')
        .getMany(),
      this.dataSource
        .getRepository(CreditNoteEntity)
        .createQueryBuilder('c')
        .where('c.receivableId = ANY(:ids)', { ids })
        .orderBy('c.createdAt', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .getMany(),
    ]);
    return { receivables, payments, creditNotes };
  }
}
