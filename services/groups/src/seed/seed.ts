import type { EntityData, EntityManager } from "@mikro-orm/postgresql";
import { Area, AreaMunicipality } from "../area/area.entity.ts";
import { CooperationGroup, GroupContact, GroupMunicipality } from "../group/group.entity.ts";
import { CooperationLevel, LiaisonRole } from "../liaison/liaison.entity.ts";
import { Meeting } from "../meeting/meeting.entity.ts";
import { Membership } from "../membership/membership.entity.ts";
import { NominationRound, NominationRoundGroup, Nominator } from "../nomination/nomination.entity.ts";
import { GroupSeat } from "../seat/seat.entity.ts";
import { GroupTerm, Term } from "../term/term.entity.ts";
import { demo } from "./data.ts";
import { seedGroupSources } from "../provenance/seed.ts";

/**
 * Creates the rows whose ids are missing; rows already present are left as
 * coordinators may have changed them. Seed rows leave out the properties whose
 * defaults the entity class sets, hence `EntityData` created with `partial`
 * (a typing option only: the constructor still sets those defaults).
 */
async function insertMissing<T extends { id: string }>(
  em: EntityManager,
  entity: new () => T,
  rows: (EntityData<T> & { id: string })[],
): Promise<void> {
  // Every seeded entity has a string `id`: look the ids up through that shape.
  const keyed: new () => { id: string } = entity;
  const existing = new Set((await em.find(keyed, { id: { $in: rows.map((r) => r.id) } })).map((e) => e.id));
  for (const row of rows) if (!existing.has(row.id)) em.create(entity, row, { partial: true });
}

/**
 * Loads the demo data (seeds 000–004, see `data.ts`). Idempotent: it runs at
 * every start. Groups are reference descriptions and are brought up to date;
 * other rows are only added when missing, so recorded changes survive.
 */
export async function seed(em: EntityManager): Promise<void> {
  const groupIds = demo.groups.map((g) => g.id);
  const existingGroups = new Map((await em.find(CooperationGroup, { id: { $in: groupIds } })).map((g) => [g.id, g]));
  const links = new Set(
    (await em.find(GroupMunicipality, { groupId: { $in: groupIds } })).map((l) => `${l.groupId}|${l.municipalityCode}`),
  );
  for (const { municipalities, ...data } of demo.groups) {
    const group = existingGroups.get(data.id);
    const row: EntityData<CooperationGroup> = data;
    // A group's term fields follow its renewals (term/): an existing group keeps them.
    const { councilTerm: _term, termEndsOn: _ends, ...described } = row;
    if (group) em.assign(group, described);
    else em.create(CooperationGroup, row, { partial: true });
    for (const municipalityCode of municipalities) {
      if (!links.has(`${data.id}|${municipalityCode}`)) em.create(GroupMunicipality, { groupId: data.id, municipalityCode });
    }
  }

  await insertMissing(em, Area, demo.areas.map((a) => a.area));
  const areaLinks = new Set(
    (await em.find(AreaMunicipality, { areaId: { $in: demo.areas.map((a) => a.area.id) } })).map((l) => `${l.areaId}|${l.municipalityCode}`),
  );
  for (const { area, municipalities } of demo.areas) {
    municipalities.forEach((municipalityCode, i) => {
      if (!areaLinks.has(`${area.id}|${municipalityCode}`)) em.create(AreaMunicipality, { areaId: area.id, municipalityCode, ordinal: i + 1 });
    });
  }

  await insertMissing(em, Term, demo.terms);
  // A group term is one per group and term: one the migration made from the group's councilTerm under another id stays.
  const termPairs = new Set((await em.find(GroupTerm, { groupId: { $in: demo.groupTerms.map((t) => t.groupId) } })).map((t) => `${t.groupId}|${t.termId}`));
  await insertMissing(em, GroupTerm, demo.groupTerms.filter((t) => !termPairs.has(`${t.groupId}|${t.termId}`)));
  await insertMissing(em, GroupSeat, demo.seats);
  await insertMissing(em, CooperationLevel, demo.levels);
  await insertMissing(em, LiaisonRole, demo.liaisons);
  await insertMissing(em, Membership, demo.memberships);
  await insertMissing(em, Meeting, demo.meetings);

  const contactKeys = new Set(
    (await em.find(GroupContact, { groupId: { $in: demo.contacts.map((c) => c.groupId) } })).map((c) => `${c.groupId}|${c.personId}`),
  );
  for (const contact of demo.contacts) {
    if (!contactKeys.has(`${contact.groupId}|${contact.personId}`)) em.create(GroupContact, contact);
  }

  await insertMissing(em, NominationRound, demo.rounds.map((r) => r.round));
  await insertMissing(em, Nominator, demo.rounds.flatMap((r) => r.nominators));
  const roundGroups = new Set(
    (await em.find(NominationRoundGroup, { roundId: { $in: demo.rounds.map((r) => r.round.id) } })).map((l) => `${l.roundId}|${l.groupId}`),
  );
  for (const { round, groupIds: ids } of demo.rounds) {
    for (const groupId of ids) if (!roundGroups.has(`${round.id}|${groupId}`)) em.create(NominationRoundGroup, { roundId: round.id, groupId });
  }
  await em.flush();
  await seedGroupSources(em);
}
