import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ROLES, type Role } from '@app/database';
import { Text } from '../../common/text.validators.js';

export class CreateApiKeyDto {
  @ApiProperty({
    example: 'basra-desk',
    description: 'Shown in the history as the actor (to newsroom keys). Trimmed; unique among live keys, ignoring case and spacing.',
  })
  @Text(1, 100)
  name: string;

  @ApiPropertyOptional({
    example: 'Zainab Al-Musawi',
    description: 'Who holds the key (default: the name). The two-person rule compares people: two keys of one person are one editor.',
  })
  @IsOptional()
  @Text(1, 100)
  person?: string;

  @ApiProperty({ enum: ROLES, example: 'editor' })
  @IsIn(ROLES)
  role: Role;
}
