import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, type Viewer } from "@yhdyspinta/core";
import { Area } from "../area/area.entity.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { CooperationLevel, LiaisonRole } from "../liaison/liaison.entity.ts";
import { Meeting } from "../meeting/meeting.entity.ts";
import { Membership } from "../membership/membership.entity.ts";
import { NominationRound } from "../nomination/nomination.entity.ts";
import { GroupSeat } from "../seat/seat.entity.ts";

/**
 * Record types of this subgraph that carry provenance, by GraphQL type name,
 * each with how to find a record's county (read in the writing transaction).
 */
const COUNTY_OF: Record<string, (tx: EntityManager, id: string) => Promise<string | null | undefined>> = {
  CooperationGroup: async (tx, id) => (await tx.findOne(CooperationGroup, { id }))?.countyCode,
  GroupSeat: async (tx, id) => groupCounty(tx, (await tx.findOne(GroupSeat, { id }))?.groupId),
  Membership: async (tx, id) => groupCounty(tx, (await tx.findOne(Membership, { id }))?.groupId),
  NominationRound: async (tx, id) => (await tx.findOne(NominationRound, { id }))?.countyCode,
  GroupMeeting: async (tx, id) => groupCounty(tx, (await tx.findOne(Meeting, { id }))?.groupId),
  CooperationLevel: async (tx, id) => (await tx.findOne(CooperationLevel, { id }))?.countyCode,
  LiaisonRole: async (tx, id) => (await tx.findOne(LiaisonRole, { id }))?.countyCode,
  Area: async (tx, id) => (await tx.findOne(Area, { id }))?.countyCode,
};

async function groupCounty(tx: EntityManager, groupId: string | undefined): Promise<string | undefined> {
  return groupId ? (await tx.findOne(CooperationGroup, { id: groupId }))?.countyCode : undefined;
}

/**
 * Before a record's provenance is re-confirmed: the type is one of this
 * subgraph's sourced types (BAD_USER_INPUT naming `recordType`), the record
 * exists (BAD_USER_INPUT naming `id`) and the caller may write its county
 * (FORBIDDEN naming it).
 */
export async function checkConfirmable(tx: EntityManager, viewer: Viewer, recordType: string, id: string): Promise<void> {
  const countyOf = Object.hasOwn(COUNTY_OF, recordType) ? COUNTY_OF[recordType] : undefined;
  if (!countyOf) throw new BadUserInputError("recordType", `must be one of ${Object.keys(COUNTY_OF).join(", ")}`);
  const county = await countyOf(tx, id);
  if (county === undefined) throw new BadUserInputError("id", `no ${recordType} "${id}"`);
  assertCanWriteCounty(viewer, county);
}
