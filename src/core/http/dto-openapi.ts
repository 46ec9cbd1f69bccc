import { ApiProperty } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';

/** A class class-validator holds metadata for (a DTO). */
type DtoClass = (new (...args: never[]) => unknown) & { prototype: unknown };
type PropertySchema = { $ref?: string; items?: { $ref?: string } } & Record<string, unknown>;
type SchemaObject = { properties?: Record<string, PropertySchema>; required?: string[] };

let documented = false;

/**
 * Documents every class-validator DTO (bodies and query objects) in OpenAPI from its validation
 * rules, so the document says what the validation accepts without a second set of decorators
 * that could drift from the first. Runs once per process, before the document is built.
 */
export function documentValidatedDtos(): void {
  if (documented) return;
  documented = true;
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<DtoClass, unknown[]> };
  const classes = new Map([...storage.validationMetadatas.keys()].filter((c) => typeof c === 'function' && c.name).map((c) => [c.name, c]));
  // A nested DTO is referenced as its class, so that Nest adds it to the document's components.
  const nested = (property: PropertySchema) => {
    const ref = property.$ref ?? property.items?.$ref;
    if (!ref) return property;
    const cls = classes.get(ref.slice(ref.lastIndexOf('/') + 1));
    // A reference the converter could not name (an array of arrays, say) is documented as any object.
    if (!cls) return property.$ref ? { type: 'object' } : { ...property, items: { type: 'object' } };
    return property.$ref ? { type: () => cls } : { type: () => [cls] };
  };
  /** The converter writes JSON Schema; OpenAPI 3.0 has no `null` type (`not: {type: 'null'}` only says "required"). */
  const openApi3 = (property: PropertySchema): PropertySchema => {
    const { not, ...rest } = property as PropertySchema & { not?: { type?: unknown } };
    return not && not.type !== 'null' ? { ...rest, not } : rest;
  };
  for (const target of classes.values()) {
    const schema = targetConstructorToSchema(target) as SchemaObject;
    const required = new Set(schema.required ?? []);
    const declared = (Reflect.getMetadata('swagger/apiModelPropertiesArray', target.prototype as object) as string[] | undefined) ?? [];
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (declared.includes(`:${name}`)) continue;
      ApiProperty({ ...nested(openApi3(property)), required: required.has(name) } as never)(target.prototype as object, name);
    }
  }
}
