import { useQueryPlan } from "@graphql-hive/router-runtime";
import { type DocumentNode, type OperationDefinitionNode, parse, print } from "graphql";
import type { SubgraphResponse } from "./subgraph-source.ts";

/**
 * The one-fetch pass-through of the hive-router engine: an operation whose
 * query plan is a single fetch asking exactly what the caller asked is, from
 * its second run on, sent to that subgraph directly and its answer passed on
 * as written. This module decides which operations qualify, from the plan the
 * runtime executed (read through `executedPlan`, the one adapter over the
 * runtime's interface).
 */

/** A pass-through fetch's answer that was not data alone: the plan's fetch uses it instead of asking again. */
export interface Prefetched {
  subgraph: string;
  response: SubgraphResponse;
}

/**
 * An operation whose query plan is one fetch from one subgraph, asking for
 * exactly what the caller asked (same selections, aliases and directives, no
 * added `__typename`, no entity step): the subgraph's answer is the answer.
 */
export interface PassThrough {
  subgraph: string;
  /** The fetch's operation as the plan has it. */
  query: string;
  variableUsages: readonly string[];
}

/** The parts of a Hive Router plan node this engine reads. */
export interface PlanFetchNode {
  kind: string;
  serviceName?: string;
  operation?: string;
  operationKind?: string;
  variableUsages?: string[];
  requires?: unknown;
  inputRewrites?: unknown[];
  outputRewrites?: unknown[];
}

/** The plan's single fetch, when it is one the caller's operation can be passed through for. */
export function passThroughOf(plan: { node?: PlanFetchNode } | undefined, operation: OperationDefinitionNode): PassThrough | undefined {
  const node = plan?.node;
  if (!node || node.kind !== "Fetch" || operation.operation !== "query" || node.operationKind !== "query") return undefined;
  if (!node.serviceName || !node.operation || node.requires || node.inputRewrites?.length || node.outputRewrites?.length) return undefined;
  const fetched = parse(node.operation).definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
  // Same printed selections: no fragment the plan inlined, no field it added or left out.
  if (!fetched || print(fetched.selectionSet) !== print(operation.selectionSet)) return undefined;
  return { subgraph: node.serviceName, query: node.operation, variableUsages: node.variableUsages ?? [] };
}

/** `query (…) {…}` or `{…}` as `query <name>(…) {…}`; a named operation stays as it is. */
export function nameOperation(printed: string, name: string): string {
  if (printed.startsWith("{")) return `query ${name} ${printed}`;
  const anonymous = /^(query|mutation) ?(?=[({@])/.exec(printed);
  return anonymous ? `${anonymous[1]} ${name}${printed.slice(anonymous[0].length)}` : printed;
}


/**
 * The plan the runtime executed for `document` in `context` (after the
 * execution), or undefined. The runtime keeps it per context and hands it
 * out only through its `useQueryPlan` plugin, so its hooks are called here as
 * the runtime's own plugin chain would call them. gateway/test/pass-through.test.ts
 * fails when a runtime upgrade changes this.
 */
export function executedPlan(context: object, document: DocumentNode): { node?: PlanFetchNode } | undefined {
  let plan: { node?: PlanFetchNode } | undefined;
  const hooks = useQueryPlan({ onQueryPlan: (queryPlan) => void (plan = queryPlan as typeof plan) }).onExecute?.({
    context,
    args: { document },
  } as never) as { onExecuteDone?: (payload: unknown) => void } | undefined;
  hooks?.onExecuteDone?.({ result: {}, setResult: () => {} });
  return plan;
}

/**
 * Which operations pass through, decided per parsed document (Apollo Server
 * keeps one per distinct query text) and operation name after the first
 * successful execution: `get` is undefined until then, null for one that
 * does not qualify.
 */
export class PassThroughs {
  readonly #decided = new WeakMap<DocumentNode, Map<string, PassThrough | null>>();

  get(document: DocumentNode, operationName: string | null | undefined): PassThrough | null | undefined {
    return this.#decided.get(document)?.get(operationName ?? "");
  }

  /** Decides from the plan the runtime executed in `context`. */
  decide(document: DocumentNode, operation: OperationDefinitionNode, operationName: string | null | undefined, context: object): void {
    let byName = this.#decided.get(document);
    if (!byName) this.#decided.set(document, (byName = new Map()));
    byName.set(operationName ?? "", passThroughOf(executedPlan(context, document), operation) ?? null);
  }
}
