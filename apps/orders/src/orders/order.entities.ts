import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  ManyToOne,
  JoinColumn,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { amountColumn as amount } from '@crm/money';
import type { Address } from '../customers/account.domain';
import type { CustomerInfo, ErpRefusal, HoldKind, TrackingEntry } from './order.domain';
import type { OrderStatus, PaymentStatus } from './order-workflow.domain';

@Entity({ name: 'orders' })
export class OrderEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') status: OrderStatus;
  @Column({ name: 'opportunity_id', type: 'uuid', nullable: true }) opportunityId: string | null;
  @Column({ name: 'rep_id', type: 'uuid' }) repId: string;
  @Column({ type: 'text', nullable: true }) team: string | null;
  @Column('jsonb') customer: CustomerInfo;
  @Column({ name: 'account_id', type: 'uuid', nullable: true }) accountId: string | null;
  @Column({ name: 'contact_id', type: 'uuid', nullable: true }) contactId: string | null;
  @Column({ name: 'billing_address', type: 'jsonb', nullable: true }) billingAddress: Address | null;
  @Column({ name: 'shipping_address', type: 'jsonb', nullable: true }) shippingAddress: Address | null;
  @Column({ type: 'text', nullable: true }) region: string | null;
  @Column('char', { length: 3 }) currency: string;
  @Column({ type: 'numeric', precision: 19, scale: 4, transformer: amount }) total: string;
  @Column({ name: 'payment_terms', type: 'text' }) paymentTerms: string;
  @Column({ name: 'promised_delivery_date', type: 'date', nullable: true }) promisedDeliveryDate: string | null;
  @Column({ name: 'auto_confirmed', type: 'boolean', default: false }) autoConfirmed: boolean;
  @Column({ name: 'payment_status', type: 'text', default: 'unpaid' }) paymentStatus: PaymentStatus;
  @Column({ type: 'numeric', precision: 19, scale: 4, nullable: true, transformer: amount }) outstanding: string | null;
  @Column({ name: 'hold_reason', type: 'text', nullable: true }) holdReason: string | null;
  /** Why it is on hold: a stock shortage, or the ERP refused a step of the saga (then `erpRefusal` says which and why). */
  @Column({ name: 'hold_kind', type: 'text', nullable: true }) holdKind: HoldKind | null;
  @Column({ name: 'erp_refusal', type: 'jsonb', nullable: true }) erpRefusal: ErpRefusal | null;
  @Column({ name: 'production_percent', type: 'smallint', nullable: true }) productionPercent: number | null;
  @Column({ type: 'text', nullable: true }) carrier: string | null;
  @Column({ name: 'tracking_number', type: 'text', nullable: true }) trackingNumber: string | null;
  @Column({ name: 'cancel_reason', type: 'text', nullable: true }) cancelReason: string | null;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @OneToMany(() => OrderLineEntity, (line) => line.order, { cascade: ['insert'] }) lines: OrderLineEntity[];
}

@Entity({ name: 'order_lines' })
export class OrderLineEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'order_id', type: 'uuid' }) orderId: string;
  @ManyToOne(() => OrderEntity, (order) => order.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order?: OrderEntity;
  @Column('smallint') position: number;
  @Column('text') sku: string;
  @Column({ name: 'product_name', type: 'text' }) productName: string;
  @Column('int') quantity: number;
  @Column({ name: 'unit_price', type: 'numeric', precision: 19, scale: 4, transformer: amount }) unitPrice: string;
  @Column({ type: 'numeric', precision: 19, scale: 4, transformer: amount }) discount: string;
  @Column({ name: 'line_total', type: 'numeric', precision: 19, scale: 4, transformer: amount }) lineTotal: string;
}

@Entity({ name: 'order_status_history' })
export class OrderStatusHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'order_id', type: 'uuid' }) orderId: string;
  @Column({ name: 'from_status', type: 'text', nullable: true }) fromStatus: OrderStatus | null;
  @Column({ name: 'to_status', type: 'text' }) toStatus: OrderStatus;
  @Column('text') by: string;
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column({ type: 'timestamptz' }) at: Date;
}

export type TrackingKind = TrackingEntry['kind'];

@Entity({ name: 'order_tracking' })
export class OrderTrackingEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'order_id', type: 'uuid' }) orderId: string;
  @Column('text') kind: TrackingKind;
  @Column({ type: 'smallint', nullable: true }) percent: number | null;
  @Column({ type: 'text', nullable: true }) carrier: string | null;
  @Column({ name: 'tracking_number', type: 'text', nullable: true }) trackingNumber: string | null;
  @Column({ type: 'text', nullable: true }) location: string | null;
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column('text') by: string;
  @Column({ type: 'timestamptz' }) at: Date;
}
