import { buildSubgraphSchema, type GraphQLResolverMap } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { type GraphQLSchema, lexicographicSortSchema, specifiedDirectives } from "graphql";
import { gql } from "graphql-tag";
import { buildSchema, type BuildSchemaOptions, createResolversMap } from "type-graphql";

const FEDERATION_IMPORTS = ["@key", "@shareable", "@external", "@requires", "@provides", "@tag", "@inaccessible"];

export const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [${FEDERATION_IMPORTS.map((d) => `"${d}"`).join(", ")}])`;

/**
 * `__resolveReference` per entity type name, always through a DataLoader.
 * Each service types its own reference and context; Apollo calls them with
 * what it was given, so the parameters are left open here (`never`).
 */
export type ReferenceResolvers = Record<string, { __resolveReference: (reference: never, context: never) => unknown }>;

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
