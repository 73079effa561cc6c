import {
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
} from "graphql";
import { MAX_PAGE_SIZE } from "./pagination.ts";

/**
 * Static limits on an operation, checked during validation (before any
 * resolver or subgraph fetch runs), so an abusive document is refused in
 * milliseconds with an error naming the limit and the measured value.
 */
export interface OperationLimits {
  /** Deepest chain of nested fields (introspection fields `__*` not counted). */
  maxDepth: number;
  /**
   * Fields of the operation as executed: every fragment spread expanded where
   * it is spread (twice if spread twice), `__typename` and the other `__*`
   * fields counted too. Bounds the work any process does for the document's
   * shape, whatever its lists hold.
   */
  maxFields: number;
  /** Aliased fields in the whole document. */
  maxAliases: number;
  /** Directive uses in the whole document. */
  maxDirectives: number;
  /** Lexical tokens of the document (enforced by the parser, `parseOptions.maxTokens`). */
  maxTokens: number;
  /**
   * Estimated cost: every field (`__*` ones too) costs 1, multiplied by the sizes of the lists
   * it sits in. A list's size is its `first` argument (a variable counts as its
   * default, or the largest page size), the length of a list-valued filter
   * argument such as `codes`, or the typical size declared per list field.
   */
  maxCost: number;
  /** Typical size of list fields, by `Type.field`; others count `defaultListSize`. */
  listSizes?: Record<string, number>;
  defaultListSize?: number;
}

/** Typical list sizes at full-Finland scale (21 counties, ~300 municipalities). */
export const TYPICAL_LIST_SIZES: Record<string, number> = {
  "Query.counties": 21,
  "Query.municipalities": 300,
  "WellbeingServicesCounty.municipalities": 15,
  "Area.municipalities": 10,
  // An organisation's own id and, rarely, that of a duplicate merged into it: a list of ids, read as one value.
  "Organisation.allIds": 1,
};

/**
 * Limits of the public gateway, tuned on the committed views (README,
 * "Operation limits"): the deepest view nests 6 fields, the most expensive
 * (partnership groups of every county) estimates ~690,000.
 */
export const GATEWAY_LIMITS: OperationLimits = {
  maxDepth: 10,
  // As many fields as the largest document the token limit lets through without
  // fragments: fragments may reuse selections, never multiply the work.
  maxFields: 3000,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 3000,
  maxCost: 2_100_000,
  listSizes: TYPICAL_LIST_SIZES,
  defaultListSize: 10,
};

/**
 * Subgraph limits, as defence in depth: the gateway's own fetches nest a
 * little deeper (`_entities` and the key fields) and batch entities, so the
 * bounds are wider, yet still refuse a bomb sent past the gateway.
 */
export const SUBGRAPH_LIMITS: OperationLimits = {
  ...GATEWAY_LIMITS,
  maxDepth: GATEWAY_LIMITS.maxDepth + 3,
  maxFields: GATEWAY_LIMITS.maxFields * 4,
  maxAliases: GATEWAY_LIMITS.maxAliases * 4,
  maxDirectives: GATEWAY_LIMITS.maxDirectives * 4,
  maxTokens: GATEWAY_LIMITS.maxTokens * 4,
  maxCost: GATEWAY_LIMITS.maxCost * 10,
};

function limitError(limit: string, measured: number, max: number, what: string, stopped = false): GraphQLError {
  const message = stopped
    ? `Operation ${what} exceeds the limit of ${max} (${limit}); counting stopped at ${measured}`
    : `Operation ${what} ${measured} exceeds the limit of ${max} (${limit})`;
  return new GraphQLError(message, {
    extensions: { code: "GRAPHQL_VALIDATION_FAILED", limit, measured, max },
  });
}

export interface OperationMeasure {
  depth: number;
  cost: number;
  /** Fields as executed: fragment spreads expanded, `__*` fields counted. */
  fields: number;
  /**
   * Selections the measure itself visited. Each fragment is walked once and
   * its measure reused wherever it is spread, so this never exceeds the
   * document's own selections, however much the fragments expand.
   */
  work: number;
  /**
   * Set when the walk stopped early (`stopAbove`): that limit was exceeded,
   * and depth, cost and fields are what was counted until then.
   */
  stoppedAt?: "maxCost" | "maxFields";
}

const META_FIELDS: Record<string, GraphQLField<unknown, unknown> | undefined> = {
  __schema: SchemaMetaFieldDef,
  __type: TypeMetaFieldDef,
  __typename: TypeNameMetaFieldDef,
};

class LimitExceeded extends Error {
  constructor(readonly limit: "maxCost" | "maxFields") {
    super(limit);
  }
}

/**
 * Depth, estimated cost and expanded field count of one operation (used by
 * the validation rule, the README's figures and tests). With `stopAbove`, the
 * walk stops as soon as the cost or the field count passes its limit: every
 * part of the operation costs at least as much as it does alone (list sizes
 * are at least 1), so a running count above the limit is already a refusal.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  limits: Pick<OperationLimits, "listSizes" | "defaultListSize">,
  stopAbove?: Pick<OperationLimits, "maxCost" | "maxFields">,
): OperationMeasure {
  const listSizes = limits.listSizes ?? {};
  const defaultListSize = limits.defaultListSize ?? 10;
  const variableDefaults = new Map<string, ValueNode | undefined>();
  for (const def of operation.variableDefinitions ?? []) variableDefaults.set(def.variable.name.value, def.defaultValue);
  const fragmentMemo = new Map<string, { depth: number; cost: number; fields: number }>();
  const inProgress = new Set<string>();
  let work = 0;
  let deepest = 0;

  const intValue = (node: ValueNode | undefined): number | null => {
    if (!node) return null;
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) {
      const fallback = variableDefaults.get(node.name.value);
      return fallback?.kind === Kind.INT ? Number(fallback.value) : MAX_PAGE_SIZE;
    }
    return null;
  };

  const sizeOf = (field: FieldNode, key: string, pageSize: number | null): number => {
    const args = field.arguments ?? [];
    const first = intValue(args.find((a) => a.name.value === "first")?.value);
    if (first !== null) return Math.max(1, first);
    for (const arg of args) {
      if (arg.value.kind === Kind.LIST && arg.value.values.length > 0) return arg.value.values.length;
    }
    if (pageSize !== null && (field.name.value === "edges" || field.name.value === "nodes")) return pageSize;
    return Math.max(1, listSizes[key] ?? defaultListSize);
  };

  const check = (cost: number, fields: number) => {
    if (!stopAbove) return;
    if (fields > stopAbove.maxFields) throw new LimitExceeded("maxFields");
    if (cost > stopAbove.maxCost) throw new LimitExceeded("maxCost");
  };

  // Running totals of the walk, reported when it stops early.
  let partialCost = 0;
  let partialFields = 0;

  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    pageSize: number | null,
    level: number,
    countsDepth: boolean,
  ): { depth: number; cost: number; fields: number } => {
    let depth = 0;
    let cost = 0;
    let fields = 0;
    for (const selection of selectionSet.selections) {
      work += 1;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const introspection = name.startsWith("__");
        const fieldDef = introspection
          ? META_FIELDS[name]
          : parent && (isObjectType(parent) || isInterfaceType(parent))
            ? parent.getFields()[name]
            : undefined;
        const key = `${parent?.name ?? "?"}.${name}`;
        const type = fieldDef?.type;
        const isList = type ? isListType(getNullableType(type)) : false;
        const multiplier = isList ? sizeOf(selection, key, pageSize) : 1;
        let childPage: number | null = null;
        if (!isList) childPage = intValue(selection.arguments?.find((a) => a.name.value === "first")?.value);
        // Introspection (`__schema`, `__type` and what they select) counts in cost and fields, not in depth.
        const childCountsDepth = countsDepth && !introspection;
        const child = selection.selectionSet
          ? walk(selection.selectionSet, type ? getNamedType(type) : undefined, childPage, level + 1, childCountsDepth)
          : { depth: 0, cost: 0, fields: 0 };
        if (childCountsDepth) {
          depth = Math.max(depth, 1 + child.depth);
          deepest = Math.max(deepest, level + 1);
        }
        cost += multiplier * (1 + child.cost);
        fields += 1 + child.fields;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        const target = typeName ? schema.getType(typeName) : parent;
        const child = walk(selection.selectionSet, target ?? undefined, pageSize, level, countsDepth);
        depth = Math.max(depth, child.depth);
        cost += child.cost;
        fields += child.fields;
      } else {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (!fragment || inProgress.has(name)) continue;
        // A fragment's measure depends on the page size it is spread under and on whether it sits in introspection.
        const memoKey = `${name} ${pageSize ?? ""} ${countsDepth}`;
        let measured = fragmentMemo.get(memoKey);
        if (!measured) {
          inProgress.add(name);
          measured = walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined, pageSize, level, countsDepth);
          inProgress.delete(name);
          fragmentMemo.set(memoKey, measured);
        }
        depth = Math.max(depth, measured.depth);
        if (countsDepth) deepest = Math.max(deepest, level + measured.depth);
        cost += measured.cost;
        fields += measured.fields;
      }
      partialCost = Math.max(partialCost, cost);
      partialFields = Math.max(partialFields, fields);
      check(cost, fields);
    }
    return { depth, cost, fields };
  };

  const root =
    operation.operation === "query"
      ? schema.getQueryType()
      : operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  try {
    const { depth, cost, fields } = walk(operation.selectionSet, root ?? undefined, null, 0, true);
    return { depth, cost, fields, work };
  } catch (error) {
    if (!(error instanceof LimitExceeded)) throw error;
    return { depth: deepest, cost: partialCost, fields: partialFields, work, stoppedAt: error.limit };
  }
}

/** Validation rules enforcing `limits` (depth, fields, aliases, directives, cost); tokens go to `parseOptions`. */
export function operationLimitRules(limits: OperationLimits): ((context: ValidationContext) => ASTVisitor)[] {
  const countingRule = (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    let directives = 0;
    return {
      Field(node) {
        if (node.alias) aliases += 1;
      },
      Directive() {
        directives += 1;
      },
      Document: {
        leave() {
          if (aliases > limits.maxAliases) context.reportError(limitError("maxAliases", aliases, limits.maxAliases, "aliases"));
          if (directives > limits.maxDirectives)
            context.reportError(limitError("maxDirectives", directives, limits.maxDirectives, "directives"));
        },
      },
    };
  };
  const measureRule = (context: ValidationContext): ASTVisitor => ({
    Document(document) {
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
      for (const def of document.definitions) {
        if (def.kind !== Kind.OPERATION_DEFINITION) continue;
        const { depth, cost, fields, stoppedAt } = measureOperation(context.getSchema(), def, fragments, limits, limits);
        if (depth > limits.maxDepth) context.reportError(limitError("maxDepth", depth, limits.maxDepth, "depth"));
        if (fields > limits.maxFields)
          context.reportError(
            limitError("maxFields", fields, limits.maxFields, "fields (fragments expanded)", stoppedAt === "maxFields"),
          );
        if (cost > limits.maxCost)
          context.reportError(limitError("maxCost", cost, limits.maxCost, "estimated cost", stoppedAt === "maxCost"));
      }
      return false;
    },
  });
  return [countingRule, measureRule];
}
