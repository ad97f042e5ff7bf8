import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, ValidateNested } from 'class-validator';
import { CHANNELS, NOTIFICATION_TYPE_NAMES, type Channel, type NotificationType } from '../catalogue/catalogue';

export class PreferenceItemDto {
  @ApiProperty({ enum: NOTIFICATION_TYPE_NAMES }) @IsIn(NOTIFICATION_TYPE_NAMES) type: NotificationType;
  @ApiProperty({ enum: CHANNELS }) @IsIn(CHANNELS) channel: Channel;
  @ApiProperty() @IsBoolean() enabled: boolean;
}

export class PutPreferencesDto {
  @ApiProperty({ type: [PreferenceItemDto], description: 'the cells to set; cells left out keep their value' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(NOTIFICATION_TYPE_NAMES.length * CHANNELS.length)
  @ValidateNested({ each: true })
  @Type(() => PreferenceItemDto)
  items: PreferenceItemDto[];
}

export class PreferenceCellView {
  @ApiProperty({ enum: NOTIFICATION_TYPE_NAMES }) type: NotificationType;
  @ApiProperty({ enum: CHANNELS }) channel: Channel;
  @ApiProperty({ description: 'a critical type cannot be turned off: always enabled' }) critical: boolean;
  @ApiProperty() enabled: boolean;
}

export class PreferencesView {
  @ApiProperty({ type: [PreferenceCellView], description: 'every type × channel' }) items: PreferenceCellView[];
}
