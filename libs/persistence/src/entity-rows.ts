import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

// Hand-written SQL beside TypeORM entities: values go in and come out exactly as TypeORM's own queries would
// have them (transformers, numeric as strings, `date` as YYYY-MM-DD, jsonb), without its query building.

/** An entity instance from a raw row (snake_case columns as stored), hydrated as TypeORM hydrates it. */
export function entityFromRow<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, row: Record<string, unknown>): T {
  const meta = m.connection.getMetadata(target);
  const entity = meta.create() as T;
  for (const column of meta.columns) {
    if (!(column.databaseName in row)) continue;
    (entity as Record<string, unknown>)[column.propertyName] = m.connection.driver.prepareHydratedValue(row[column.databaseName], column);
  }
  return entity;
}

/**
 * `"column" = $n` for each property of `values` (entity property names), its value appended to `params` as
 * TypeORM would persist it. An unknown property is an error, not silently dropped.
 */
export function columnAssignments<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, values: Partial<T>, params: unknown[]): string[] {
  const meta = m.connection.getMetadata(target);
  return Object.entries(values).map(([property, value]) => {
    const column = meta.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${meta.name} has no column for ${property}`);
    params.push(m.connection.driver.preparePersistentValue(value, column));
    return `"${column.databaseName}" = $${params.length}`;
  });
}
