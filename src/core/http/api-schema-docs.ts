import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';

type JsonSchema = Record<string, unknown>;

/** JSON Schema as OpenAPI 3.0 accepts it: a list of types (`["number", "string"]`) becomes a `oneOf`. */
function toOpenApi(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toOpenApi);
  if (typeof schema !== 'object' || schema === null) return schema;
  const { type, ...rest } = schema as JsonSchema;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, toOpenApi(value)]));
  return Array.isArray(type) ? { ...converted, oneOf: (type as unknown[]).map((t) => ({ type: t })) } : { ...converted, ...(type === undefined ? {} : { type }) };
}

/** OpenAPI for a route whose body is checked by a JSON schema (AjvSchemaPipe): the same schema, documented. */
export const ApiBodySchema = (schema: JsonSchema) => ApiBody({ schema: toOpenApi(schema) as never });

/** OpenAPI query parameters from the JSON schema that checks them: one parameter per property. */
export function ApiQuerySchema(schema: JsonSchema) {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return applyDecorators(
    ...Object.entries(properties).map(([name, property]) => ApiQuery({ name, required: required.has(name), schema: toOpenApi(property) as never })),
  );
}
