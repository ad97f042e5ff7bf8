import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsString, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { RANKING_METRICS, TeamParam, type RankingMetric } from '../reporting/reporting.dto';
import { COMMISSION_METHODS, type CommissionMethod } from './incentive.domain';

// Shapes here; bounds, contiguity and cents are the domain's rules (checkPlanTerms), reported the same way.
export class CommissionBandDto {
  @ApiProperty({ example: '0.8', description: 'Attainment (revenue ÷ quota, 1 = 100 %) where the band starts, inclusive; the first band starts at 0' })
  @IsString()
  from: string;

  @ApiProperty({ example: '1', nullable: true, type: String, description: "Where it ends, exclusive: the next band's from; null for the last (open) band" })
  @ValidateIf((_, v) => v !== null)
  @IsString({ message: 'to must be a decimal string or null' })
  to: string | null;

  @ApiProperty({ example: '0.05', description: 'Commission rate on revenue, 0 to 1' })
  @IsString()
  rate: string;
}

export class CommissionDto {
  @ApiProperty({
    enum: COMMISSION_METHODS,
    description: "marginal: each band's rate on the revenue between quota × from and quota × to; whole: the reached band's rate on all revenue",
  })
  @IsIn(COMMISSION_METHODS)
  method: CommissionMethod;

  @ApiProperty({ type: [CommissionBandDto], description: 'Contiguous, non-overlapping, from 0 up; only the last is open' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CommissionBandDto)
  bands: CommissionBandDto[];
}

export class BonusRuleDto {
  @ApiProperty({ enum: RANKING_METRICS, description: "The KPI the team's reps are ranked by (as GET /analytics/rankings ranks them)" })
  @IsIn(RANKING_METRICS)
  metric: RankingMetric;

  @ApiProperty({ example: 3, minimum: 1, maximum: 1000, description: 'Every rep ranked this or better earns the bonus; ties share a rank' })
  @IsInt()
  @Min(1)
  @Max(1000)
  top: number;

  @ApiProperty({ example: '500.00', description: 'Bonus in the plan currency, whole cents, above 0' })
  @IsString()
  amount: string;
}

export class PutIncentivePlanDto {
  @ApiProperty({ example: 'EUR', description: 'Revenue, quotas and bonuses in this currency' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency: string;

  @ApiProperty({ type: CommissionDto })
  @ValidateNested()
  @Type(() => CommissionDto)
  commission: CommissionDto;

  @ApiPropertyOptional({ type: [BonusRuleDto], default: [] })
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => BonusRuleDto)
  bonuses: BonusRuleDto[] = [];
}

export class IncentivePlanView {
  @ApiProperty({ example: '2026-Q3' }) period: string;
  @ApiProperty({ example: 'alpha' }) team: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ type: CommissionDto }) commission: CommissionDto;
  @ApiProperty({ type: [BonusRuleDto] }) bonuses: BonusRuleDto[];
  @ApiProperty({ description: 'Send it back as If-Match "<version>" to replace or delete the plan' }) version: number;
  @ApiProperty() updatedBy: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class IncentivePlanListView {
  @ApiProperty({ type: [IncentivePlanView], description: 'The plans of the period the caller may see, by team' }) rows: IncentivePlanView[];
}

export class EarnedBonusView extends BonusRuleDto {
  @ApiProperty({ nullable: true, type: Number, description: "The rep's rank in the team (null: no value, unranked)" }) rank: number | null;
  @ApiProperty({ nullable: true, type: Number }) value: number | null;
  @ApiProperty({ example: '500.00', description: 'amount when rank ≤ top, else 0.00' }) earned: string;
}

export class EarnedIncentiveView {
  @ApiProperty({ format: 'uuid' }) repId: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty() team: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ example: '12000.00', description: "The KPI scorecard's revenue (net bookings) of the period" }) revenue: string;
  @ApiProperty({ nullable: true, type: String }) quota: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'As the scorecard shows it (4 places); bands compare revenue with quota × edge exactly' })
  attainment: string | null;
  @ApiProperty({ nullable: true, type: CommissionBandDto }) band: CommissionBandDto | null;
  @ApiProperty({ example: '640.00', description: 'Exact, then rounded half up to the cent once' }) commission: string;
  @ApiProperty({ type: [EarnedBonusView] }) bonuses: EarnedBonusView[];
  @ApiProperty({ example: '500.00' }) bonus: string;
  @ApiProperty({ example: '1140.00', description: 'commission + bonus' }) total: string;
  @ApiProperty() planVersion: number;
}

export class IncentivesView {
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) asOf: string | null;
  @ApiProperty({ example: '2026-Q3' }) period: string;
  @ApiProperty({ type: [EarnedIncentiveView], description: 'Per rep the caller may see, under the plan of their team' }) rows: EarnedIncentiveView[];
}

export class IncentivesQueryDto {
  @ApiProperty({ example: '2026-Q3', description: 'A year (2026), quarter (2026-Q3) or month (2026-07)' })
  @Matches(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, { message: 'period must be a year (2026), a quarter (2026-Q3) or a month (2026-07)' })
  period: string;

  @TeamParam() team?: string;
}
