import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { PageQueryDto } from '@crm/http';
import { AccountView } from '../accounts/accounts.dto';
import { ContactDetailView } from '../contacts/contacts.dto';
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
  @ApiProperty({ format: 'uuid', description: 'the record merged away into the one of the path', example: '9a4e2b7c-1d3f-4e5a-8b6c-7d8e9f0a1b2c' })
  @IsUUID()
  mergedId: string;
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

/** What a merge did: the survivor of the path kept, the other record merged into it. */
export class MergeSummaryView {
  @ApiProperty({ format: 'uuid', description: 'undo it with POST /api/v1/merges/{mergeId}/undo' }) mergeId: string;
  @ApiProperty({ enum: ['account', 'contact'] }) kind: string;
  @ApiProperty({ format: 'uuid' }) survivorId: string;
  @ApiProperty({ format: 'uuid' }) mergedId: string;
  @ApiProperty() by: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class AccountMergeView extends MergeSummaryView {
  @ApiProperty({ type: AccountView }) survivor: AccountView;
}

export class ContactMergeView extends MergeSummaryView {
  @ApiProperty({ type: ContactDetailView }) survivor: ContactDetailView;
}

export class UndoneMergeView extends MergeSummaryView {
  @ApiProperty() undoneBy: string;
  @ApiProperty({ format: 'date-time' }) undoneAt: string;
}

export class AddedMembershipView {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty() since: string;
}

export class MovedMembershipView {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ description: '`since` of the membership the merge ended' }) since: string;
  @ApiProperty({ type: AddedMembershipView, nullable: true, description: 'the membership the merge added in its place' })
  added: AddedMembershipView | null;
}

/** A merge as recorded, with what its undo restores. */
export class MergeRecordView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['account', 'contact'] }) kind: string;
  @ApiProperty({ format: 'uuid' }) survivorId: string;
  @ApiProperty({ format: 'uuid' }) mergedId: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "the survivor's data before the merge" }) survivorBefore: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "the merged record's data" }) mergedData: Record<string, unknown>;
  @ApiProperty({ type: [MovedMembershipView] }) moved: MovedMembershipView[];
  @ApiProperty() by: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: String, nullable: true }) undoneBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) undoneAt: string | null;
}
