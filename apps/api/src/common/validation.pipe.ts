import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { validateInto } from './validation.js';

/** Validates @Body() and @Query() objects against their DTO class (unknown fields refused). */
@Injectable()
export class DtoValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const cls = metadata.metatype;
    if (!cls || (metadata.type !== 'body' && metadata.type !== 'query') || [Object, String, Number, Boolean, Array].includes(cls as never)) {
      return value;
    }
    return validateInto(cls as new () => object, value ?? {}, metadata.type);
  }
}
