import { findRows } from "@yhdyspinta/core";
import { Ctx, Directive, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { Nominator } from "../nomination/nomination.entity.ts";
import { GroupSeat } from "../seat/seat.entity.ts";
import { OrganisationCategoryRef } from "./references.ts";

/** How many referrers of each kind `groupReferrers` names at most. */
const NAMED = 5;

/**
 * What of this subgraph names an organisation category by key: its seats and
 * nominators. The organisations subgraph asks it (as an `_entities` read)
 * before removing a category entered by mistake.
 */
@Resolver(() => OrganisationCategoryRef)
export class CategoryReferrersResolver {
  @FieldResolver(() => [String], {
    description:
      'Seats and nominators of this subgraph that name the category, e.g. `GroupSeat "seat-…"` (at most 5 of each kind); empty when none. Read by the organisations subgraph before it removes a category.',
  })
  @Directive('@tag(name: "internal")')
  async groupReferrers(@Root() category: OrganisationCategoryRef, @Ctx() { em }: Context): Promise<string[]> {
    const [seats, nominators] = await Promise.all([
      findRows(em, GroupSeat, { categoryId: category.id }, { id: "asc" }, { limit: NAMED }),
      findRows(em, Nominator, { categoryId: category.id }, { id: "asc" }, { limit: NAMED }),
    ]);
    return [...seats.map((s) => `GroupSeat "${s.id}"`), ...nominators.map((n) => `Nominator "${n.id}"`)];
  }
}
