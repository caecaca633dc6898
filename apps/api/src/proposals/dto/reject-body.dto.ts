import { ApiProperty } from '@nestjs/swagger';
import { Text } from '../../common/text.validators.js';

export class RejectProposalDto {
  @ApiProperty({ example: 'Only one outlet reports the vote; wait for the council’s statement.' })
  @Text(1, 2000)
  reason: string;
}
