import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

@Entity({ name: 'reps' })
export class RepEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') email: string;
  @Column({ type: 'text', nullable: true }) team: string | null;
  @Column({ name: 'manager_id', type: 'uuid', nullable: true }) managerId: string | null;
  @Column({ type: 'text', array: true }) regions: string[];
  @Column({ name: 'product_lines', type: 'text', array: true }) productLines: string[];
  @Column('int') capacity: number;
  @Column('boolean') active: boolean;
  @Column('boolean') away: boolean;
  @Column({ name: 'open_leads', type: 'int' }) openLeads: number;
  @Column({ name: 'last_assigned_at', type: 'timestamptz', nullable: true }) lastAssignedAt: Date | null;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
