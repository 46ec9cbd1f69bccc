import { PipeTransform } from '@nestjs/common';
import Ajv, { AnySchema, ValidateFunction } from 'ajv';
import { ApiError } from './api-error';

/**
 * Bodies are checked as Rocket.Chat checks them: AJV with its default options (first error per
 * branch, no type coercion). Query strings go through a second instance that coerces types, as
 * Rocket.Chat's query validator does (`count=10` is a number).
 */
const bodyAjv = new Ajv();
const queryAjv = new Ajv({ coerceTypes: true, allowUnionTypes: true });

/**
 * Validates with a JSON schema and answers Rocket.Chat's invalid-params envelope: AJV's messages
 * joined by "\n ". Used where the contract is Rocket.Chat's own schema (the integrations
 * endpoints), whose `oneOf` wording class-validator cannot reproduce.
 */
export class AjvSchemaPipe implements PipeTransform {
  private readonly validate: ValidateFunction;

  private readonly typedRouter: boolean;

  /** `typedRouter`: the endpoint answers as Rocket.Chat's typed router does (no ` [invalid-params]` suffix). */
  constructor(schema: AnySchema, { query = false, typedRouter = false } = {}) {
    this.validate = (query ? queryAjv : bodyAjv).compile(schema);
    this.typedRouter = typedRouter;
  }

  transform(value: unknown): unknown {
    const input = value ?? {};
    if (!this.validate(input)) {
      const messages = (this.validate.errors ?? []).map((e) => e.message ?? 'is invalid');
      throw this.typedRouter ? ApiError.invalidParamsUnsuffixed(messages) : ApiError.invalidParams(messages);
    }
    return input;
  }
}
