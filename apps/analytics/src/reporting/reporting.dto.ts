import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const CURRENCY = /^[A-Z]{3}$/;
const PERIOD = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/;
// Every date, week, month and quarter of the analytics API is one of the business time zone (ADR 0012).
const ZONE = 'business time zone, CRM_TIMEZONE, default UTC';
const PERIOD_DESCRIPTION = `A year (2026), quarter (2026-Q3) or month (2026-07) of the ${ZONE}`;

const DateParam =
  (description: string): PropertyDecorator =>
  (target, key) => {
    ApiPropertyOptional({ format: 'date', description })(target, key);
    IsOptional()(target, key);
    Matches(DATE, { message: `${String(key)} must be a date YYYY-MM-DD` })(target, key);
    IsISO8601({ strict: true }, { message: `${String(key)} must be a valid date` })(target, key);
  };
const CurrencyParam =
  (required: boolean): PropertyDecorator =>
  (target, key) => {
    (required ? ApiProperty : ApiPropertyOptional)({ example: 'EUR', description: 'ISO 4217 code; amounts are never summed across currencies' })(target, key);
    if (!required) IsOptional()(target, key);
    Matches(CURRENCY, { message: 'currency must be an ISO 4217 code' })(target, key);
  };

/** The dashboards' team filter: a manager may name only their own team, an admin any. */
export const TeamParam = (): PropertyDecorator => (target, key) => {
  ApiPropertyOptional({
    example: 'east',
    description: "Only this team's figures (as the rep directory names it). A manager may name only their own team (403 otherwise); an admin any",
  })(target, key);
  IsOptional()(target, key);
  IsString()(target, key);
  MaxLength(100, { message: 'team must be a team name of 1 to 100 characters' })(target, key);
  // Not blank, no control characters (a NUL would reach PostgreSQL as an invalid string).
  Matches(/^(?=.*\S)[^\p{Cc}]+$/u, { message: 'team must be a team name of 1 to 100 characters' })(target, key);
};

export const TIME_GROUPS = ['day', 'week', 'month', 'quarter'] as const;
export const DIMENSION_GROUPS = ['region', 'product', 'source', 'rep', 'team'] as const;
export type TimeGroup = (typeof TIME_GROUPS)[number];
export type DimensionGroup = (typeof DIMENSION_GROUPS)[number];

export class DateRangeQueryDto {
  @DateParam(`First day, inclusive (${ZONE}). Default: the first day of the month 11 months ago`) from?: string;
  @DateParam(`Last day, inclusive (${ZONE}). Default: today there`) to?: string;
  @TeamParam() team?: string;
}

export class SalesQueryDto extends DateRangeQueryDto {
  @ApiPropertyOptional({ enum: [...TIME_GROUPS, ...DIMENSION_GROUPS], default: 'month' })
  @IsOptional()
  @IsIn([...TIME_GROUPS, ...DIMENSION_GROUPS])
  groupBy?: TimeGroup | DimensionGroup;

  @CurrencyParam(false) currency?: string;
}

export class FunnelQueryDto extends DateRangeQueryDto {
  @DateParam(`Answer as the funnel stood at the end of this day (${ZONE}): stages reached later are not counted`) asOf?: string;

  @ApiPropertyOptional({ enum: ['none', ...DIMENSION_GROUPS], default: 'none', description: 'One series per value of this dimension' })
  @IsOptional()
  @IsIn(['none', ...DIMENSION_GROUPS])
  groupBy?: 'none' | DimensionGroup;
}

export class PipelineQueryDto {
  @DateParam(`Answer from the stage history as the pipeline stood at the end of this day (midnight in the ${ZONE})`) asOf?: string;
  @CurrencyParam(false) currency?: string;

  @ApiPropertyOptional({ enum: ['stage', 'category', ...DIMENSION_GROUPS], default: 'stage' })
  @IsOptional()
  @IsIn(['stage', 'category', ...DIMENSION_GROUPS])
  groupBy?: 'stage' | 'category' | DimensionGroup;
}

export class ForecastQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 12, default: 3, description: 'Months ahead' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(12)
  horizon: number = 3;

  @CurrencyParam(true) currency: string;

  @ApiPropertyOptional({
    example: '2025-12',
    description: `Last month of history; the forecast starts the month after. Months are those of the ${ZONE}. Default: last month`,
  })
  @IsOptional()
  @Matches(MONTH, { message: 'historyEnd must be a month YYYY-MM' })
  historyEnd?: string;

  @TeamParam() team?: string;
}

export class AccuracyQueryDto {
  @CurrencyParam(true) currency: string;
}

export class KpiQueryDto {
  @ApiProperty({ example: '2026-Q3', description: PERIOD_DESCRIPTION })
  @Matches(PERIOD, { message: 'period must be a year (2026), a quarter (2026-Q3) or a month (2026-07)' })
  period: string;

  @CurrencyParam(true) currency: string;

  @ApiPropertyOptional({ enum: ['rep', 'team'], default: 'rep' })
  @IsOptional()
  @IsIn(['rep', 'team'])
  by?: 'rep' | 'team';

  @TeamParam() team?: string;
}

export const RANKING_METRICS = ['revenue', 'growth', 'attainment', 'winRate', 'leadConversion', 'satisfaction', 'responseTime'] as const;
export type RankingMetric = (typeof RANKING_METRICS)[number];

export class RankingQueryDto extends KpiQueryDto {
  @ApiPropertyOptional({ enum: RANKING_METRICS, default: 'revenue', description: 'responseTime ranks the fastest first, the others the highest' })
  @IsOptional()
  @IsIn(RANKING_METRICS)
  metric?: RankingMetric;
}

export class RepReportQueryDto {
  @ApiProperty({ example: '2026-Q3', description: PERIOD_DESCRIPTION })
  @Matches(PERIOD, { message: 'period must be a year (2026), a quarter (2026-Q3) or a month (2026-07)' })
  period: string;

  @CurrencyParam(true) currency: string;
}

// ---------------------------------------------------------------- responses (documented for /openapi.json)

export class PointView {
  @ApiProperty({ description: `Period start (YYYY-MM-DD, a day of the ${ZONE}; weeks start on Monday), stage or dimension value` }) x: string;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }], description: 'Money as a decimal string, counts as numbers' }) y: string | number;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Funnel: conversion from the previous stage (0-1, 4 places)' }) rate?: string | null;
}

export class SeriesView {
  @ApiProperty({ example: 'confirmed EUR' }) label: string;
  @ApiProperty({ example: 'confirmed' }) measure: string;
  @ApiProperty({ nullable: true, type: String, example: 'EUR' }) currency: string | null;
  @ApiProperty({ type: [PointView] }) points: PointView[];
}

export class SeriesResponse {
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Time of the last event applied to the read model' }) asOf: string | null;
  @ApiProperty({ type: [SeriesView] }) series: SeriesView[];
}

export class RowsResponse {
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) asOf: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) rows: Record<string, unknown>[];
}

export class PeriodView {
  @ApiProperty({ example: '2026-Q3', description: 'as given: a year, quarter or month' }) label: string;
  @ApiProperty({ enum: ['month', 'quarter', 'year'] }) kind: string;
  @ApiProperty({ example: '2026-07-01', description: `first day (inclusive), of the ${ZONE}` }) start: string;
  @ApiProperty({ example: '2026-10-01', description: 'first day after (exclusive)' }) end: string;
  @ApiProperty({ example: '2026-Q2' }) previous: string;
}
