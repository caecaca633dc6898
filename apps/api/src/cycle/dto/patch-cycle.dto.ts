import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsCalendarDate, Text } from '../../common/text.validators.js';

export class PatchCycleDto {
  @ApiPropertyOptional({ example: '2024-02-19', description: 'The legal deadline (a day in the cycle’s time zone).' })
  @IsOptional()
  @IsCalendarDate()
  deadline?: string;

  @ApiPropertyOptional({ example: 'Federal Court ruling of 12 February 2024 extended the deadline by ten days.' })
  @IsOptional()
  @Text(1, 2000)
  deadlineBasis?: string;

  @ApiPropertyOptional({ example: 21 }) @IsOptional() @IsInt() @Min(0) @Max(366) tierByDays?: number;
  @ApiPropertyOptional({ example: 7 }) @IsOptional() @IsInt() @Min(0) @Max(366) candidateByDays?: number;

  @ApiPropertyOptional({
    example: true,
    description:
      'The two-person rule: APPOINT, REVOKE and SET_DEADLINE are proposed (202) and applied when a second editor approves. ' +
      'Turning it off leaves pending proposals approvable.',
  })
  @IsOptional()
  @IsBoolean()
  requireApproval?: boolean;
}
