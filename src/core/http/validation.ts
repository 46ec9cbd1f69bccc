import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ajv } from './ajv-messages';
import { ApiError } from './api-error';

/** class-validator's own constraints, reworded as AJV would say them. */
const BUILT_IN: Record<string, string> = {
  whitelistValidation: ajv.additionalProperties,
  unknownValue: ajv.notObject,
};

/**
 * Rules that make every other rule on the same property meaningless when they fail, most basic
 * first: missing, then the container's type, then a scalar type (an array of the wrong items
 * reports `must be array` only when it is not an array at all).
 */
const PRECEDENCE = ['isDefined', 'isArray', 'isObject', 'isString', 'isInt', 'isNumber', 'isBoolean'];

/** One message per failed property, as AJV gives: the most basic failure, else all of them. */
function messages(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => {
    const constraints = e.constraints ?? {};
    const decisive = PRECEDENCE.find((name) => name in constraints);
    const names = decisive ? [decisive] : Object.keys(constraints);
    return [...names.map((name) => BUILT_IN[name] ?? constraints[name]), ...messages(e.children ?? [])];
  });
}

/**
 * A DTO that can tell at a glance that a body is valid as it stands: `accepts` answers true only
 * for bodies class-validator would accept unchanged, and false whenever in doubt (the full check
 * then runs and words the errors). For the routes machines call most: class-validator and
 * class-transformer cost 9-14 µs of a valid `chat.postMessage` in a warm loop (bench/README.md).
 */
export interface CheckedAtAGlance {
  accepts(body: unknown): boolean;
}

/**
 * DTO validation for every route. Unknown properties are refused (Rocket.Chat's schemas say
 * `additionalProperties: false`); each property reports its first failed rule; a body or query
 * that is not an object (an array, a number) is refused as a whole; failures answer the
 * invalid-params envelope.
 */
class RocketChatValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto = typeof metadata.metatype === 'function' && this.toValidate(metadata);
    if (isDto && (metadata.type === 'body' || metadata.type === 'query')) {
      if (value === undefined || value === null) value = {};
      if (typeof value !== 'object' || Array.isArray(value)) throw ApiError.invalidParams([ajv.notObject]);
      if (metadata.type === 'body' && (metadata.metatype as Partial<CheckedAtAGlance>).accepts?.(value)) return value;
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new RocketChatValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => ApiError.invalidParams([...new Set(messages(errors))]),
  });
}
