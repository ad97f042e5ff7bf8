import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, Max, Min } from 'class-validator';

/** Relative weights of the factors; they are normalised to 100 points. */
export class ScoringWeightsDto {
  @ApiProperty({ example: 20, minimum: 0, maximum: 1000 }) @IsNumber() @Min(0) @Max(1000) companySize: number;
  @ApiProperty({ example: 20, minimum: 0, maximum: 1000 }) @IsNumber() @Min(0) @Max(1000) purchaseHistory: number;
  @ApiProperty({ example: 20, minimum: 0, maximum: 1000 }) @IsNumber() @Min(0) @Max(1000) urgency: number;
  @ApiProperty({ example: 25, minimum: 0, maximum: 1000 }) @IsNumber() @Min(0) @Max(1000) engagement: number;
  @ApiProperty({ example: 15, minimum: 0, maximum: 1000 }) @IsNumber() @Min(0) @Max(1000) amount: number;
}

/** One number per scoring factor. */
export class FactorValuesView {
  @ApiProperty() companySize: number;
  @ApiProperty() purchaseHistory: number;
  @ApiProperty() urgency: number;
  @ApiProperty() engagement: number;
  @ApiProperty() amount: number;
}

export class LearnedModelView {
  @ApiProperty() intercept: number;
  @ApiProperty({ type: FactorValuesView }) coefficients: FactorValuesView;
  @ApiProperty({ type: FactorValuesView, description: 'feature means used to standardise' }) means: FactorValuesView;
  @ApiProperty({ type: FactorValuesView, description: 'feature standard deviations used to standardise' }) stds: FactorValuesView;
}

export class FactorImportanceView {
  @ApiProperty() factor: string;
  @ApiProperty() coefficient: number;
  @ApiProperty() importance: number;
}

/** A scoring model version: weights, or a learned logistic regression with its held-out accuracy. */
export class ScoringModelView {
  @ApiProperty({ type: 'integer' }) version: number;
  @ApiProperty({ enum: ['weights', 'learned'] }) kind: 'weights' | 'learned';
  @ApiProperty({ type: FactorValuesView, nullable: true, description: 'kind=weights' }) weights: FactorValuesView | null;
  @ApiProperty({ type: LearnedModelView, nullable: true, description: 'kind=learned' }) model: LearnedModelView | null;
  @ApiProperty({ type: [FactorImportanceView], nullable: true, description: 'kind=learned' }) importances: FactorImportanceView[] | null;
  @ApiProperty({ type: 'integer', nullable: true }) trainingSize: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) holdoutSize: number | null;
  @ApiProperty({ type: Number, nullable: true }) holdoutAccuracy: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) trainedAt: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty() createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class NewWeightsView extends ScoringModelView {
  @ApiProperty({ type: 'integer', description: 'open opportunities re-scored with the new version' }) rescored: number;
}

export class TrainingResultView {
  @ApiProperty({ type: ScoringModelView, description: 'stored either way' }) model: ScoringModelView;
  @ApiProperty({ description: 'made active: enough history and a useful held-out accuracy' }) activated: boolean;
  @ApiProperty({ type: 'integer', description: 'open opportunities re-scored (0 when not activated)' }) rescored: number;
}
