import { ApiProperty } from '@nestjs/swagger';
import { PersonalDataSubjectView } from '@crm/http';

class RecordCopyView {
  @ApiProperty({ enum: ['lead', 'opportunity', 'order', 'receivable'] }) recordKind: string;
  @ApiProperty() recordId: string;
  @ApiProperty({ nullable: true, type: String }) ownerId: string | null;
  @ApiProperty({ nullable: true, type: String }) team: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'How notifications name the record (company · person)' }) label: string | null;
  @ApiProperty({ type: [String] }) productLines: string[];
  @ApiProperty({ nullable: true, type: String }) orderId: string | null;
  @ApiProperty({ nullable: true, type: String }) contactId: string | null;
  @ApiProperty({ nullable: true, type: String }) leadId: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

class NotificationCopyView {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty() recipientId: string;
  @ApiProperty() type: string;
  @ApiProperty() audience: string;
  @ApiProperty() recordKind: string;
  @ApiProperty() recordId: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the inbox, emails, digests and webhooks render' })
  params: Record<string, unknown>;
  @ApiProperty() critical: boolean;
  @ApiProperty() inApp: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) archivedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) snoozedUntil: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) escalatesAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) escalatedAt: string | null;
}

class ReminderCopyView {
  @ApiProperty() leadId: string;
  @ApiProperty() followUpId: string;
  @ApiProperty() repId: string;
  @ApiProperty({ nullable: true, type: String }) nextAction: string | null;
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiProperty({ format: 'date-time' }) followedUpAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) dueSentAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) overdueSentAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt: string | null;
}

class NotificationsRecordsView {
  @ApiProperty({ type: [RecordCopyView], description: "The copies of the person's leads, opportunities, orders and receivables" })
  records: RecordCopyView[];
  @ApiProperty({ type: [NotificationCopyView], description: 'Every notification about those records, to any recipient' })
  notifications: NotificationCopyView[];
  @ApiProperty({ type: [ReminderCopyView], description: "The next actions of the person's leads" }) reminders: ReminderCopyView[];
}

export class NotificationsPersonalDataView {
  @ApiProperty({ example: 'notifications' }) service: 'notifications';
  @ApiProperty({ type: PersonalDataSubjectView }) subject: PersonalDataSubjectView;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: NotificationsRecordsView }) records: NotificationsRecordsView;
}
