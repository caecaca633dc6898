import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { AppError, type FieldError } from './app-error.js';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith('property ') ? 'unknown field' : message,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Turn untrusted JSON into a DTO, refusing unknown fields and wrong types with field-level errors. */
export function validateInto<T extends object>(cls: ClassConstructor<T>, value: unknown, what = 'body'): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw AppError.validation([{ field: what, message: 'must be a JSON object' }]);
  }
  const instance = plainToInstance(cls, value, { enableImplicitConversion: false });
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) throw AppError.validation(flatten(errors));
  return instance;
}
