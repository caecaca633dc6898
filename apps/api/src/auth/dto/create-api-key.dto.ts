import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { ROLES, type Role } from '@app/database';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'basra-desk', description: 'Who holds the key; shown in the history as the actor.' })
  @IsString()
  @Length(1, 100)
  @Matches(/^[^\u0000-\u001f]+$/, { message: 'name must not contain control characters' })
  name: string;

  @ApiProperty({ enum: ROLES, example: 'editor' })
  @IsIn(ROLES)
  role: Role;
}
