import {
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLError,
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
  /** Aliased fields in the whole document. */
  maxAliases: number;
  /** Directive uses in the whole document. */
  maxDirectives: number;
  /** Lexical tokens of the document (enforced by the parser, `parseOptions.maxTokens`). */
  maxTokens: number;
  /**
   * Estimated cost: every field costs 1, multiplied by the sizes of the lists
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
};

/**
 * Limits of the public gateway, tuned on the committed views (README,
 * "Operation limits"): the deepest view nests 6 fields, the most expensive
 * (partnership groups of every county) estimates ~650,000.
 */
export const GATEWAY_LIMITS: OperationLimits = {
  maxDepth: 10,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 3000,
  maxCost: 2_000_000,
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
  maxAliases: GATEWAY_LIMITS.maxAliases * 4,
  maxDirectives: GATEWAY_LIMITS.maxDirectives * 4,
  maxTokens: GATEWAY_LIMITS.maxTokens * 4,
  maxCost: GATEWAY_LIMITS.maxCost * 10,
};

function limitError(limit: string, measured: number, max: number, what: string): GraphQLError {
  return new GraphQLError(`Operation ${what} ${measured} exceeds the limit of ${max} (${limit})`, {
    extensions: { code: "GRAPHQL_VALIDATION_FAILED", limit, measured, max },
  });
}

export interface OperationMeasure {
  depth: number;
  cost: number;
}

/** Depth and estimated cost of one operation (used by the validation rule, the README's figures and tests). */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  limits: Pick<OperationLimits, "listSizes" | "defaultListSize">,
): OperationMeasure {
  const listSizes = limits.listSizes ?? {};
  const defaultListSize = limits.defaultListSize ?? 10;
  const variableDefaults = new Map<string, ValueNode | undefined>();
  for (const def of operation.variableDefinitions ?? []) variableDefaults.set(def.variable.name.value, def.defaultValue);
  const fragmentMemo = new Map<string, OperationMeasure>();
  const inProgress = new Set<string>();

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
    return listSizes[key] ?? defaultListSize;
  };

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined, pageSize: number | null): OperationMeasure => {
    let depth = 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith("__")) continue;
        const fieldDef =
          parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
        const key = `${parent?.name ?? "?"}.${selection.name.value}`;
        const type = fieldDef?.type;
        const isList = type ? isListType(getNullableType(type)) : false;
        const multiplier = isList ? sizeOf(selection, key, pageSize) : 1;
        let childPage: number | null = null;
        if (!isList) childPage = intValue(selection.arguments?.find((a) => a.name.value === "first")?.value);
        const child = selection.selectionSet
          ? walk(selection.selectionSet, type ? getNamedType(type) : undefined, childPage)
          : { depth: 0, cost: 0 };
        depth = Math.max(depth, 1 + child.depth);
        cost += multiplier * (1 + child.cost);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        const target = typeName ? schema.getType(typeName) : parent;
        const child = walk(selection.selectionSet, target ?? undefined, pageSize);
        depth = Math.max(depth, child.depth);
        cost += child.cost;
      } else {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (!fragment || inProgress.has(name)) continue;
        let measured = fragmentMemo.get(name);
        if (!measured) {
          inProgress.add(name);
          measured = walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined, pageSize);
          inProgress.delete(name);
          fragmentMemo.set(name, measured);
        }
        depth = Math.max(depth, measured.depth);
        cost += measured.cost;
      }
    }
    return { depth, cost };
  };

  const root =
    operation.operation === "query"
      ? schema.getQueryType()
      : operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return walk(operation.selectionSet, root ?? undefined, null);
}

/** Validation rules enforcing `limits` (depth, aliases, directives, cost); tokens go to `parseOptions`. */
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
        const { depth, cost } = measureOperation(context.getSchema(), def, fragments, limits);
        if (depth > limits.maxDepth) context.reportError(limitError("maxDepth", depth, limits.maxDepth, "depth"));
        if (cost > limits.maxCost) context.reportError(limitError("maxCost", cost, limits.maxCost, "estimated cost"));
      }
      return false;
    },
  });
  return [countingRule, measureRule];
}
