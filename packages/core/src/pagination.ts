import { Directive, Field, Int, ObjectType, type ClassType } from "type-graphql";
import { BadUserInputError } from "./errors.ts";

// Several subgraphs return connections: a value type defined in more than one
// subgraph must be @shareable for Federation 2 composition.
@ObjectType({ description: "Where a page sits in a cursor-paginated list (Relay connection spec)." })
@Directive("@shareable")
export class PageInfo {
  @Field(() => Boolean, { description: "More items follow this page." })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: "Items precede this page." })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the first item on this page." })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: "Cursor of the last item on this page; pass it as `after` for the next page." })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * Declares `<Name>Edge` and `<Name>Connection` object types for a node type.
 * Call once per node type at module level.
 */
export function connectionTypes<T extends object>(nodeType: ClassType<T>, name: string, description: string) {
  @ObjectType(`${name}Edge`, { description: `One ${description} in a page, with its cursor.` })
  class EdgeType {
    @Field(() => String, { description: "Opaque cursor of this item; pass it as `after`." })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${description}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${description} items with the total count.` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: "The items of this page, in the list's stable order." })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: "Cursors and whether more pages exist." })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: "Number of items matching the filter, over all pages." })
    totalCount!: number;
  }
  return { EdgeType, ConnectionType };
}

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

/** Checks `first`: 1…MAX_PAGE_SIZE, default DEFAULT_PAGE_SIZE. */
export function pageSize(first: number | null | undefined, field = "first"): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(field, `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/** Encodes the sort-key values of an item into an opaque cursor (keyset pagination). */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), "utf8").toString("base64url");
}

/** Decodes `after`; a cursor this API did not issue is `BAD_USER_INPUT`. */
export function decodeCursor(cursor: string | null | undefined, arity: number, field = "after"): (string | number)[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(parsed) &&
      parsed.length === arity &&
      // Every cursor this API issues holds strings (sort key, id).
      parsed.every((v) => typeof v === "string" && v.length <= 500 && !v.includes("\u0000"))
    ) {
      return parsed as (string | number)[];
    }
  } catch {
    // fall through
  }
  throw new BadUserInputError(field, "is not a cursor issued by this API");
}

/** Builds a connection from `limit + 1` fetched rows. */
export function toConnection<T>(
  rows: T[],
  limit: number,
  totalCount: number,
  cursorOf: (row: T) => (string | number)[],
  hasPrevious: boolean,
): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
