import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, ArrayMaxSize, IsBoolean, IsEmail, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

export class CreateRepDto {
  @ApiPropertyOptional({ description: "the rep's user id (JWT sub); generated when omitted" }) @IsOptional() @IsUUID() id?: string;
  @ApiProperty({ example: 'Wang Fang' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiProperty({ example: 'wang.fang@crm.example' }) @IsEmail() @MaxLength(254) email: string;
  @ApiPropertyOptional({ example: 'east' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) team?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() managerId?: string;
  @ApiPropertyOptional({ type: [String], example: ['east'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(64, { each: true })
  regions?: string[];
  @ApiPropertyOptional({ type: [String], example: ['pumps'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(64, { each: true })
  productLines?: string[];
  @ApiProperty({ description: 'most open leads (assigned, contacted, qualified) at once', example: 25 }) @IsInt() @Min(0) @Max(100_000) capacity: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ default: false, description: 'on leave: gets no new leads' }) @IsOptional() @IsBoolean() away?: boolean;
}

export class UpdateRepDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @ApiPropertyOptional({ example: 'north' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) team?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() managerId?: string;
  @ApiPropertyOptional({ type: [String], example: ['north', 'east'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(64, { each: true })
  regions?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(64, { each: true })
  productLines?: string[];
  @ApiPropertyOptional({ example: 30 }) @IsOptional() @IsInt() @Min(0) @Max(100_000) capacity?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() away?: boolean;
}

/** A rep of the directory, with their current load. */
export class RepView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ type: String, nullable: true }) team: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) managerId: string | null;
  @ApiProperty({ type: [String] }) regions: string[];
  @ApiProperty({ type: [String] }) productLines: string[];
  @ApiProperty({ type: 'integer' }) capacity: number;
  @ApiProperty() active: boolean;
  @ApiProperty({ description: 'on leave: gets no new leads' }) away: boolean;
  @ApiProperty({ type: 'integer', description: 'open leads (assigned, contacted, qualified) now' }) openLeads: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastAssignedAt: string | null;
  @ApiProperty({ type: 'integer', description: 'Send it back as If-Match ("<version>") to update' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class RepListView {
  @ApiProperty({ type: [RepView] }) items: RepView[];
}
