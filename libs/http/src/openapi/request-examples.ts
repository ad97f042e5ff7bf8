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
 * An example of this schema, or undefined when a required part has none. A property's own example comes first;
 * objects and arrays are built from their parts. Where a value is required and nothing says which, its first
 * enum value, its default or (a boolean) `true` stands in; an optional property without an example stays out,
 * so that no made-up value combines badly with the others (an `outcome` without its `closedAt`).
 */
export function exampleOf(schemaIn: Schema | undefined, schemas: Record<string, Schema>, depth = 0, required = true): unknown {
  // An example written on the property (next to a $ref) wins over the referenced schema's.
  if (schemaIn?.example !== undefined) return schemaIn.example;
  const schema = resolve(schemaIn, schemas);
  if (!schema || depth > MAX_DEPTH) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.allOf) {
    const parts = (schema.allOf as Schema[]).map((part) => exampleOf(part, schemas, depth + 1, required));
    return parts.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p)) ? Object.assign({}, ...parts) : undefined;
  }
  if (schema.type === 'array') {
    const item = exampleOf(schema.items, schemas, depth + 1);
    return item === undefined ? undefined : [item];
  }
  if (schema.properties) {
    const needed = new Set<string>(schema.required ?? []);
    const out: Record<string, unknown> = {};
    for (const [name, property] of Object.entries<Schema>(schema.properties)) {
      const value = exampleOf(property, schemas, depth + 1, needed.has(name));
      if (value !== undefined) out[name] = value;
      else if (needed.has(name)) return undefined;
    }
    return out;
  }
  if (!required) return undefined;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  return schema.type === 'boolean' ? true : undefined;
}
