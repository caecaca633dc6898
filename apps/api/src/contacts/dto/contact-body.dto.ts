import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { CONTACT_CHANNELS, CONTACT_OUTCOMES, type ContactChannel, type ContactOutcome } from '@app/database';
import { IsInstant, Text } from '../../common/text.validators.js';

// The channels and outcomes are the contact entity's (the migration's CHECKs list the same).
export { CONTACT_CHANNELS, CONTACT_OUTCOMES, type ContactChannel, type ContactOutcome };

export class OfficialDto {
  @ApiProperty({ example: 'Khalaf Al-Badran' })
  @Text(1, 200)
  name: string;

  @ApiPropertyOptional({ example: 'Basra council spokesman' })
  @IsOptional()
  @Text(1, 200)
  title?: string;
}

export class ContactBodyDto {
  @ApiProperty({ type: OfficialDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => OfficialDto)
  official: OfficialDto;

  @ApiProperty({ enum: CONTACT_CHANNELS, example: 'call' })
  @IsIn(CONTACT_CHANNELS)
  channel: ContactChannel;

  @ApiProperty({ enum: CONTACT_OUTCOMES, example: 'declined_to_comment' })
  @IsIn(CONTACT_OUTCOMES)
  outcome: ContactOutcome;

  @ApiPropertyOptional({ example: 'Would not say whether the session is on Sunday.' })
  @IsOptional()
  @Text(1, 5000)
  summary?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2024-01-21T11:30:00+03:00', description: 'When (default now); not in the future, not before election day.' })
  @IsOptional()
  @IsInstant()
  contactedAt?: string;
}
