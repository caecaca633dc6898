import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsOptional, ValidateBy, buildMessage } from 'class-validator';
import { Text } from '../../common/text.validators.js';
import { NOTICE_TYPES, type NoticeType } from '../../stream/change-notice.js';

const MAX_URL_LENGTH = 2048;

/** An absolute http(s) URL with a host and without user:password (fetch refuses credentials in URLs). */
export function isWebhookUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_URL_LENGTH || /[\s\u0000-\u001f\u007f]/.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
}

function IsWebhookUrl() {
  return ValidateBy({
    name: 'isWebhookUrl',
    validator: {
      validate: (v) => isWebhookUrl(v),
      defaultMessage: buildMessage(
        (p) => `${p}must be an absolute http:// or https:// URL of at most ${MAX_URL_LENGTH} characters, without user:password`,
      ),
    },
  });
}

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://newsroom.example/hooks/governors', description: 'Receives a POST of each notice (JSON).' })
  @IsWebhookUrl()
  url: string;

  @ApiProperty({ enum: NOTICE_TYPES, isArray: true, example: ['alert.opened', 'alert.resolved'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(NOTICE_TYPES, { each: true })
  events: NoticeType[];

  @ApiPropertyOptional({ example: 'Breach alerts to the night desk' })
  @IsOptional()
  @Text(1, 500)
  description?: string;
}
