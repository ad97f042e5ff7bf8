import { Module } from '@nestjs/common';
import { AssignmentService } from './assignment.service';
import { RulesController } from './rules.controller';
import { RulesService } from './rules.service';
import { SlaReassignmentJob } from './sla.job';

@Module({ controllers: [RulesController], providers: [AssignmentService, RulesService, SlaReassignmentJob], exports: [AssignmentService] })
export class AssignmentModule {}
