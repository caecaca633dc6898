import { ApiProperty } from '@nestjs/swagger';
import { Text } from '../../common/text.validators.js';

export class RetractBodyDto {
  @ApiProperty({ example: 'The report was wrong: the session was postponed.' })
  @Text(1, 2000)
  reason: string;
}
