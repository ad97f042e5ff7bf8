import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Feedback, FeedbackCategory, FeedbackRequest } from './feedback.domain';

@Entity({ name: 'feedback' })
export class FeedbackEntity implements Feedback {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'order_id', type: 'uuid' }) orderId: string;
  @Column('smallint') rating: number;
  @Column('text') category: FeedbackCategory;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @Column('boolean') complaint: boolean;
  @Column('text') by: string;
  @Column({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
}

@Entity({ name: 'feedback_requests' })
export class FeedbackRequestEntity implements FeedbackRequest {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' }) orderId: string;
  @Column('text') status: 'open' | 'answered';
  @Column({ name: 'opened_at', type: 'timestamptz' }) openedAt: Date;
  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true }) answeredAt: Date | null;
}
