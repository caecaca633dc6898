import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PROPOSAL_STATUSES, type ProposalStatus } from '@app/database';

export class ProposalListQueryDto {
  @ApiPropertyOptional({ enum: [...PROPOSAL_STATUSES, 'all'], default: 'pending' })
  @IsOptional()
  @IsIn([...PROPOSAL_STATUSES, 'all'])
  status?: ProposalStatus | 'all';
}
