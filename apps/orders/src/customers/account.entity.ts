import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Address } from './account.domain';

/** The copy of a customers-service account: enough for an order's default addresses. */
@Entity({ name: 'accounts' })
export class AccountCopyEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column({ name: 'billing_address', type: 'jsonb', nullable: true }) billingAddress: Address | null;
  @Column({ name: 'shipping_address', type: 'jsonb', nullable: true }) shippingAddress: Address | null;
  @Column('int') version: number;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
