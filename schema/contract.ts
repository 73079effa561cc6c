import {
  type ConstDirectiveNode,
  type DefinitionNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type InputValueDefinitionNode,
  type TypeNode,
  buildSchema,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  parse,
  print,
} from "graphql";
import { composeSupergraph } from "./compose.ts";
import { apiSchemaSdl } from "./schema-changes.ts";

/**
 * The public contract: the supergraph with every element tagged with one of
 * these left out (`@tag(name: "personal")`: personal data, see README
 * "Personal data in the schema"; `internal`: what only coordinators need),
 * as Apollo and Hive contracts filter by tag.
 */
export const PUBLIC_CONTRACT_EXCLUDED_TAGS = ["personal", "internal"] as const;

/** Root types a read-only public graph never has. */
const EXCLUDED_ROOTS = ["Mutation", "Subscription"];

const INACCESSIBLE: ConstDirectiveNode = { kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: "inaccessible" }, arguments: [] };

/** The `name`s of an element's `@tag`s. */
export function tagsOf(node: { directives?: readonly DirectiveNode[] | undefined }): string[] {
  return (node.directives ?? []).flatMap((d) => {
    if (d.name.value !== "tag") return [];
    const arg = d.arguments?.find((a) => a.name.value === "name");
    return arg && arg.value.kind === Kind.STRING ? [arg.value.value] : [];
  });
}

function namedTypeName(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeName(type.type);
}

type Composite = { name: { value: string }; fields?: readonly (FieldDefinitionNode | InputValueDefinitionNode)[] | undefined };

function isComposite(d: DefinitionNode): d is DefinitionNode & Composite & { directives?: readonly ConstDirectiveNode[] } {
  return (
    d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION ||
    d.kind === Kind.INTERFACE_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_EXTENSION ||
    d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || d.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION
  );
}

function isTypeDefinition(d: DefinitionNode): d is DefinitionNode & { name: { value: string }; directives?: readonly ConstDirectiveNode[] } {
  return "name" in d && d.kind !== Kind.DIRECTIVE_DEFINITION && d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION;
}

/**
 * What the contract leaves out, worked out over all subgraphs together, as
 * Apollo's contracts do: the tagged types and fields (and arguments, input
 * fields, enum values); every field whose type is a left-out type; a
 * connection whose edges' `node` is left out (with its edge type); a type
 * all of whose fields are left out; and, repeated until nothing changes, every
 * type no longer reachable from `Query`.
 */
function excluded(documents: DocumentNode[], tags: readonly string[]): { types: Set<string>; fields: Set<string> } {
  const tagged = (node: { directives?: readonly ConstDirectiveNode[] | undefined }) => tagsOf(node).some((t) => tags.includes(t));
  const types = new Set<string>(EXCLUDED_ROOTS);
  const fields = new Set<string>();
  const definitions = documents.flatMap((d) => d.definitions);
  for (const d of definitions) {
    if (isTypeDefinition(d) && tagged(d)) types.add(d.name.value);
    if (isComposite(d)) {
      for (const f of d.fields ?? []) {
        if (tagged(f)) fields.add(`${d.name.value}.${f.name.value}`);
        for (const a of f.kind === Kind.FIELD_DEFINITION ? (f.arguments ?? []) : []) if (tagged(a)) fields.add(`${d.name.value}.${f.name.value}(${a.name.value}:)`);
      }
    }
    if ((d.kind === Kind.ENUM_TYPE_DEFINITION || d.kind === Kind.ENUM_TYPE_EXTENSION) && d.values) {
      for (const v of d.values) if (tagged(v)) fields.add(`${d.name.value}.${v.name.value}`);
    }
  }
  const composites = definitions.filter(isComposite);
  for (let changed = true; changed; ) {
    changed = false;
    const add = (set: Set<string>, key: string) => {
      if (set.has(key)) return;
      set.add(key);
      changed = true;
    };
    const allFields = new Map<string, Set<string>>();
    for (const d of composites) {
      const owner = d.name.value;
      const names = allFields.get(owner) ?? new Set<string>();
      allFields.set(owner, names);
      for (const f of d.fields ?? []) {
        names.add(f.name.value);
        if (types.has(namedTypeName(f.type))) add(fields, `${owner}.${f.name.value}`);
        if (f.name.value === "node" && types.has(namedTypeName(f.type))) add(types, owner);
        if (f.name.value === "edges" && types.has(namedTypeName(f.type))) add(types, owner);
      }
    }
    for (const [owner, names] of allFields) {
      if (!types.has(owner) && [...names].every((n) => fields.has(`${owner}.${n}`))) add(types, owner);
    }
    if (!changed) {
      // Reachability over what is left, in one schema built from all definitions.
      const schema = mergedSchema(documents, types, fields);
      for (const name of unreachable(schema)) add(types, name);
    }
  }
  return { types, fields };
}

/** One graphql-js schema of everything the subgraphs define, minus what is excluded (only for reachability). */
function mergedSchema(documents: DocumentNode[], types: Set<string>, fields: Set<string>): GraphQLSchema {
  const byName = new Map<string, Map<string, { type: TypeNode; args: { name: string; type: TypeNode }[] }>>();
  const others = new Map<string, string>();
  for (const d of documents.flatMap((doc) => doc.definitions)) {
    if (!isTypeDefinition(d) || types.has(d.name.value) || d.name.value.startsWith("_")) continue;
    if (d.kind === Kind.SCHEMA_DEFINITION || d.kind === Kind.SCHEMA_EXTENSION) continue;
    if (isComposite(d)) {
      const keyword = d.kind.startsWith("Input") ? "input" : d.kind.startsWith("Interface") ? "interface" : "type";
      const map = byName.get(`${keyword} ${d.name.value}`) ?? new Map<string, { type: TypeNode; args: { name: string; type: TypeNode }[] }>();
      byName.set(`${keyword} ${d.name.value}`, map);
      for (const f of d.fields ?? []) {
        if (fields.has(`${d.name.value}.${f.name.value}`) || f.name.value.startsWith("_")) continue;
        const args = f.kind === Kind.FIELD_DEFINITION ? (f.arguments ?? []).map((a) => ({ name: a.name.value, type: a.type })) : [];
        map.set(f.name.value, { type: f.type, args });
      }
    } else if (d.kind === Kind.ENUM_TYPE_DEFINITION) {
      others.set(d.name.value, `enum ${d.name.value} { ${(d.values ?? []).map((v) => v.name.value).join(" ")} }`);
    } else if (d.kind === Kind.SCALAR_TYPE_DEFINITION) {
      others.set(d.name.value, `scalar ${d.name.value}`);
    } else if (d.kind === Kind.UNION_TYPE_DEFINITION) {
      const members = (d.types ?? []).map((t) => t.name.value).filter((t) => !types.has(t));
      if (members.length > 0) others.set(d.name.value, `union ${d.name.value} = ${members.join(" | ")}`);
    }
  }
  const known = new Set([...byName.keys()].map((k) => k.split(" ")[1]!).concat([...others.keys()], ["String", "Int", "Float", "Boolean", "ID"]));
  const sdl = [
    ...[...byName].map(([head, map]) => {
      const kept = [...map].flatMap(([name, { type, args }]) => {
        if (!known.has(namedTypeName(type))) return [];
        const kinds = args.filter((a) => known.has(namedTypeName(a.type))).map((a) => `${a.name}: ${print(a.type)}`);
        return [`${name}${kinds.length > 0 ? `(${kinds.join(", ")})` : ""}: ${print(type)}`];
      });
      return `${head} { ${kept.length > 0 ? kept.join("\n") : "_empty: Int"} }`;
    }),
    ...others.values(),
  ].join("\n");
  return buildSchema(sdl, { assumeValidSDL: true });
}

function unreachable(schema: GraphQLSchema): string[] {
  const seen = new Set<string>();
  const visit = (type: GraphQLNamedType) => {
    if (seen.has(type.name)) return;
    seen.add(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const f of Object.values(type.getFields())) {
        visit(getNamedType(f.type));
        for (const a of f.args) visit(getNamedType(a.type));
      }
      for (const i of type.getInterfaces()) visit(i);
      if (isInterfaceType(type)) for (const o of schema.getPossibleTypes(type)) visit(o);
    } else if (isUnionType(type)) {
      for (const m of type.getTypes()) visit(m);
    } else if (isInputObjectType(type)) {
      for (const f of Object.values(type.getFields())) visit(getNamedType(f.type));
    }
  };
  const query = schema.getType("Query");
  if (query) visit(query);
  return Object.keys(schema.getTypeMap()).filter((n) => !n.startsWith("__") && !seen.has(n) && !["String", "Int", "Float", "Boolean", "ID"].includes(n));
}

function withInaccessible<T extends { directives?: readonly ConstDirectiveNode[] | undefined }>(node: T): T {
  if ((node.directives ?? []).some((d) => d.name.value === "inaccessible")) return node;
  return { ...node, directives: [...(node.directives ?? []), INACCESSIBLE] };
}

/**
 * Each subgraph's SDL with `@inaccessible` on what the contract leaves out.
 * Composed, this gives a supergraph whose API schema is the contract while
 * its join directives stay whole, so the gateway plans over the same
 * subgraphs as for the full graph (an `@inaccessible` field can still be
 * fetched as a key or a requirement, never asked for by a caller).
 */
export function contractSubgraphSdls(sdls: Record<string, string>, tags: readonly string[] = PUBLIC_CONTRACT_EXCLUDED_TAGS): Record<string, string> {
  const documents = Object.fromEntries(Object.entries(sdls).map(([name, sdl]) => [name, parse(sdl)]));
  const { types, fields } = excluded(Object.values(documents), tags);
  return Object.fromEntries(
    Object.entries(documents).map(([name, doc]) => {
      const definitions = doc.definitions.flatMap((d): DefinitionNode[] => {
        if (d.kind === Kind.SCHEMA_DEFINITION || d.kind === Kind.SCHEMA_EXTENSION) {
          return [{ ...d, operationTypes: d.operationTypes?.filter((o) => !EXCLUDED_ROOTS.includes(o.type.name.value)) }] as DefinitionNode[];
        }
        if (!isTypeDefinition(d)) return [d];
        // A root type that the contract has not at all is left out of the subgraph (an inaccessible root type does not compose).
        if (EXCLUDED_ROOTS.includes(d.name.value)) return [];
        const owner = d.name.value;
        let node = d;
        if (types.has(owner) && !d.kind.endsWith("Extension")) node = withInaccessible(node);
        if (isComposite(node)) {
          const composite = node as DefinitionNode & Composite;
          node = {
            ...composite,
            fields: (composite.fields ?? []).map((f) => {
              let field = fields.has(`${owner}.${f.name.value}`) ? withInaccessible(f) : f;
              if (field.kind === Kind.FIELD_DEFINITION && field.arguments) {
                field = { ...field, arguments: field.arguments.map((a) => (fields.has(`${owner}.${f.name.value}(${a.name.value}:)`) ? withInaccessible(a) : a)) };
              }
              return field;
            }),
          } as typeof node;
        }
        if (node.kind === Kind.ENUM_TYPE_DEFINITION && node.values) {
          node = { ...node, values: node.values.map((v) => (fields.has(`${owner}.${v.name.value}`) ? withInaccessible(v) : v)) };
        }
        return [node];
      });
      return [name, `${print({ ...doc, definitions }).trimEnd()}\n`];
    }),
  );
}

/** The public contract's supergraph: what the gateway serves at `/public/graphql`. */
export function composePublicSupergraph(sdls: Record<string, string>): string {
  return composeSupergraph(contractSubgraphSdls(sdls));
}

/** The contract's API schema (what callers of `/public/graphql` see), sorted. */
export function publicApiSdl(sdls: Record<string, string>): string {
  return apiSchemaSdl(composePublicSupergraph(sdls));
}

/** What a supergraph tags with one of the contract's excluded tags: `Type` for a type, `Type.field` for a field. */
export function excludedCoordinates(supergraphSdl: string, tags: readonly string[] = PUBLIC_CONTRACT_EXCLUDED_TAGS): string[] {
  const excluded = (node: { directives?: readonly DirectiveNode[] | undefined }) => tagsOf(node).some((t) => tags.includes(t));
  return parse(supergraphSdl).definitions.flatMap((d) => {
    if (!isTypeDefinition(d) || d.kind === Kind.SCHEMA_DEFINITION || d.kind === Kind.SCHEMA_EXTENSION) return [];
    return [
      ...(excluded(d) ? [d.name.value] : []),
      ...(isComposite(d) ? (d.fields ?? []).filter(excluded).map((f) => `${d.name.value}.${f.name.value}`) : []),
    ];
  });
}
