import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { ajv } from './ajv-messages';
import { ApiError } from './api-error';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

/** `offset`, `count` and `sort` query parameters shared by every list endpoint. */
export class PaginationQuery {
  @IsOptional()
  @Transform(toNumber)
  @IsInt({ message: ajv.type('integer') })
  @Min(0, { message: (a) => `/${a.property} must be >= 0` })
  offset?: number;

  @IsOptional()
  @Transform(toNumber)
  @IsInt({ message: ajv.type('integer') })
  @Min(0, { message: (a) => `/${a.property} must be >= 0` })
  count?: number;

  /** JSON, e.g. `{"name":1}`. */
  @IsOptional()
  @IsString({ message: ajv.type('string') })
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
export function resolvePage(query: PaginationQuery, sortable: Record<string, string>, fallback: Record<string, 'ASC' | 'DESC'>): Page {
  const offset = query.offset ?? 0;
  const count = Math.min(query.count || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
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
