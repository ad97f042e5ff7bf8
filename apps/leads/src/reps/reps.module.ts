import { Module } from '@nestjs/common';
import { AssignmentModule } from '../assignment/assignment.module';
import { RepsController } from './reps.controller';
import { RepsService } from './reps.service';

@Module({ imports: [AssignmentModule], controllers: [RepsController], providers: [RepsService] })
export class RepsModule {}
