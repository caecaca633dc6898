import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CycleQueryDto } from '../../cycle/dto/cycle-query.dto.js';
import { ALERT_KINDS, ALERT_STATUSES, type AlertKind, type AlertStatus } from '../alert.view.js';

export class AlertsQueryDto extends CycleQueryDto {
  @ApiPropertyOptional({ enum: [...ALERT_STATUSES, 'all'], default: 'open' })
  @IsOptional()
  @IsIn([...ALERT_STATUSES, 'all'])
  status?: AlertStatus | 'all';

  @ApiPropertyOptional({ enum: ALERT_KINDS })
  @IsOptional()
  @IsIn(ALERT_KINDS)
  kind?: AlertKind;

  @ApiPropertyOptional({ example: 'kirkuk' })
  @IsOptional()
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'province must be a province slug' })
  province?: string;
}
