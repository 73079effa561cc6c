import type { EntityManager } from "@mikro-orm/postgresql";
import type { CountyOfRecord } from "@yhdyspinta/core";
import { Area } from "../area/area.entity.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { CooperationLevel, LiaisonRole } from "../liaison/liaison.entity.ts";
import { Meeting } from "../meeting/meeting.entity.ts";
import { Membership } from "../membership/membership.entity.ts";
import { NominationRound } from "../nomination/nomination.entity.ts";
import { GroupSeat } from "../seat/seat.entity.ts";

/**
 * Record types of this subgraph that carry provenance, by GraphQL type name,
 * each with how to find a record's county (read in the writing transaction;
 * `confirmGroupRecord` checks a record through it).
 */
export const COUNTY_OF: Record<string, CountyOfRecord> = {
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
