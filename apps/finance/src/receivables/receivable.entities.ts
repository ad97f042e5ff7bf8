import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ReceivableStatus } from './receivables.domain';

// Money columns are numeric(19,4) and read back as strings: never a JS number.

@Entity('receivables')
export class ReceivableEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'order_id' }) orderId: string;
  @Column('uuid', { name: 'rep_id' }) repId: string;
  @Column('varchar', { nullable: true }) team: string | null;
  @Column('varchar', { name: 'customer_name' }) customerName: string;
  @Column('uuid', { name: 'account_id', nullable: true }) accountId: string | null;
  @Column('uuid', { name: 'contact_id', nullable: true }) contactId: string | null;
  @Column('numeric', { precision: 19, scale: 4 }) amount: string;
  @Column('numeric', { precision: 19, scale: 4 }) paid: string;
  @Column('char', { length: 3 }) currency: string;
  @Column('varchar', { name: 'payment_terms' }) paymentTerms: string;
  @Column('date', { name: 'due_date' }) dueDate: string;
  @Column('varchar') status: ReceivableStatus;
  @Column('timestamptz', { name: 'overdue_alerted_at', nullable: true }) overdueAlertedAt: Date | null;
  @Column('int') version: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('payments')
export class PaymentEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'receivable_id' }) receivableId: string;
  @Column('numeric', { precision: 19, scale: 4 }) amount: string;
  @Column('char', { length: 3 }) currency: string;
  @Column('varchar', { nullable: true }) method: string | null;
  @Column('varchar', { nullable: true }) reference: string | null;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
  @Column('varchar', { name: 'created_by' }) createdBy: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

@Entity('credit_notes')
export class CreditNoteEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'receivable_id' }) receivableId: string;
  @Column('numeric', { precision: 19, scale: 4 }) amount: string;
  @Column('varchar') reason: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

export const FINANCE_ENTITIES = [ReceivableEntity, PaymentEntity, CreditNoteEntity];
