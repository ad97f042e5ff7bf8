import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ItemEntity } from '../items/item.entity';
import type { MovementReason } from './stock-level.domain';

export { MOVEMENT_REASONS, type MovementReason } from './stock-level.domain';

@Entity('stock_levels')
export class StockLevelEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sku: string;

  @PrimaryColumn({ name: 'warehouse_id', type: 'varchar', length: 64 })
  warehouseId: string;

  @Column({ name: 'on_hand', type: 'integer' })
  onHand: number;

  /** Set when a stock.low went out for this level; cleared once it is above the reorder point again. */
  @Column({ name: 'low_alerted', type: 'boolean' })
  lowAlerted: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @ManyToOne(() => ItemEntity)
  @JoinColumn({ name: 'sku' })
  item?: ItemEntity;
}

@Entity('stock_movements')
export class StockMovementEntity {
  // bigint comes back from pg as a string, which keeps ids above 2^53 exact.
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ name: 'warehouse_id', type: 'varchar', length: 64 })
  warehouseId: string;

  @Column({ type: 'integer' })
  delta: number;

  @Column({ type: 'text' })
  reason: MovementReason;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId: string | null;

  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'by', type: 'varchar', length: 128 })
  by: string;
}

@Entity('order_allocations')
export class OrderAllocationEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @Column({ name: 'warehouse_id', type: 'varchar', length: 64 })
  warehouseId: string;

  @Column({ type: 'jsonb' })
  lines: { sku: string; quantity: number }[];

  @Column({ type: 'text' })
  status: 'deducted' | 'released' | 'compensated';

  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
