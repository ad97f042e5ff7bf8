import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { SAVED_VIEW_LISTS, type SavedViewList } from './saved-view.domain';

export class SavedViewListQuery {
  @ApiProperty({ enum: SAVED_VIEW_LISTS, description: 'the list the views belong to' }) @IsIn(SAVED_VIEW_LISTS) list: SavedViewList;
}

export class CreateSavedViewDto {
  @ApiProperty({ enum: SAVED_VIEW_LISTS }) @IsIn(SAVED_VIEW_LISTS) list: SavedViewList;
  @ApiProperty({ example: 'Overdue east leads', maxLength: 80, description: 'unique among your views of this list' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  name: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: 200 },
    example: { status: 'assigned', region: 'east', overdue: 'true', sort: '-score' },
    description: "the list's query parameters (filters, search, sort), at most 20",
  })
  @IsObject()
  query: Record<string, string>;
  @ApiPropertyOptional({ default: false, description: 'visible to your team (read-only for them)' }) @IsOptional() @IsBoolean() shared?: boolean;
}

/** A saved view: a named set of a list's query parameters. */
export class SavedViewView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'who saved it (JWT sub)' }) ownerId: string;
  @ApiProperty({ type: String, nullable: true, description: "the owner's team when saved" }) team: string | null;
  @ApiProperty({ enum: SAVED_VIEW_LISTS }) list: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) query: Record<string, string>;
  @ApiProperty() shared: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
}

export class SavedViewListView {
  @ApiProperty({ type: [SavedViewView], description: 'yours and your team’s shared ones, by name' }) items: SavedViewView[];
}
