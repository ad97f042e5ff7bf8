import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'catalogue_items' })
export class CatalogueItemEntity {
  @PrimaryColumn('text') sku: string;
  @Column('text') name: string;
  @Column({ name: 'product_line', type: 'text', nullable: true }) productLine: string | null;
  @Column('boolean') active: boolean;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'reps' })
export class RepEntity {
  @PrimaryColumn({ name: 'rep_id', type: 'uuid' }) repId: string;
  @Column('text') name: string;
  @Column({ type: 'text', nullable: true }) team: string | null;
  @Column('boolean') active: boolean;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
