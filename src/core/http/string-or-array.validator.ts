import { ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

/** A non-empty string, or a non-empty array of them (targets such as `channel`, `roomId`). */
@ValidatorConstraint({ name: 'isStringOrStringArray' })
export class IsStringOrStringArray implements ValidatorConstraintInterface {
  static holds(value: unknown): boolean {
    if (typeof value === 'string') return value.length > 0;
    return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0);
  }

  validate(value: unknown): boolean {
    return IsStringOrStringArray.holds(value);
  }

  defaultMessage(args: ValidationArguments): string {
    return `/${args.property} must be a non-empty string or array of strings`;
  }
}
