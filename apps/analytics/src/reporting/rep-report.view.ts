import { ApiProperty } from '@nestjs/swagger';
import { EarnedIncentiveView } from '../incentives/incentives.dto';
import { PeriodView, SeriesView } from './reporting.dto';

/** One rep's page: KPIs, ranks among the reps the caller sees, monthly revenue and the incentive earned. */
export class RepReportView {
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Time of the last event applied to the read model' }) asOf: string | null;
  @ApiProperty({ type: PeriodView }) period: PeriodView;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ format: 'uuid' }) repId: string;
  @ApiProperty({ nullable: true, type: String, example: '王芳' }) name: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'east' }) team: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: "the rep's row of GET /analytics/kpis; null without activity" })
  kpis: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer', nullable: true }, description: 'rank per ranking metric (null: unranked)' })
  ranks: Record<string, number | null>;
  @ApiProperty({ type: 'integer', description: 'how many reps were ranked' }) rankedAmong: number;
  @ApiProperty({ type: EarnedIncentiveView, nullable: true, description: "under the plan of the rep's team, in its currency; null without a plan" })
  incentive: EarnedIncentiveView | null;
  @ApiProperty({ type: [SeriesView], description: 'monthly revenue' }) series: SeriesView[];
}
