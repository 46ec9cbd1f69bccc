import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ajv } from './ajv-messages';
import { ApiError } from './api-error';

/** class-validator's own constraints, reworded as AJV would say them. */
const BUILT_IN: Record<string, string> = {
  whitelistValidation: ajv.additionalProperties,
  unknownValue: ajv.notObject,
};

/** Rules that make every other rule on the same property meaningless when they fail. */
const PRECEDENCE = [['isDefined'], ['isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject']];

/** One message per failed property, as AJV gives: a missing field, else a wrong type, else the rest. */
function messages(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => {
    const constraints = Object.entries(e.constraints ?? {});
    const decisive = PRECEDENCE.map((names) => constraints.filter(([name]) => names.includes(name))).find((c) => c.length);
    const own = (decisive ?? constraints).map(([name, text]) => BUILT_IN[name] ?? text);
    return [...own, ...messages(e.children ?? [])];
  });
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
