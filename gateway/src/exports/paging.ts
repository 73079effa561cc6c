import {
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
} from "graphql";
import { HttpRouteError } from "../http-routes.ts";
import { dataOrThrow, type GraphQLExecutor } from "../loopback-graphql.ts";
import { variableSpecs } from "./variables.ts";

/**
 * Paging of a view whose answer is a tree of municipalities (view 1: every
 * county's municipalities with their groups and members). Asked whole, one
 * answer for all of Finland is tens of MiB and one county's a few MiB, held
 * in the gateway and the subgraphs at once and slow enough to run into the
 * subgraph timeout on a busy machine. Instead the export asks:
 *  1. the view's outline: the same operation, same variables, with each
 *     municipality cut down to `code nameFi`;
 *  2. the view's own municipality fragment for a few municipalities at a time
 *     (`municipality(code:)` under aliases),
 * so no single request grows with the data, and it streams each page's rows
 * before the next-but-one is asked.
 */

/**
 * Municipalities per page request: the unit of memory and of the subgraph
 * timeout. In the full-Finland dataset a municipality's partnership groups
 * with their members are ~0.4 MiB of JSON (county 19: 30 municipalities, a
 * 4.2 MiB CSV), so a page is a few MiB however large the export.
 */
export const MUNICIPALITIES_PER_PAGE = 8;
/** Page requests in flight at once (the next page is fetched while this one is written). */
export const PAGES_IN_FLIGHT = 2;

export interface MunicipalityPaging {
  /** Name of the view's fragment on `Municipality`. */
  fragment: string;
}

interface Parts {
  operation: OperationDefinitionNode;
  fragment: FragmentDefinitionNode;
  others: FragmentDefinitionNode[];
}

function parts(document: DocumentNode, fragmentName: string): Parts {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const fragment = fragments.find((f) => f.name.value === fragmentName);
  if (!operation || !fragment) throw new Error(`The view has no operation or no fragment ${fragmentName}`);
  return { operation, fragment, others: fragments.filter((f) => f !== fragment) };
}

const field = (name: string, alias?: string, selections?: readonly SelectionNode[]): FieldNode => ({
  kind: Kind.FIELD,
  name: { kind: Kind.NAME, value: name },
  ...(alias ? { alias: { kind: Kind.NAME, value: alias } } : {}),
  ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
});

/** The view with every spread of the municipality fragment replaced by `code nameFi`. */
export function outlineDocument(document: string, paging: MunicipalityPaging): string {
  const { operation } = parts(parse(document), paging.fragment);
  const outline = visit(operation, {
    SelectionSet(node) {
      const spread = (s: SelectionNode) => s.kind === Kind.FRAGMENT_SPREAD && s.name.value === paging.fragment;
      if (!node.selections.some(spread)) return undefined;
      return { ...node, selections: node.selections.flatMap((s) => (spread(s) ? [field("code"), field("nameFi")] : [s])) };
    },
  });
  // Variables only the fragment used are dropped (GraphQL rejects unused variables).
  const used = new Set<string>();
  visit(outline.selectionSet, { Variable: (v) => void used.add(v.name.value) });
  return print({
    ...outline,
    name: outline.name ? { ...outline.name, value: `${outline.name.value}Outline` } : undefined,
    variableDefinitions: (outline.variableDefinitions ?? []).filter((d) => used.has(d.variable.name.value)),
  });
}

/** One page: `m0: municipality(code: $m0) { ...Fragment }` … with the variables the fragment uses. */
export function pageDocument(document: string, paging: MunicipalityPaging, size: number): string {
  const { operation, fragment, others } = parts(parse(document), paging.fragment);
  const used = new Set<string>();
  visit(fragment, { Variable: (v) => void used.add(v.name.value) });
  const codeVariable = (i: number) => ({ kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: `m${i}` } }) as const;
  const page: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: operation.operation,
    name: { kind: Kind.NAME, value: `${operation.name?.value ?? "View"}Page` },
    variableDefinitions: [
      ...Array.from({ length: size }, (_, i) => ({
        kind: Kind.VARIABLE_DEFINITION as const,
        variable: codeVariable(i),
        type: { kind: Kind.NON_NULL_TYPE as const, type: { kind: Kind.NAMED_TYPE as const, name: { kind: Kind.NAME as const, value: "ID" } } },
      })),
      ...(operation.variableDefinitions ?? []).filter((d) => used.has(d.variable.name.value)),
    ],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: Array.from({ length: size }, (_, i) => ({
        ...field("municipality", `m${i}`, [{ kind: Kind.FRAGMENT_SPREAD, name: { kind: Kind.NAME, value: paging.fragment } }]),
        arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: "code" }, value: codeVariable(i) }],
      })),
    },
  };
  return print({ kind: Kind.DOCUMENT, definitions: [page, fragment, ...others] });
}

/** A municipality of the outline answer (`code nameFi`), or of a page (the view's fragment). */
type Municipality = { code: string };

/** Each list of `{ code, nameFi }` objects in the outline answer: where the pages' municipalities go. */
function municipalityLists(data: unknown, found: Municipality[][] = []): Municipality[][] {
  if (Array.isArray(data)) {
    for (const item of data) municipalityLists(item, found);
  } else if (data && typeof data === "object") {
    for (const [key, value] of Object.entries(data)) {
      if (key === "municipalities" && Array.isArray(value)) found.push(value as Municipality[]);
      else municipalityLists(value, found);
    }
  }
  return found;
}

/**
 * The answers of a municipality-paged view, one per page, in the view's
 * order: each is the outline answer with only that page's municipalities
 * (filled in from the page request) in their lists and every other
 * municipality list empty, so the view's own flattening applies to it
 * unchanged. At most PAGES_IN_FLIGHT page answers are held at a time. T is
 * the view's result type (views/generated.ts): each answer has its shape.
 */
export async function* municipalityPages<T>(
  execute: GraphQLExecutor,
  document: string,
  paging: MunicipalityPaging,
  variables: Record<string, unknown>,
  pageSize = MUNICIPALITIES_PER_PAGE,
): AsyncGenerator<T> {
  const declared = (text: string) => {
    const names = new Set(variableSpecs(text).map((v) => v.name));
    return Object.fromEntries(Object.entries(variables).filter(([name]) => names.has(name)));
  };
  const outlineText = outlineDocument(document, paging);
  const outlineVariables = declared(outlineText);
  const outline = dataOrThrow(await execute<T>(outlineText, outlineVariables), outlineVariables);
  const lists = municipalityLists(outline);
  // Pages run across lists (a small county's municipalities share a page with the next county's).
  const all = lists.flatMap((list, index) => list.map((m) => ({ list: index, code: String(m.code) })));
  const pages: { list: number; code: string }[][] = [];
  for (let start = 0; start < all.length; start += pageSize) pages.push(all.slice(start, start + pageSize));
  if (pages.length === 0) {
    yield outline;
    return;
  }
  const documents = new Map<number, string>();
  const documentFor = (size: number) => {
    let text = documents.get(size);
    if (!text) documents.set(size, (text = pageDocument(document, paging, size)));
    return text;
  };
  const fetchPage = async (page: { code: string }[]) => {
    const text = documentFor(page.length);
    const pageVariables = declared(text);
    page.forEach(({ code }, i) => (pageVariables[`m${i}`] = code));
    const data = dataOrThrow(await execute<Record<string, Municipality | null>>(text, pageVariables), pageVariables);
    return page.map(({ code }, i) => {
      const municipality = data[`m${i}`];
      if (!municipality) throw new HttpRouteError(502, `Municipality ${code} of the view's answer could not be read`);
      return municipality;
    });
  };
  const inFlight: Promise<Municipality[]>[] = [];
  let next = 0;
  const fill = () => {
    while (inFlight.length < PAGES_IN_FLIGHT && next < pages.length) {
      const pending = fetchPage(pages[next++]!);
      // Awaited in order below; a failure of a later page must not go unhandled meanwhile.
      pending.catch(() => undefined);
      inFlight.push(pending);
    }
  };
  try {
    for (const page of pages) {
      fill();
      const municipalities = await inFlight.shift()!;
      lists.forEach((list, index) => list.splice(0, list.length, ...municipalities.filter((_, i) => page[i]!.list === index)));
      yield outline;
    }
  } finally {
    // A consumer that stopped early (or a failed page) leaves nothing running unawaited.
    await Promise.allSettled(inFlight);
  }
}
