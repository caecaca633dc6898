import { applyDecorators } from '@nestjs/common';
import { IsString, Length, ValidateBy, buildMessage } from 'class-validator';
import { isValidDate } from '@app/workflow';
import { isInstant } from './instants.js';

/**
 * Free text a person typed: a string of bounded length, well-formed Unicode (no lone surrogates,
 * which PostgreSQL refuses) and no NUL or other control characters except tab and newline.
 */
export function Text(min: number, max: number) {
  return applyDecorators(
    IsString(),
    Length(min, max),
    ValidateBy({
      name: 'isCleanText',
      validator: {
        validate: (v) => typeof v === 'string' && v.isWellFormed() && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v) && v.trim().length >= min,
        defaultMessage: buildMessage((p) => `${p}must be well-formed text without control characters${min > 0 ? ', not blank' : ''}`),
      },
    }),
  );
}

export function IsCalendarDate() {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (v) => typeof v === 'string' && isValidDate(v),
      defaultMessage: buildMessage((p) => `${p}must be a calendar date written YYYY-MM-DD`),
    },
  });
}

export function IsInstant() {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (v) => isInstant(v),
      defaultMessage: buildMessage((p) => `${p}must be an ISO 8601 instant with an offset, e.g. 2024-02-09T23:30:00+03:00`),
    },
  });
}
