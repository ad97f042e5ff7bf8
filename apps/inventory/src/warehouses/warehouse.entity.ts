import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('warehouses')
export class WarehouseEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Lower serves first: an order goes to the first warehouse by priority that covers all its lines. */
  @Column({ type: 'integer' })
  priority: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
