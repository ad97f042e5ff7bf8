import { Module, type DynamicModule } from '@nestjs/common';
import { AssignmentModule } from '../assignment/assignment.module';
import { IntakeController } from './intake.controller';
import { LeadsConsumer } from './leads.consumer';
import { FollowUpsController, LeadsController } from './leads.controller';
import { LeadsService } from './leads.service';
import { WEBFORM_SECRET, WebFormSignatureGuard } from './webform.guard';

export interface LeadsSettings {
  /** HMAC key the website signs its form posts with; unset = the web-form intake refuses everything. */
  webFormSecret?: string;
}

@Module({})
export class LeadsModule {
  static forRoot(settings: LeadsSettings): DynamicModule {
    return {
      module: LeadsModule,
      imports: [AssignmentModule],
      controllers: [LeadsController, FollowUpsController, IntakeController, LeadsConsumer],
      providers: [LeadsService, WebFormSignatureGuard, { provide: WEBFORM_SECRET, useValue: settings.webFormSecret || undefined }],
    };
  }
}
