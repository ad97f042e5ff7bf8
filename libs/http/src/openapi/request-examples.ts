/**
 * A request body's example, assembled from the examples of its DTO's properties (`@ApiProperty({ example })`),
 * so that one realistic value per field is enough for the whole body, nested objects and arrays included.
 */
type Schema = Record<string, any>;

const MAX_DEPTH = 6;

/** `#/components/schemas/Name` → that schema. */
function resolve(schema: Schema | undefined, schemas: Record<string, Schema>): Schema | undefined {
  let current = schema;
  for (let hops = 0; current?.$ref && hops < 10; hops++) current = schemas[String(current.$ref).split('/').pop() ?? ''];
  if (current?.allOf?.length === 1 && Object.keys(current).length === 1) return resolve(current.allOf[0], schemas);
  return current;
}

/**
 * An example of this schema, or undefined when a required part has none: a property's own example first, then
 * its first enum value, its default, then what its parts give (a required boolean without one: `true`). Optional properties are included when they have one.
 */
export function exampleOf(schemaIn: Schema | undefined, schemas: Record<string, Schema>, depth = 0): unknown {
  // An example written on the property (next to a $ref) wins over the referenced schema's.
  if (schemaIn?.example !== undefined) return schemaIn.example;
  const schema = resolve(schemaIn, schemas);
  if (!schema || depth > MAX_DEPTH) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.allOf) {
    const parts = (schema.allOf as Schema[]).map((part) => exampleOf(part, schemas, depth + 1));
    return parts.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p)) ? Object.assign({}, ...parts) : undefined;
  }
  if (schema.type === 'array') {
    const item = exampleOf(schema.items, schemas, depth + 1);
    return item === undefined ? undefined : [item];
  }
  if (schema.properties) {
    const required = new Set<string>(schema.required ?? []);
    const out: Record<string, unknown> = {};
    for (const [name, property] of Object.entries<Schema>(schema.properties)) {
      // Any value of a required boolean is a realistic one; an optional one without an example stays out.
      const value = exampleOf(property, schemas, depth + 1) ?? (required.has(name) && resolve(property, schemas)?.type === 'boolean' ? true : undefined);
      if (value !== undefined) out[name] = value;
      else if (required.has(name)) return undefined;
    }
    return out;
  }
  return undefined;
}
