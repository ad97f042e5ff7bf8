import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsISO31661Alpha2,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CompanySize } from '@crm/contracts';
import { PageQueryDto, SearchQuery } from '@crm/http';

const DOMAIN = /^(https?:\/\/)?([a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?\.)+[a-z\u00a1-\uffff]{2,63}\/?$/i;
const Trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

export class AddressDto {
  @ApiProperty({ example: '88 Jianguo Road' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(200) line1: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @ApiProperty({ example: 'Beijing' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(100) city: string;
  @ApiPropertyOptional({ example: 'Chaoyang' }) @IsOptional() @IsString() @MaxLength(100) region?: string;
  @ApiPropertyOptional({ example: '100022' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9 -]{2,12}$/, { message: '$property must be a postal code' })
  postalCode?: string;
  @ApiProperty({ example: 'CN', description: 'ISO 3166-1 alpha-2' }) @IsISO31661Alpha2() country: string;
}

/** What an account is made of; a create needs the name, an edit any of them. */
export class AccountFieldsDto {
  @ApiPropertyOptional({ type: [String], example: ['acme.example'], description: 'web/email domains; normalised (lower case, no www.)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(DOMAIN, { each: true, message: 'each value in $property must be a domain such as acme.example' })
  @MaxLength(253, { each: true })
  domains?: string[];
  @ApiPropertyOptional({ example: 'manufacturing' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) industry?: string;
  @ApiPropertyOptional({ enum: CompanySize.options }) @IsOptional() @IsIn(CompanySize.options) size?: string;
  @ApiPropertyOptional({ example: 'north' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) region?: string;
  @ApiPropertyOptional({ example: '91110000802100433B', description: 'VAT / unified social credit code' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{5,64}$/, { message: '$property must be 5-64 letters, digits or -' })
  taxId?: string;
  @ApiPropertyOptional({ type: AddressDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => AddressDto) billingAddress?: AddressDto;
  @ApiPropertyOptional({ type: AddressDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => AddressDto) shippingAddress?: AddressDto;
  @ApiPropertyOptional({ example: 'CNY', description: 'trading currency, ISO 4217; accounts in different currencies cannot be merged' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 code such as CNY' })
  currency?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'owner rep; a rep may only name themselves' }) @IsOptional() @IsUUID() ownerRepId?: string;
  @ApiPropertyOptional({ description: 'owner team; a manager may only name their own' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) team?: string;
  @ApiPropertyOptional({ description: 'save although a "warn" duplicate rule matched (a "block" rule still refuses)' })
  @IsOptional()
  @IsBoolean()
  allowDuplicate?: boolean;
}

export class CreateAccountDto extends AccountFieldsDto {
  @ApiProperty({ example: '北京华为科技有限公司' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

export class UpdateAccountDto extends AccountFieldsDto {
  @ApiPropertyOptional() @Trim() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
}

export class ListAccountsQuery extends PageQueryDto {
  @SearchQuery('fragment of the name (Latin or Chinese), a domain or the tax id')
  q?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ownerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) team?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) region?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) industry?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(253) domain?: string;
}

/** An account, as every account route answers it. */
export class AccountView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '北京华为科技有限公司' }) name: string;
  @ApiProperty({ type: [String], example: ['acme.example'] }) domains: string[];
  @ApiProperty({ type: String, nullable: true, example: 'manufacturing' }) industry: string | null;
  @ApiProperty({ type: String, nullable: true, enum: CompanySize.options }) size: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'north' }) region: string | null;
  @ApiProperty({ type: String, nullable: true, example: '91110000802100433B' }) taxId: string | null;
  @ApiProperty({ type: AddressDto, nullable: true }) billingAddress: AddressDto | null;
  @ApiProperty({ type: AddressDto, nullable: true }) shippingAddress: AddressDto | null;
  @ApiProperty({ type: String, nullable: true, example: 'CNY' }) currency: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) ownerRepId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'north' }) team: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the account it was merged into (follow it)' }) mergedInto: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) mergedAt: string | null;
  @ApiProperty() createdBy: string;
  @ApiProperty({ type: 'integer', description: 'Send it back as If-Match ("<version>") to edit or merge this version' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}
