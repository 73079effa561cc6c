import { buildSubgraphSchema, type GraphQLResolverMap } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { type GraphQLFieldResolver, type GraphQLSchema, isObjectType, lexicographicSortSchema, specifiedDirectives } from "graphql";
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
  const guardedClasses = guardedClassesOf(storage);
  let simplified = 0;
  for (const field of storage.fields) {
    if (field.simple !== undefined || field.name !== field.schemaName || (field.params?.length ?? 0) > 0) continue;
    if (guardedNames.has(field.name) || guardedClasses.has(field.target)) continue;
    field.simple = true;
    simplified += 1;
  }
  return simplified;
}

/** Classes guarded as a whole (`@Authorized` or `@UseMiddleware` on the class): type-graphql's wrapper stays on their fields. */
function guardedClassesOf(storage: ReturnType<typeof getMetadataStorage>): Set<Function> {
  return new Set<Function>([...storage.authorizedResolver.map((a) => a.target), ...storage.resolverMiddlewares.map((m) => m.target)]);
}

/** What type-graphql records of a `@FieldResolver` method, as far as `callFieldResolversDirectly` reads it. */
interface FieldResolverDefinition {
  kind: "internal" | "external";
  target: Function;
  methodName: string;
  schemaName: string;
  roles?: unknown[];
  middlewares?: unknown[];
  params?: { kind: string; index: number; propertyName?: string; getType?: unknown }[];
  getObjectType?: () => Function;
}

type ParamGetter = (root: Record<string, unknown>, context: Record<string, unknown>, info: unknown) => unknown;

/**
 * Calls `@FieldResolver` methods straight from the schema when type-graphql's
 * wrapper has nothing to do: the wrapper builds a resolver-data object, asks
 * the container for the resolver class's instance, sorts and maps the
 * parameter list, tests it for promises and runs an empty middleware chain,
 * on every call; a view calls some field resolvers once per item (a measure's
 * responsible organisations, a membership's person). Left wrapped: a method
 * with arguments (type-graphql converts and may validate them), custom or
 * typed `@Root` parameters, `@Authorized` or middleware on the method or its
 * class, fields of interfaces, and everything when there are global
 * middlewares or a container. The resolver classes take no constructor
 * parameters, so one instance per class serves every call, as type-graphql's
 * default container does. Returns the fields it rewired (`Type.field`).
 */
export function callFieldResolversDirectly(schema: GraphQLSchema, options: Pick<BuildSchemaOptions, "globalMiddlewares" | "resolvers" | "container">): string[] {
  if ((options.globalMiddlewares && options.globalMiddlewares.length > 0) || options.container) return [];
  const built = options.resolvers as readonly unknown[];
  if (!built.every((r): r is Function => typeof r === "function")) return [];
  const storage = getMetadataStorage();
  const guardedClasses = guardedClassesOf(storage);
  const typeNames = new Map<Function, string>(storage.objectTypes.map((o) => [o.target, o.name]));
  // Each external field resolver with the schema field it serves (`Type.field`); a field served by two is left alone.
  const definitions = (storage.fieldResolvers as unknown as FieldResolverDefinition[]).flatMap((d) => {
    const typeClass = d.kind === "external" ? d.getObjectType?.() : undefined;
    const typeName = typeClass ? typeNames.get(typeClass) : undefined;
    return typeName ? [{ d, typeName, key: `${typeName}.${d.schemaName}` }] : [];
  });
  const served = new Map<string, number>();
  for (const { key } of definitions) served.set(key, (served.get(key) ?? 0) + 1);
  const instances = new Map<Function, object>();
  const rewired: string[] = [];
  for (const { d, typeName, key } of definitions) {
    if (d.roles !== undefined || (d.middlewares?.length ?? 0) > 0 || guardedClasses.has(d.target) || served.get(key) !== 1) continue;
    if (!built.some((r) => r === d.target || Object.prototype.isPrototypeOf.call(d.target, r))) continue;
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[d.schemaName] : undefined;
    const method = (d.target.prototype as Record<string, unknown>)[d.methodName];
    if (!field || typeof method !== "function" || d.target.length > 0) continue;
    const params = [...(d.params ?? [])].sort((a, b) => a.index - b.index);
    const getters: ParamGetter[] = [];
    for (const param of params) {
      const property = param.propertyName;
      if (param.kind === "root" && param.getType === undefined) getters.push(property ? (root) => root[property] : (root) => root);
      else if (param.kind === "context") getters.push(property ? (_root, context) => context[property] : (_root, context) => context);
      else if (param.kind === "info") getters.push((_root, _context, info) => info);
      else break;
    }
    if (getters.length !== params.length || params.some((param, i) => param.index !== i)) continue;
    let instance = instances.get(d.target);
    if (!instance) instances.set(d.target, (instance = new (d.target as new () => object)()));
    const self = instance;
    const call = method as (...values: unknown[]) => unknown;
    const [first, second] = getters;
    let resolve: GraphQLFieldResolver<Record<string, unknown>, Record<string, unknown>>;
    if (getters.length === 0) resolve = () => call.call(self);
    else if (getters.length === 1) resolve = (root, _args, context, info) => call.call(self, first!(root, context, info));
    else if (getters.length === 2) resolve = (root, _args, context, info) => call.call(self, first!(root, context, info), second!(root, context, info));
    else resolve = (root, _args, context, info) => call.apply(self, getters.map((get) => get(root, context, info)));
    field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    rewired.push(key);
  }
  return rewired;
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
  callFieldResolversDirectly(schema, options);
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(lexicographicSortSchema(schema))}`;
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...reference };
  }
  return buildSubgraphSchema([{ typeDefs: gql(sdl), resolvers: resolvers as GraphQLResolverMap<unknown> }]);
}
