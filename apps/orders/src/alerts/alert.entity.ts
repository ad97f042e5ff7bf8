import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { AlertAudience, AlertKind } from './alert.domain';

@Entity({ name: 'alerts' })
export class AlertEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'order_id', type: 'uuid' }) orderId: string;
  @Column({ name: 'rep_id', type: 'uuid' }) repId: string;
  @Column({ type: 'text', nullable: true }) team: string | null;
  @Column('text') kind: AlertKind;
  @Column('text') audience: AlertAudience;
  @Column({ name: 'dedupe_key', type: 'text', select: false }) dedupeKey: string;
  @Column('text') message: string;
  @Column('jsonb') details: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true }) acknowledgedAt: Date | null;
  @Column({ name: 'acknowledged_by', type: 'text', nullable: true }) acknowledgedBy: string | null;
}
