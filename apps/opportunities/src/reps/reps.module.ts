import { Module } from '@nestjs/common';
import { RepsCopyConsumer } from './reps.consumer';
import { RepsCopyRepository } from './reps.repository';
import { RepsCopyService } from './reps.service';

/** The reps copy (rep.upserted), which the hand-over checks a target against. */
@Module({ controllers: [RepsCopyConsumer], providers: [RepsCopyRepository, RepsCopyService], exports: [RepsCopyService] })
export class RepsCopyModule {}
