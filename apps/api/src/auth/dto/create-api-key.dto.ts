import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { ROLES, type Role } from '@app/database';
import { Text } from '../../common/text.validators.js';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'basra-desk', description: 'Who holds the key; shown in the history as the actor.' })
  @Text(1, 100)
  name: string;

  @ApiProperty({ enum: ROLES, example: 'editor' })
  @IsIn(ROLES)
  role: Role;
}
