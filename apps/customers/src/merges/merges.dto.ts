import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { PageQueryDto } from '@crm/http';
import { SIDES, type Side } from './merge.domain';

const Choice = () => (target: object, key: string) => {
  ApiPropertyOptional({
    enum: SIDES,
    description: 'whose value the survivor keeps; default: the survivor’s, or the merged record’s where the survivor has none',
  })(target, key);
  IsOptional()(target, key);
  IsIn(SIDES)(target, key);
};

export class AccountMergeFieldsDto {
  @Choice() name?: Side;
  @Choice() industry?: Side;
  @Choice() size?: Side;
  @Choice() region?: Side;
  @Choice() taxId?: Side;
  @Choice() billingAddress?: Side;
  @Choice() shippingAddress?: Side;
  /** Owner rep and team together. */
  @Choice() owner?: Side;
  @Choice() currency?: Side;
}

export class ContactMergeFieldsDto {
  @Choice() name?: Side;
  @Choice() title?: Side;
  @Choice() preferredChannel?: Side;
  @Choice() owner?: Side;
}

export class MergeDto {
  @ApiProperty({ format: 'uuid', description: 'the record merged away into the one of the path' }) @IsUUID() mergedId: string;
}

export class MergeAccountsDto extends MergeDto {
  @ApiPropertyOptional({ type: AccountMergeFieldsDto, description: 'per field, whose value the survivor keeps; domains are always the union' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AccountMergeFieldsDto)
  fields?: AccountMergeFieldsDto;
}

export class MergeContactsDto extends MergeDto {
  @ApiPropertyOptional({
    type: ContactMergeFieldsDto,
    description: 'per field, whose value the survivor keeps; emails, phones and accounts are always the union',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContactMergeFieldsDto)
  fields?: ContactMergeFieldsDto;
}

export class ListMergesQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'merges whose survivor or merged record this is' }) @IsOptional() @IsUUID() recordId?: string;
  @ApiPropertyOptional({ enum: ['account', 'contact'] }) @IsOptional() @IsIn(['account', 'contact']) kind?: 'account' | 'contact';
}
