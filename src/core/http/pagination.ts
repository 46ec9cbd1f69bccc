import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { ajv } from './ajv-messages';
import { ApiError } from './api-error';
import { integerFromText } from './dto-fields';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;


/** `offset`, `count` and `sort` query parameters shared by every list endpoint. */
export class PaginationQuery {
  @IsOptional()
  @Transform(integerFromText)
  @IsInt({ message: ajv.type('integer') })
  @Min(0, { message: (a) => `/${a.property} must be >= 0` })
  offset?: number;

  @IsOptional()
  @Transform(integerFromText)
  @IsInt({ message: ajv.type('integer') })
  @Min(0, { message: (a) => `/${a.property} must be >= 0` })
  count?: number;

  /** JSON, e.g. `{"name":1}`. */
  @IsOptional()
  @IsString({ message: ajv.type('string') })
  sort?: string;
}

/** Pagination parameters as they arrive: numbers, or (from a query string) their digits. */
export interface PageQuery {
  offset?: number | string;
  count?: number | string;
  sort?: string;
}

export interface Page {
  offset: number;
  count: number;
  /** Column name → direction, in the order given, restricted to the allowed fields. */
  order: Record<string, 'ASC' | 'DESC'>;
}

/**
 * Resolves pagination the way Rocket.Chat does: count defaults to 50 and is capped at 100 (a count
 * of 0 means the default). `sortable` maps API field names to columns; anything else is refused.
 */
export function resolvePage(query: PageQuery, sortable: Record<string, string>, fallback: Record<string, 'ASC' | 'DESC'>): Page {
  const offset = wholeNumber('offset', query.offset) ?? 0;
  const count = Math.min(wholeNumber('count', query.count) || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  if (query.sort === undefined) return { offset, count, order: fallback };
  let parsed: unknown;
  try {
    parsed = JSON.parse(query.sort);
  } catch {
    throw ApiError.meteor('error-invalid-sort', 'Invalid sort parameter provided, it must be JSON such as {"name":1}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw ApiError.meteor('error-invalid-sort', 'Invalid sort parameter provided, it must be JSON such as {"name":1}');
  }
  const order: Record<string, 'ASC' | 'DESC'> = {};
  for (const [field, direction] of Object.entries(parsed)) {
    const column = sortable[field];
    if (!column || (direction !== 1 && direction !== -1)) {
      throw ApiError.meteor(
        'error-invalid-sort',
        `Invalid sort parameter provided: sort by one of ${Object.keys(sortable).join(', ')} with 1 or -1`,
      );
    }
    order[column] = direction === 1 ? 'ASC' : 'DESC';
  }
  return { offset, count, order: Object.keys(order).length ? order : fallback };
}

/** A pagination number that an AJV schema let through as a string, or a DTO already converted. */
function wholeNumber(name: string, value: number | string | undefined): number | undefined {
  const number = value === undefined || value === '' ? undefined : Number(value);
  if (number !== undefined && (!Number.isInteger(number) || number < 0)) throw ApiError.invalidParams([`/${name} must be a whole number >= 0`]);
  return number;
}
