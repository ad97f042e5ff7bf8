import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Address } from './account.domain';

@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { array: true }) domains: string[];
  @Column({ type: 'text', nullable: true }) industry: string | null;
  @Column({ type: 'text', nullable: true }) size: string | null;
  @Column({ type: 'text', nullable: true }) region: string | null;
  @Column({ name: 'tax_id', type: 'text', nullable: true }) taxId: string | null;
  @Column({ name: 'billing_address', type: 'jsonb', nullable: true }) billingAddress: Address | null;
  @Column({ name: 'shipping_address', type: 'jsonb', nullable: true }) shippingAddress: Address | null;
  @Column({ type: 'char', length: 3, nullable: true }) currency: string | null;
  @Column({ name: 'owner_rep_id', type: 'uuid', nullable: true }) ownerRepId: string | null;
  @Column({ type: 'text', nullable: true }) team: string | null;
  /** Set when the account was merged into another: GET still answers it so a stale link can follow. */
  @Column({ name: 'merged_into', type: 'uuid', nullable: true }) mergedInto: string | null;
  @Column({ name: 'merged_at', type: 'timestamptz', nullable: true }) mergedAt: Date | null;
  @Column({ name: 'search_text', type: 'text', select: false }) searchText: string;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
