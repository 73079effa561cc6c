import { buildSubgraphSchema, type GraphQLResolverMap } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { type GraphQLSchema, lexicographicSortSchema, specifiedDirectives } from "graphql";
import { gql } from "graphql-tag";
import { buildSchema, type BuildSchemaOptions, createResolversMap, getMetadataStorage } from "type-graphql";

const FEDERATION_IMPORTS = ["@key", "@shareable", "@external", "@requires", "@provides", "@tag", "@inaccessible"];

export const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [${FEDERATION_IMPORTS.map((d) => `"${d}"`).join(", ")}])`;

/**
 * `__resolveReference` per entity type name, always through a DataLoader.
 * Each service types its own reference and context; Apollo calls them with
 * what it was given, so the parameters are left open here (`never`).
 */
export type ReferenceResolvers = Record<string, { __resolveReference: (reference: never, context: never) => unknown }>;

/**
 * Lets graphql-js's default resolver serve plain `@Field` properties. Without
 * this, type-graphql gives every field its own resolver that builds a
 * middleware context object per value, even when there is no middleware: a
 * view's answer of tens of thousands of values pays for each. Left wrapped
 * (`simple` unset): any field named in an `@Authorized` or `@UseMiddleware`
 * (on any class, by name, so that an inherited guard is never lost), every
 * field of a class guarded as a whole, fields renamed in the schema (the
 * default resolver reads the GraphQL name), and everything when there are
 * global middlewares. Field resolvers and methods are unaffected (type-graphql
 * ignores `simple` for them).
 */
export function useDefaultResolverForPlainFields(options: Pick<BuildSchemaOptions, "globalMiddlewares">): number {
  if (options.globalMiddlewares && options.globalMiddlewares.length > 0) return 0;
  const storage = getMetadataStorage();
  const guardedNames = new Set<string>([...storage.authorizedFields.map((f) => f.fieldName), ...storage.middlewares.map((m) => m.fieldName)]);
  const guardedClasses = new Set<Function>([...storage.authorizedResolver.map((a) => a.target), ...storage.resolverMiddlewares.map((m) => m.target)]);
  let simplified = 0;
  for (const field of storage.fields) {
    if (field.simple !== undefined || field.name !== field.schemaName || (field.params?.length ?? 0) > 0) continue;
    if (guardedNames.has(field.name) || guardedClasses.has(field.target)) continue;
    field.simple = true;
    simplified += 1;
  }
  return simplified;
}

/**
 * Builds an Apollo Federation 2 subgraph schema from type-graphql classes:
 * type-graphql builds the schema (without its own validation, since
 * federation directives are not known to it yet), the schema is sorted by
 * name (so the SDL does not follow module import or resolver order), the SDL
 * with directives is prefixed with the federation `@link`, and `buildSubgraphSchema` adds
 * `_entities`/`_service` with the given reference resolvers.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, "skipCheck">,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  useDefaultResolverForPlainFields(options);
  const schema = await buildSchema({
    ...options,
    directives: [...specifiedDirectives, ...(options.directives ?? [])],
    skipCheck: true,
  });
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(lexicographicSortSchema(schema))}`;
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...reference };
  }
  return buildSubgraphSchema([{ typeDefs: gql(sdl), resolvers: resolvers as GraphQLResolverMap<unknown> }]);
}
