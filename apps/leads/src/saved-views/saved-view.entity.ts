import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'saved_views' })
export class SavedViewEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'owner_id', type: 'text' }) ownerId: string;
  @Column({ type: 'text', nullable: true }) team: string | null;
  @Column('text') list: string;
  @Column('text') name: string;
  @Column('jsonb') query: Record<string, string>;
  @Column('boolean') shared: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
