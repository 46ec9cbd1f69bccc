import { ValidationArguments } from 'class-validator';

/**
 * Rocket.Chat validates bodies with AJV and reports AJV's messages; DTOs use these so clients see
 * the same words. Property errors carry the JSON path (`/name must be string`), as AJV's own
 * errorsText does, so the client learns which field is wrong.
 */
export const ajv = {
  required: (property: string) => `must have required property '${property}'`,
  type:
    (type: 'string' | 'boolean' | 'number' | 'integer' | 'array' | 'object') =>
    (args: ValidationArguments): string =>
      `/${args.property} must be ${type}`,
  minLength: (limit: number) => (args: ValidationArguments) =>
    `/${args.property} must NOT have fewer than ${limit} characters`,
  pattern: (pattern: string) => (args: ValidationArguments) => `/${args.property} must match pattern "${pattern}"`,
  format: (format: string) => (args: ValidationArguments) => `/${args.property} must match format "${format}"`,
  oneOf: 'must match exactly one schema in oneOf',
  additionalProperties: 'must NOT have additional properties',
  notObject: 'must be object',
};
