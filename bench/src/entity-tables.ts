import "reflect-metadata";
import { MikroORM } from "@mikro-orm/postgresql";
import { groupsService } from "@yhdyspinta/groups";
import { organisationsService } from "@yhdyspinta/organisations";
import { planningService } from "@yhdyspinta/planning";

export type ServiceDb = "organisations" | "groups" | "planning";

/** One entity's table as MikroORM maps it: table name and each property's column. */
export interface EntityTable {
  entity: string;
  table: string;
  /** Property name → column name. */
  columns: Record<string, string>;
}

const ENTITIES = {
  organisations: organisationsService.entities,
  groups: groupsService.entities,
  planning: planningService.entities,
} satisfies Record<ServiceDb, unknown>;

/**
 * The tables of a service's entities from MikroORM's metadata (discovery
 * only: the ORM never connects), keyed by table name.
 */
export async function entityTables(db: ServiceDb): Promise<Map<string, EntityTable>> {
  const orm = new MikroORM({ entities: ENTITIES[db], clientUrl: "postgresql://metadata-only@127.0.0.1:1/none" });
  try {
    const tables = new Map<string, EntityTable>();
    for (const meta of orm.getMetadata()) {
      if (meta.embeddable || meta.virtual || !meta.tableName) continue;
      const columns: Record<string, string> = {};
      for (const prop of Object.values(meta.properties)) {
        if (prop.persist === false || !prop.fieldNames) continue;
        for (const field of prop.fieldNames) columns[prop.name] = field;
      }
      tables.set(meta.tableName, { entity: meta.className, table: meta.tableName, columns });
    }
    return tables;
  } finally {
    await orm.close();
  }
}

/** Tables of every service, keyed by database. */
export async function allEntityTables(): Promise<Record<ServiceDb, Map<string, EntityTable>>> {
  return {
    organisations: await entityTables("organisations"),
    groups: await entityTables("groups"),
    planning: await entityTables("planning"),
  };
}

/**
 * Every way a list of written tables and columns disagrees with the entities:
 * a table no entity of that database maps, or a column no property maps to.
 */
export function columnMismatches(
  written: Record<string, { db: ServiceDb; columns: readonly string[] }>,
  entities: Record<ServiceDb, Map<string, EntityTable>>,
): string[] {
  const problems: string[] = [];
  for (const [table, { db, columns }] of Object.entries(written)) {
    const mapped = entities[db].get(table);
    if (!mapped) {
      problems.push(`${db}.${table}: no entity maps this table`);
      continue;
    }
    const known = new Set(Object.values(mapped.columns));
    for (const column of columns) {
      if (!known.has(column)) problems.push(`${db}.${table}.${column}: no property of ${mapped.entity} maps this column`);
    }
  }
  return problems;
}
