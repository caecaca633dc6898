import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PROPOSAL_STATUSES, type ProposalStatus } from '@app/database';
import { CycleQueryDto } from '../../cycle/dto/cycle-query.dto.js';

export class ProposalListQueryDto extends CycleQueryDto {
  @ApiPropertyOptional({ enum: [...PROPOSAL_STATUSES, 'all'], default: 'pending' })
  @IsOptional()
  @IsIn([...PROPOSAL_STATUSES, 'all'])
  status?: ProposalStatus | 'all';
}
