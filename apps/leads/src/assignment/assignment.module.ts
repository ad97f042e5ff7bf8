import { Module } from '@nestjs/common';
import { AssignmentRepository } from './assignment.repository';
import { AssignmentService } from './assignment.service';
import { RulesController } from './rules.controller';
import { RulesRepository } from './rules.repository';
import { RulesService } from './rules.service';
import { SlaReassignmentJob } from './sla.job';

@Module({
  controllers: [RulesController],
  providers: [AssignmentRepository, AssignmentService, RulesRepository, RulesService, SlaReassignmentJob],
  exports: [AssignmentService],
})
export class AssignmentModule {}
