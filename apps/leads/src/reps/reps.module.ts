import { Module } from '@nestjs/common';
import { AssignmentModule } from '../assignment/assignment.module';
import { RepsController } from './reps.controller';
import { RepsRepository } from './reps.repository';
import { RepsService } from './reps.service';

@Module({ imports: [AssignmentModule], controllers: [RepsController], providers: [RepsRepository, RepsService], exports: [RepsService] })
export class RepsModule {}
