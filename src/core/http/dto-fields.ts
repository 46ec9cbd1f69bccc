import { applyDecorators } from '@nestjs/common';
import { IsArray, IsBoolean, IsDefined, IsObject, IsOptional, IsString, MinLength } from 'class-validator';
import { ajv } from './ajv-messages';

/** A whole number written as text (a query string, an environment variable) becomes a number; anything else is left for the validators to refuse. */
export const integerFromText = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value);

/**
 * Field rules DTOs repeat, each with Rocket.Chat's (AJV's) wording. `name` is the property name,
 * for the "required" message.
 */
export const RequiredString = (name: string, { minLength = 0 } = {}) =>
  applyDecorators(
    IsDefined({ message: ajv.required(name) }),
    IsString({ message: ajv.type('string') }),
    ...(minLength ? [MinLength(minLength, { message: ajv.minLength(minLength) })] : []),
  );

export const OptionalString = ({ minLength = 0 } = {}) =>
  applyDecorators(
    IsOptional(),
    IsString({ message: ajv.type('string') }),
    ...(minLength ? [MinLength(minLength, { message: ajv.minLength(minLength) })] : []),
  );

export const OptionalBoolean = () => applyDecorators(IsOptional(), IsBoolean({ message: ajv.type('boolean') }));

export const OptionalObject = () => applyDecorators(IsOptional(), IsObject({ message: ajv.type('object') }));

const eachString = IsString({ each: true, message: (a) => `/${a.property}/* must be string` });

export const StringArray = (name: string) =>
  applyDecorators(IsDefined({ message: ajv.required(name) }), IsArray({ message: ajv.type('array') }), eachString);

export const OptionalStringArray = () => applyDecorators(IsOptional(), IsArray({ message: ajv.type('array') }), eachString);
