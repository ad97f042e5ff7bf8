import { Module, type DynamicModule } from '@nestjs/common';
import { AssignmentModule } from '../assignment/assignment.module';
import { IntakeController } from './intake.controller';
import { LeadImportService } from './lead-import.service';
import { LeadReadsRepository } from './lead-reads.repository';
import { LeadWorkflowService } from './lead-workflow.service';
import { LeadsConsumer } from './leads.consumer';
import { FollowUpsController, LeadsController } from './leads.controller';
import { LeadsRepository } from './leads.repository';
import { LeadsService } from './leads.service';
import { WEBFORM_SECRET, WebFormSignatureGuard } from './webform.guard';

@Module({})
export class LeadsModule {
  /** `webFormSecret`: HMAC key the website signs its form posts with; unset = the web-form intake refuses everything. */
  static forRoot(settings: { webFormSecret?: string }): DynamicModule {
    return {
      module: LeadsModule,
      imports: [AssignmentModule],
      controllers: [LeadsController, FollowUpsController, IntakeController, LeadsConsumer],
      providers: [
        LeadsRepository,
        LeadReadsRepository,
        LeadsService,
        LeadWorkflowService,
        LeadImportService,
        WebFormSignatureGuard,
        { provide: WEBFORM_SECRET, useValue: settings.webFormSecret || undefined },
      ],
    };
  }
}
