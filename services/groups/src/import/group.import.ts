import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { GraphQLError } from "graphql";
import { assertCanWriteCounty, chunkReads, dateCell, type FieldChange, fieldChanges, helsinkiToday, type ImportKindHandler, optional, type ReferenceCheck, type ReferenceChecker, refuse, type RowProblem, RowRefused, sameValue, validateInput, type Viewer } from "@yhdyspinta/core";
import { checkReferences } from "../county-scope.rules.ts";
import { CooperationGroup, GroupMunicipality } from "../group/group.entity.ts";
import { CooperationGroupKind } from "../group/group-kind.ts";
import { checkGroupLinks, checkGroupName, checkGroupNotEnded } from "../group/group.rules.ts";
import { CreateCooperationGroupInput, CreateGroupSeatInput, EditCooperationGroupInput } from "../group-workflow/group-workflow.inputs.ts";
import { Membership, MembershipRole } from "../membership/membership.entity.ts";
import { checkDeputyOf, checkMembershipDates, checkMembershipEnd, checkMembershipRules, type MembershipRuleReads } from "../membership/membership.rules.ts";
import { overlappingMemberships, type LockedGroup, type OverlapRow } from "../coordination/coordination.queries.ts";
import { activeGroupsNamed, lockGroups, membershipsFrom } from "./import.queries.ts";
import { RecordMembershipInput, ScheduleMeetingInput } from "../coordination/coordination.input.ts";
import { Meeting, MeetingKind } from "../meeting/meeting.entity.ts";
import { checkMeetingStart, checkMeetingTimes } from "../meeting/meeting.rules.ts";
import { GroupSeat, SeatConstituency } from "../seat/seat.entity.ts";
import { checkSeatConstituency, checkSeatHolders, checkSeatLabel, checkSeatLimits, type SeatRuleReads } from "../seat/seat.rules.ts";

/**
 * Groups, seats, memberships and meetings from spreadsheets (docs/IMPORT.md), through
 * the input classes and rules files of `createCooperationGroup`,
 * `editCooperationGroup`, `createGroupSeat`, `editGroupSeat`,
 * `recordMembership`, `endMembership` and `scheduleMeeting`. A group is matched by its name in
 * the county (the natural key of docs/NATURAL-KEYS.md), a seat by its label
 * in the group and its municipality, organisation or category (the key of
 * `checkSeatLabel`), a membership by group, person and first day, a meeting by
 * group and start. The people and
 * organisations a membership names are resolved by the gateway from their
 * natural keys (`personId`, `organisationId`, `deputyOfPersonId`).
 */

type Deps = { references: ReferenceChecker };

const listCell = (text: string) => [...new Set(text.split(/[;,\n]/).map((s) => s.trim()).filter((s) => s !== ""))].sort();

function enumCell<T extends string>(values: Record<string, T>, text: string, column: string): T {
  const wanted = text.trim().toLowerCase().replace(/[ -]/g, "_");
  const found = Object.values(values).find((v) => v === wanted);
  if (!found) refuse(column, `must be one of ${Object.values(values).join(", ")}`);
  return found;
}

function countOf(text: string | undefined, column: string): number | null | undefined {
  const value = optional(text);
  if (value === undefined || value === null) return value;
  if (!/^\d{1,4}$/.test(value)) refuse(column, "must be a whole number");
  return Number(value);
}


/** What a chunk of group rows read (`prepare`): the groups its rows name (with those its earlier rows created), their municipality links, the locks it took. */
interface GroupChunk {
  /** Group by `groupKey(county, lower-case name)`; null when none has that name. */
  byName: Map<string, CooperationGroup | null>;
  /** A group's municipality links as the chunk has left them, and those it removed (to add back), by group id. */
  links: Map<string, { live: Map<string, GroupMunicipality>; removed: Map<string, GroupMunicipality> }>;
  /** Groups the chunk's rows created (not locked: no other transaction sees them). */
  created: Set<string>;
  locks: Map<string, LockedGroup>;
}

const groupChunk = (chunk: Map<string, unknown>): GroupChunk => chunkReads<GroupChunk>(chunk, "groups");

const nameKey = (county: string, name: string) => groupKey(county, name.toLowerCase());

/**
 * The references of import rows that this file has not checked yet (kept in
 * `checked` as `Type:key`; blank keys left out), checked in one request to
 * the organisations subgraph and then remembered. For a chunk (`chunk:
 * true`) a refusal is left for its rows to meet one by one, so that the
 * report names the row; for a row it is the row's refusal.
 */
export async function checkNewReferences(
  deps: { references: ReferenceChecker; viewer: Viewer },
  checked: Set<string>,
  checks: readonly ReferenceCheck[],
  { chunk }: { chunk: boolean },
): Promise<void> {
  const fresh = checks.map((c) => ({ ...c, keys: [...new Set(c.keys.filter((k) => k !== "" && !checked.has(`${c.type}:${k}`)))] })).filter((c) => c.keys.length > 0);
  if (fresh.length === 0) return;
  try {
    await checkReferences(deps, fresh);
  } catch (error) {
    const code = error instanceof GraphQLError ? error.extensions["code"] : null;
    if (chunk && (code === "BAD_USER_INPUT" || code === "FORBIDDEN")) return;
    throw error;
  }
  for (const c of fresh) for (const k of c.keys) checked.add(`${c.type}:${k}`);
}

/** The people and the organisations (on whose behalf) that rows of memberships or nominations name, as reference checks. */
export function personAndOrganisationChecks(rows: readonly Record<string, string | undefined>[]): ReferenceCheck[] {
  return [
    { field: "input.personId", type: "Person", keys: rows.map((v) => v["personId"] ?? "") },
    { field: "input.organisationId", type: "Organisation", keys: rows.map((v) => v["organisationId"] ?? "") },
  ];
}

/**
 * Groups, chunked (`prepare`): the groups a chunk's rows name are found by
 * name in one query and locked in one, read with their municipality links
 * in two, the municipalities the rows name checked in one request to the
 * organisations subgraph (row by row only when that check refuses one, to
 * name the row); `checkGroupName` and the other rules of
 * `createCooperationGroup` and `editCooperationGroup` run per row on those
 * reads, a row seeing the groups earlier rows created or changed.
 */
export function groupImport({ references }: Deps): ImportKindHandler {
  const columnOf = { "input.name": "name", "input.kind": "kind", "input.shortName": "shortName", "input.description": "description", "input.municipalityCodes": "municipalities", "input.startsOn": "startsOn", "input.countyCode": "county", "input.groupId": "name" };
  return {
    columnOf,
    fallbackColumn: "county",
    async prepare(tx, rows, { viewer, memo: fileMemo, chunk: chunkMap }) {
      const memo = fileMemoOf(fileMemo);
      const pairs = new Map<string, [string, string]>();
      for (const v of rows) {
        const county = (v["county"] ?? "").trim();
        const name = (v["name"] ?? "").trim();
        if (county && name) pairs.set(nameKey(county, name), [county, name]);
      }
      const found = await activeGroupsNamed(tx, [...pairs.values()]);
      const ids = [...new Set(found.map((r) => r.id))];
      const locks = new Map<string, LockedGroup>();
      // The lock of lockGroupFor, before the groups are read.
      for (const g of await lockGroups(tx, ids.filter((id) => !memo.locked.has(id)))) locks.set(g.id, g);
      const groups = new Map((ids.length ? await tx.find(CooperationGroup, { id: { $in: ids } }, { refresh: true }) : []).map((g) => [g.id, g]));
      const chunk: GroupChunk = { byName: new Map(), links: new Map(), created: new Set(), locks };
      for (const key of pairs.keys()) chunk.byName.set(key, null);
      for (const r of found) chunk.byName.set(nameKey(r.county, r.name), groups.get(r.id) ?? null);
      for (const id of ids) chunk.links.set(id, { live: new Map(), removed: new Map() });
      if (ids.length > 0) for (const l of await tx.find(GroupMunicipality, { groupId: { $in: ids } })) chunk.links.get(l.groupId)!.live.set(l.municipalityCode, l);
      chunkMap.set("groups", chunk);
      // One reference check for the chunk's municipalities; a refused code is found again row by row.
      const codes = rows.flatMap((v) => (v["municipalities"] === undefined ? [] : listCell(v["municipalities"])));
      await checkNewReferences({ references, viewer }, memo.checked, [{ field: "input.municipalityCodes", type: "Municipality", keys: codes }], { chunk: true });
    },
    async afterFlush(_tx, { memo, chunk }) {
      keepLocks(fileMemoOf(memo), groupChunk(chunk).locks);
    },
    async handle(tx, v, { viewer, memo: fileMemo, chunk: chunkMap, stageProvenance }) {
      const memo = fileMemoOf(fileMemo);
      const chunk = groupChunk(chunkMap);
      const countyCode = (v["county"] ?? "").trim();
      const name = (v["name"] ?? "").trim();
      if (!name) refuse("name", "must not be blank");
      const wanted = {
        ...(v["kind"]?.trim() ? { kind: enumCell(CooperationGroupKind, v["kind"], "kind") } : {}),
        shortName: optional(v["shortName"]),
        description: optional(v["description"]),
        startsOn: dateCell(v["startsOn"], "startsOn"),
        municipalityCodes: v["municipalities"] === undefined ? undefined : listCell(v["municipalities"]),
      };
      const key = `${name} (${countyCode})`;
      const checkMunicipalities = async (codes: readonly string[]) => {
        await checkNewReferences({ references, viewer }, memo.checked, [{ field: "input.municipalityCodes", type: "Municipality", keys: codes }], { chunk: false });
      };
      const named = async (county: string, groupName: string, exceptId: string | null) => {
        const group = chunk.byName.get(nameKey(county, groupName));
        return group && group.id !== exceptId ? group.id : null;
      };
      const existing = countyCode ? chunk.byName.get(nameKey(countyCode, name)) : null;
      if (!existing) {
        if (!wanted.kind) refuse("kind", "is required for a new group");
        const input = Object.assign(new CreateCooperationGroupInput(), { countyCode, name, ...wanted });
        await validateInput(input, columnOf, "name");
        assertCanWriteCounty(viewer, countyCode);
        await checkMunicipalities(input.municipalityCodes ?? []);
        await checkGroupName(tx, countyCode, name, null, named);
        const group = tx.create(
          CooperationGroup,
          { id: `group-${randomUUID()}`, countyCode, name, kind: input.kind, legalBasis: [], convenerIds: [], secretariatIds: [], annualNegotiation: false, tasks: [] },
          { persist: false },
        );
        if (input.shortName !== undefined) group.shortName = input.shortName;
        if (input.description !== undefined) group.description = input.description;
        if (input.startsOn !== undefined) group.startsOn = input.startsOn;
        await checkGroupLinks(tx, group);
        tx.persist(group);
        const live = new Map<string, GroupMunicipality>();
        for (const code of input.municipalityCodes ?? []) live.set(code, tx.create(GroupMunicipality, { groupId: group.id, municipalityCode: code }));
        chunk.byName.set(nameKey(countyCode, name), group);
        chunk.links.set(group.id, { live, removed: new Map() });
        chunk.created.add(group.id);
        stageProvenance("CooperationGroup", group.id);
        return { status: "created", key, id: group.id };
      }
      const group = existing;
      if (chunk.created.has(group.id)) assertCanWriteCounty(viewer, group.countyCode);
      else lockedGroupOf(memo, chunk.locks, group.id, viewer);
      const links = chunk.links.get(group.id)!;
      const current = { kind: group.kind, shortName: group.shortName, description: group.description, startsOn: group.startsOn, municipalityCodes: [...links.live.keys()].sort() };
      const { changed, changes } = fieldChanges(current, wanted);
      if (changes.length === 0) return { status: "unchanged", key, id: group.id };
      const input = Object.assign(new EditCooperationGroupInput(), { groupId: group.id, ...changed });
      await validateInput(input, columnOf, "name");
      if (input.municipalityCodes) await checkMunicipalities(input.municipalityCodes);
      const before = { kind: group.kind, shortName: group.shortName, description: group.description, startsOn: group.startsOn };
      if (input.kind) group.kind = input.kind;
      if (input.shortName !== undefined) group.shortName = input.shortName;
      if (input.description !== undefined) group.description = input.description;
      if (input.startsOn !== undefined) group.startsOn = input.startsOn;
      try {
        await checkGroupLinks(tx, group);
      } catch (error) {
        // A refused row leaves the chunk's unit of work as it found it.
        Object.assign(group, before);
        throw error;
      }
      if (input.municipalityCodes) {
        const wantedCodes = new Set(input.municipalityCodes);
        for (const [code, link] of [...links.live]) {
          if (wantedCodes.has(code)) continue;
          tx.remove(link);
          links.live.delete(code);
          links.removed.set(code, link);
        }
        for (const code of wantedCodes) {
          if (links.live.has(code)) continue;
          const removed = links.removed.get(code);
          if (removed) {
            // Removed by an earlier row of the chunk: kept after all.
            tx.persist(removed);
            links.removed.delete(code);
            links.live.set(code, removed);
          } else links.live.set(code, tx.create(GroupMunicipality, { groupId: group.id, municipalityCode: code }));
        }
      }
      stageProvenance("CooperationGroup", group.id);
      return { status: "updated", key, id: group.id, changes: changes.map((c) => ({ ...c, field: c.field === "municipalityCodes" ? "municipalities" : c.field })) };
    },
  };
}

/** A seat's constituency as a row names it: ids and codes the gateway resolved from the cells, undefined where the row leaves a part out. */
interface SeatKeyCells {
  municipalityCode?: string | undefined;
  organisationId?: string | undefined;
  categoryId?: string | undefined;
}

/**
 * The seat a row names by its natural key (the key of `checkSeatLabel`):
 * label in the group plus the constituency's municipality, organisation
 * and category where the row gives them; the label alone when it is the
 * group's only such seat. `hints` (a membership's own organisation or
 * municipality) decide only when they leave exactly one seat. More than
 * one is refused as AMBIGUOUS naming the columns that would tell them
 * apart; null when none matches.
 */
function seatByKey(
  seats: readonly GroupSeat[],
  label: string,
  key: SeatKeyCells,
  columns: { label: string; municipalityCode: string; organisationId: string; categoryId: string },
  hints: SeatKeyCells = {},
): GroupSeat | null {
  const parts = ["municipalityCode", "organisationId", "categoryId"] as const;
  let matches = seats.filter((s) => s.label.toLowerCase() === label.toLowerCase());
  for (const part of parts) if (key[part]) matches = matches.filter((s) => s[part] === key[part]);
  if (matches.length > 1) {
    for (const part of parts) {
      if (!hints[part]) continue;
      const hinted = matches.filter((s) => s[part] === hints[part]);
      if (hinted.length === 1) return hinted[0]!;
    }
    const apart = parts.filter((part) => !key[part] && new Set(matches.map((s) => s[part] ?? "")).size > 1);
    const named = (apart.length ? apart : parts.filter((part) => !key[part])).map((part) => columns[part]);
    refuse(named[0] ?? columns.label, `ambiguous: the group has ${matches.length} seats labelled "${label}"; tell them apart with the column${named.length > 1 ? "s" : ""} ${named.join(", ")}`, "AMBIGUOUS");
  }
  return matches[0] ?? null;
}

/** The resolved cell `key` when the row has column `column`, else undefined; a cell the gateway could not resolve has refused the row already. */
const resolvedCell = (v: Record<string, string>, column: string, key: string): string | undefined => (v[column]?.trim() ? v[key] : undefined);

/** What a chunk of seat rows read (`prepare`): the groups it locked, their seats (with those its earlier rows created) and their memberships from today on. */
interface SeatChunk {
  locks: Map<string, LockedGroup>;
  /** Every seat of the chunk's groups (ended ones too), in ordinal order, by group id. */
  seats: Map<string, GroupSeat[]>;
  reads: SeatRuleReads;
}

const seatChunk = (chunk: Map<string, unknown>): SeatChunk => chunkReads<SeatChunk>(chunk, "seats");

/** The reference types of a seat's constituency, by the row's resolved cell. */
const SEAT_REFERENCES = [
  { field: "input.categoryId", type: "OrganisationCategory", cell: "categoryId", column: "category" },
  { field: "input.municipalityCode", type: "Municipality", cell: "municipalityCode", column: "municipality" },
  { field: "input.organisationId", type: "Organisation", cell: "organisationId", column: "organisation" },
] as const;

/**
 * Seats, chunked (`prepare`): a chunk's groups are found by name in one
 * query and locked once per file, their seats and today's memberships read
 * in two, the municipalities, organisations and categories its rows name
 * checked in one request to the organisations subgraph (row by row only
 * when that check refuses one, to name the row); `checkSeatLabel` and
 * `checkSeatHolders` run per row on those reads, a row seeing the seats
 * earlier rows created.
 */
export function seatImport({ references }: Deps): ImportKindHandler {
  const columnOf = {
    "input.groupId": "group", "input.label": "label", "input.constituency": "constituency", "input.municipalityCode": "municipality", "input.organisationId": "organisation",
    "input.categoryId": "category", "input.maxMembers": "maxMembers", "input.minMembers": "maxMembers", "input.deputies": "deputies",
  };
  return {
    columnOf,
    fallbackColumn: "county",
    async prepare(tx, rows, { viewer, memo: fileMemo, chunk: chunkMap }) {
      const memo = fileMemoOf(fileMemo);
      const live = rows.filter((v) => !v["__problems"]);
      const { groupIds, locks } = await groupsOfChunk(tx, memo, live, "group");
      const seats = new Map<string, GroupSeat[]>();
      const holders = new Map<string, OverlapRow[]>();
      const from = helsinkiToday();
      if (groupIds.length > 0) {
        for (const seat of await tx.find(GroupSeat, { groupId: { $in: groupIds } }, { orderBy: { ordinal: "asc" } })) seats.set(seat.groupId, [...(seats.get(seat.groupId) ?? []), seat]);
        for (const m of await membershipsFrom(tx, groupIds, from)) holders.set(m.group_id, [...(holders.get(m.group_id) ?? []), m]);
      }
      const reads: SeatRuleReads = {
        labelled: async (key, exceptId) =>
          (seats.get(key.groupId) ?? []).find(
            (s) =>
              s.endsOn === null && s.label.toLowerCase() === key.label.toLowerCase() && (s.municipalityCode ?? "") === (key.municipalityCode ?? "") &&
              (s.organisationId ?? "") === (key.organisationId ?? "") && (s.categoryId ?? "") === (key.categoryId ?? "") && (exceptId === null || s.id !== exceptId),
          )?.id ?? null,
        // Past midnight since prepare, the day's holders are read as the mutation reads them.
        holdingFrom: async (groupId, day) => (day === from ? (holders.get(groupId) ?? []) : await overlappingMemberships(tx, groupId, day, null)),
      };
      chunkMap.set("seats", { locks, seats, reads } satisfies SeatChunk);
      // One reference check for the chunk's constituencies; a refused key is found again row by row.
      const checks = SEAT_REFERENCES.map((r) => ({ field: r.field, type: r.type, keys: live.map((v) => resolvedCell(v, r.column, r.cell) ?? "") }));
      await checkNewReferences({ references, viewer }, memo.checked, checks, { chunk: true });
    },
    async afterFlush(_tx, { memo, chunk }) {
      keepLocks(fileMemoOf(memo), seatChunk(chunk).locks);
    },
    async handle(tx, v, { viewer, memo: fileMemo, chunk: chunkMap, stageProvenance }) {
      if (v["__problems"]) throw new RowRefused(JSON.parse(v["__problems"]) as RowProblem[]);
      const memo = fileMemoOf(fileMemo);
      const chunk = seatChunk(chunkMap);
      const label = (v["label"] ?? "").trim();
      if (!label) refuse("label", "must not be blank");
      const groupId = groupIn(memo, v, "group");
      const seatKey: SeatKeyCells = {
        municipalityCode: resolvedCell(v, "municipality", "municipalityCode"),
        organisationId: resolvedCell(v, "organisation", "organisationId"),
        categoryId: resolvedCell(v, "category", "categoryId"),
      };
      const constituencyNamed = [v["municipality"], v["organisation"], v["category"]].map((c) => (c ?? "").trim()).filter((c) => c !== "");
      const key = `${label}${constituencyNamed.length ? ` ${constituencyNamed.join(", ")}` : ""} (${(v["group"] ?? "").trim()})`;
      let groupSeats = chunk.seats.get(groupId);
      if (!groupSeats) chunk.seats.set(groupId, (groupSeats = []));
      const same = groupSeats.filter((s) => s.endsOn === null);
      const existing = seatByKey(same, label, seatKey, { label: "label", municipalityCode: "municipality", organisationId: "organisation", categoryId: "category" });
      const wanted = {
        ...(v["constituency"]?.trim() ? { constituency: enumCell(SeatConstituency, v["constituency"], "constituency") } : {}),
        maxMembers: countOf(v["maxMembers"], "maxMembers"),
        deputies: countOf(v["deputies"], "deputies"),
      };
      if (!existing) {
        if (!wanted.constituency) refuse("constituency", "is required for a new seat");
        const input = Object.assign(new CreateGroupSeatInput(), {
          groupId, label, ...wanted, municipalityCode: seatKey.municipalityCode ?? null, organisationId: seatKey.organisationId ?? null, categoryId: seatKey.categoryId ?? null,
        });
        await validateInput(input, columnOf, "label");
        checkSeatConstituency(input);
        checkSeatLimits(null, input.maxMembers ?? null);
        const keyOf = { categoryId: input.categoryId, municipalityCode: input.municipalityCode, organisationId: input.organisationId };
        await checkNewReferences({ references, viewer }, memo.checked, SEAT_REFERENCES.map((r) => ({ field: r.field, type: r.type, keys: [keyOf[r.cell] ?? ""] })), { chunk: false });
        const group = lockedGroupOf(memo, chunk.locks, groupId, viewer);
        checkGroupNotEnded(group, "input.groupId");
        await checkSeatLabel(tx, { groupId, label, municipalityCode: input.municipalityCode ?? null, organisationId: input.organisationId ?? null, categoryId: input.categoryId ?? null }, null, chunk.reads);
        const last = groupSeats.reduce((max, s) => Math.max(max, s.ordinal), 0);
        const seat = tx.create(GroupSeat, {
          id: `seat-${randomUUID()}`, groupId, ordinal: last + 1, constituency: input.constituency, label,
          categoryId: input.categoryId ?? null, municipalityCode: input.municipalityCode ?? null, organisationId: input.organisationId ?? null, minMembers: null,
          maxMembers: input.maxMembers ?? null, deputies: input.deputies ?? null, deputiesOptionalWhenSeveralMembers: false, speakingRightOnly: false, endsOn: null,
        });
        groupSeats.push(seat);
        stageProvenance("GroupSeat", seat.id);
        return { status: "created", key, id: seat.id };
      }
      lockedGroupOf(memo, chunk.locks, groupId, viewer);
      const seat = existing;
      const { changed, changes } = fieldChanges({ constituency: seat.constituency, maxMembers: seat.maxMembers, deputies: seat.deputies }, wanted);
      if (changes.length === 0) return { status: "unchanged", key, id: seat.id };
      if ("constituency" in changed) refuse("constituency", "a seat's constituency does not change; end the seat and add a new one");
      const maxMembers = (changed["maxMembers"] !== undefined ? changed["maxMembers"] : seat.maxMembers) as number | null;
      const deputies = (changed["deputies"] !== undefined ? changed["deputies"] : seat.deputies) as number | null;
      checkSeatLimits(seat.minMembers, maxMembers);
      await checkSeatHolders(tx, seat, maxMembers, deputies, chunk.reads);
      Object.assign(seat, { maxMembers, deputies });
      stageProvenance("GroupSeat", seat.id);
      return { status: "updated", key, id: seat.id, changes };
    },
  };
}

/** What a chunked file of the groups subgraph has read once: group ids by their key in the rows, the groups it locked, the references it checked. */
interface FileMemo {
  /** Group id by `groupKey(county, name)` as the rows write them; null when no group has that name. */
  groups: Map<string, string | null>;
  /** Groups locked (`for update`) by a chunk that was flushed; the lock holds until the file's transaction ends. */
  locked: Map<string, LockedGroup>;
  /** `${type}:${id}` of the people and organisations the reference check passed. */
  checked: Set<string>;
}

/** What a chunk of membership rows read (`prepare`), with what its earlier rows created. */
interface MembershipChunk {
  /** Locks taken by this chunk (released if the chunk is rolled back; kept in the memo after its flush). */
  locks: Map<string, LockedGroup>;
  /** Seats of the chunk's groups, by group id. */
  seats: Map<string, GroupSeat[]>;
  /** Memberships (not corrected) of the chunk's groups, by group id, with those the chunk's rows created. */
  memberships: Map<string, Membership[]>;
  /** Membership by `existingKey(group, person, startsOn)`. */
  existing: Map<string, Membership>;
  reads: MembershipRuleReads;
}

const groupKey = (county: string, name: string) => `${county}\u0000${name}`;
const existingKey = (groupId: string, personId: string, startsOn: string | null) => `${groupId}|${personId}|${startsOn ?? ""}`;

function fileMemoOf(memo: Map<string, unknown>): FileMemo {
  let m = memo.get("groups-of-file") as FileMemo | undefined;
  if (!m) memo.set("groups-of-file", (m = { groups: new Map(), locked: new Map(), checked: new Set() }));
  return m;
}

/**
 * A chunk's groups, as chunked handlers read them in `prepare`: the groups
 * the rows name (by name in the county, column `column`) found in one query
 * (once per file), and those not locked yet locked in one (`lockGroupFor`'s
 * lock, held until the file's transaction ends). Returns the chunk's group
 * ids and the locks it took (kept in the memo by `keepLocks` after the
 * chunk's flush; a chunk rolled back to its savepoint has released them).
 */
async function groupsOfChunk(tx: EntityManager, memo: FileMemo, rows: readonly Record<string, string>[], column: string): Promise<{ groupIds: string[]; locks: Map<string, LockedGroup> }> {
  const wanted = new Map<string, [string, string]>();
  for (const v of rows) {
    const county = (v["county"] ?? "").trim();
    const name = (v[column] ?? "").trim();
    if (county && !memo.groups.has(groupKey(county, name))) wanted.set(groupKey(county, name), [county, name]);
  }
  if (wanted.size > 0) {
    const found = await activeGroupsNamed(tx, [...wanted.values()]);
    for (const key of wanted.keys()) memo.groups.set(key, null);
    for (const r of found) memo.groups.set(groupKey(r.county, r.name), r.id);
  }
  const groupIds = [...new Set(rows.map((v) => memo.groups.get(groupKey((v["county"] ?? "").trim(), (v[column] ?? "").trim()))).filter((id): id is string => !!id))];
  const locks = new Map<string, LockedGroup>();
  for (const g of await lockGroups(tx, groupIds.filter((id) => !memo.locked.has(id)))) locks.set(g.id, g);
  return { groupIds, locks };
}

/** After a chunk's flush: its group locks hold until the file's transaction ends. */
function keepLocks(memo: FileMemo, locks: ReadonlyMap<string, LockedGroup>): void {
  for (const [id, group] of locks) memo.locked.set(id, group);
}

/** The group a chunk locked (`groupsOfChunk`), its county checked as `lockGroupFor` checks it. */
function lockedGroupOf(memo: FileMemo, locks: ReadonlyMap<string, LockedGroup>, groupId: string, viewer: Viewer): LockedGroup {
  const group = locks.get(groupId) ?? memo.locked.get(groupId);
  if (!group) throw new Error(`group ${groupId} was not locked by the chunk's prepare`);
  assertCanWriteCounty(viewer, group.countyCode);
  return group;
}

const membershipChunk = (chunk: Map<string, unknown>): MembershipChunk => chunkReads<MembershipChunk>(chunk, "memberships");

/** Id of the group a row names by its name in the county, from the file's memo (`groupOf`'s rules and words). */
function groupIn(memo: FileMemo, v: Record<string, string>, column: string): string {
  const county = (v["county"] ?? "").trim();
  const name = (v[column] ?? "").trim();
  if (!county) refuse("county", "must not be blank");
  const id = memo.groups.get(groupKey(county, name));
  if (!id) refuse(column, `no group named "${name}" in county ${county}; import the groups first`, "NOT_FOUND");
  return id;
}

/**
 * The seat a membership row names (`seat`: its label, narrowed by the seat
 * columns' municipality, organisation or category, `seatByKey`) among the
 * seats of its group (in ordinal order) not ended before `startsOn`; null
 * when the row names none.
 */
export function seatFor(seats: readonly GroupSeat[], v: Record<string, string>, startsOn: string, organisationId: string): string | null {
  const label = v["seat"]?.trim();
  if (!label) return null;
  const open = seats.filter((s) => s.endsOn === null || s.endsOn >= startsOn);
  const seatKey: SeatKeyCells = {
    municipalityCode: resolvedCell(v, "seatMunicipality", "seatMunicipalityCode"),
    organisationId: resolvedCell(v, "seatOrganisation", "seatOrganisationId"),
    categoryId: resolvedCell(v, "seatCategory", "seatCategoryId"),
  };
  const seat = seatByKey(open, label, seatKey, { label: "seat", municipalityCode: "seatMunicipality", organisationId: "seatOrganisation", categoryId: "seatCategory" }, {
    organisationId,
    municipalityCode: v["municipalityCode"],
  });
  if (!seat) refuse("seat", `the group has no seat labelled "${label}"${Object.values(seatKey).some(Boolean) ? " for the seat columns' municipality, organisation or category" : ""}`, "NOT_FOUND");
  return seat.id;
}

/**
 * Memberships, chunked (`prepare`): a chunk's groups are found by name in one
 * query and locked once per file, their seats and memberships read in two,
 * the people and organisations its rows name checked in one request to the
 * organisations subgraph (row by row only when that check refuses a key, to
 * name the row); the rules (`checkMembershipRules`) run per row on those
 * reads, a row seeing what earlier rows of the file created.
 */
export function membershipImport({ references }: Deps): ImportKindHandler {
  const columnOf = {
    "input.groupId": "group", "input.personId": "person", "input.organisationId": "organisation", "input.role": "role", "input.startsOn": "startsOn",
    "input.endsOn": "endsOn", "input.seatId": "seat", "input.deputyOfId": "deputyOf", "input.title": "title", "input.membershipId": "startsOn",
  };
  return {
    columnOf,
    fallbackColumn: "county",
    async prepare(tx, rows, { viewer, memo: fileMemo, chunk: chunkMap }) {
      const memo = fileMemoOf(fileMemo);
      const live = rows.filter((v) => !v["__problems"]);
      // The group locks of lockGroupFor, taken once per file and before the group's memberships are read.
      const { groupIds, locks } = await groupsOfChunk(tx, memo, live, "group");
      const seats = new Map<string, GroupSeat[]>();
      const memberships = new Map<string, Membership[]>();
      const reads: MembershipRuleReads = {
        overlapping: async (groupId, startsOn, endsOn, excludeId) =>
          (memberships.get(groupId) ?? [])
            .filter((o) => o.correctedAt === null && (o.endsOn === null || o.endsOn >= startsOn) && (o.startsOn === null || endsOn === null || o.startsOn <= endsOn) && (excludeId === null || o.id !== excludeId))
            .map((o) => ({ id: o.id, person_id: o.personId, seat_id: o.seatId, role: o.role, deputy_of_id: o.deputyOfId })),
        seat: async (seatId, groupId) => (seats.get(groupId) ?? []).find((s) => s.id === seatId) ?? null,
      };
      const chunk: MembershipChunk = { locks, seats, memberships, existing: new Map(), reads };
      if (groupIds.length > 0) {
        for (const seat of await tx.find(GroupSeat, { groupId: { $in: groupIds } }, { orderBy: { ordinal: "asc" } })) seats.set(seat.groupId, [...(seats.get(seat.groupId) ?? []), seat]);
        for (const m of await tx.find(Membership, { groupId: { $in: groupIds }, correctedAt: null })) {
          let list = memberships.get(m.groupId);
          if (!list) memberships.set(m.groupId, (list = []));
          list.push(m);
          const key = existingKey(m.groupId, m.personId, m.startsOn);
          if (!chunk.existing.has(key)) chunk.existing.set(key, m);
        }
      }
      chunkMap.set("memberships", chunk);
      // One reference check for the chunk's people and organisations; a refused key is found again row by row.
      await checkNewReferences({ references, viewer }, memo.checked, personAndOrganisationChecks(live), { chunk: true });
    },
    async afterFlush(_tx, { memo, chunk }) {
      keepLocks(fileMemoOf(memo), membershipChunk(chunk).locks);
    },
    async handle(tx, v, { viewer, memo: fileMemo, chunk: chunkMap, stageProvenance }) {
      if (v["__problems"]) throw new RowRefused(JSON.parse(v["__problems"]) as RowProblem[]);
      const memo = fileMemoOf(fileMemo);
      const chunk = membershipChunk(chunkMap);
      const groupId = groupIn(memo, v, "group");
      const lockedGroup = () => lockedGroupOf(memo, chunk.locks, groupId, viewer);
      const personId = v["personId"]!;
      const organisationId = v["organisationId"]!;
      const role = enumCell(MembershipRole, v["role"] ?? "", "role");
      const startsOn = dateCell(v["startsOn"], "startsOn");
      if (!startsOn) refuse("startsOn", "must not be blank");
      const endsOn = dateCell(v["endsOn"], "endsOn") ?? null;
      const title = optional(v["title"]) ?? null;
      const key = `${(v["person"] ?? "").trim()}, ${(v["group"] ?? "").trim()}, ${startsOn}`;
      const seatId = seatFor(chunk.seats.get(groupId) ?? [], v, startsOn, organisationId);
      const existing = chunk.existing.get(existingKey(groupId, personId, startsOn));
      if (!existing) {
        let deputyOfId: string | null = null;
        if (v["deputyOfPersonId"]) {
          const member = (chunk.memberships.get(groupId) ?? []).find(
            (o) => o.personId === v["deputyOfPersonId"] && o.correctedAt === null && o.startsOn !== null && o.startsOn <= (endsOn ?? "9999-12-31") && (o.endsOn === null || o.endsOn >= startsOn),
          );
          if (!member) refuse("deputyOf", `"${v["deputyOf"]!.trim()}" holds no membership of this group on these dates`, "NOT_FOUND");
          deputyOfId = member.id;
        }
        const input = Object.assign(new RecordMembershipInput(), { groupId, personId, organisationId, role, startsOn, endsOn, seatId, deputyOfId, title });
        await validateInput(input, columnOf, "person");
        checkMembershipDates(input.startsOn, input.endsOn);
        checkDeputyOf(input.role, input.deputyOfId);
        await checkNewReferences({ references, viewer }, memo.checked, personAndOrganisationChecks([{ personId, organisationId }]), { chunk: false });
        const group = lockedGroup();
        const storedSeat = await checkMembershipRules(tx, { groupId, personId, role, startsOn, endsOn, seatId, deputyOfId }, null, group.endsOn, chunk.reads);
        const membership = tx.create(Membership, { id: randomUUID(), groupId, personId, organisationId, role, startsOn, endsOn, seatId: storedSeat, deputyOfId, title });
        let list = chunk.memberships.get(groupId);
        if (!list) chunk.memberships.set(groupId, (list = []));
        list.push(membership);
        chunk.existing.set(existingKey(groupId, personId, startsOn), membership);
        stageProvenance("GroupMembership", membership.id);
        return { status: "created", key, id: membership.id };
      }
      lockedGroup();
      const m = existing;
      const { changed, changes } = fieldChanges({ organisationId: m.organisationId, role: m.role, seatId: m.seatId, title: m.title, endsOn: m.endsOn }, { organisationId, role, ...(v["seat"] !== undefined ? { seatId } : {}), ...(v["title"] !== undefined ? { title } : {}), ...(v["endsOn"] !== undefined ? { endsOn } : {}) });
      if (changes.length === 0) return { status: "unchanged", key, id: m.id };
      const fixed = Object.keys(changed).find((f) => f !== "endsOn");
      if (fixed) {
        const column = { organisationId: "organisation", seatId: "seat" }[fixed] ?? fixed;
        refuse(column, "an existing membership's role, seat, organisation and title do not change; end it and record a new one");
      }
      if (endsOn === null) refuse("endsOn", `the membership already ended on ${m.endsOn}; an end is not removed`);
      checkMembershipEnd(m, endsOn);
      m.endsOn = endsOn;
      stageProvenance("GroupMembership", m.id);
      return { status: "updated", key, id: m.id, changes };
    },
  };
}

/** Helsinki wall-clock time of an instant (one formatter: making one costs about as much as a row's other checks). */
const helsinkiClock = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Helsinki", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });

/** An instant a cell gives: ISO 8601 with an offset, or `YYYY-MM-DD HH:MM` in Helsinki time. */
export function instantCell(text: string | undefined, column: string): Date | null | undefined {
  const value = optional(text);
  if (value === undefined || value === null) return value;
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2})[:.](\d{2})$/.exec(value);
  if (local) {
    const [y, mo, d, h, mi] = local.slice(1).map(Number) as [number, number, number, number, number];
    const wanted = Date.UTC(y, mo - 1, d, h, mi);
    const offsetAt = (t: number) => {
      const parts = Object.fromEntries(helsinkiClock.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
      return Date.UTC(Number(parts["year"]), Number(parts["month"]) - 1, Number(parts["day"]), Number(parts["hour"]), Number(parts["minute"])) - t;
    };
    const instant = wanted - offsetAt(wanted - offsetAt(wanted));
    if (!Number.isNaN(instant)) return new Date(instant);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value);
  refuse(column, "must be a time: YYYY-MM-DD HH:MM (Helsinki) or ISO 8601 with an offset");
}

/** What a chunk of meeting rows read (`prepare`): the groups it locked and the meetings at the rows' starts, with those its earlier rows created. */
interface MeetingChunk {
  locks: Map<string, LockedGroup>;
  /** Meeting by `meetingKey(group, start)`. */
  meetings: Map<string, Meeting>;
}

const meetingKey = (groupId: string, startsAt: Date) => `${groupId}|${startsAt.getTime()}`;

const meetingChunk = (chunk: Map<string, unknown>): MeetingChunk => chunkReads<MeetingChunk>(chunk, "meetings");

/**
 * Meetings, chunked (`prepare`): a chunk's groups are found by name in one
 * query and locked once per file, the meetings already at the rows' starts
 * read in one; `checkMeetingStart` and the other rules of `scheduleMeeting`
 * run per row on those reads, a row seeing the meetings earlier rows created.
 */
export function meetingImport(): ImportKindHandler {
  const columnOf = { "input.groupId": "group", "input.kind": "kind", "input.title": "title", "input.startsAt": "startsAt", "input.endsAt": "endsAt", "input.location": "location" };
  return {
    columnOf,
    fallbackColumn: "county",
    async prepare(tx, rows, { memo: fileMemo, chunk: chunkMap }) {
      const memo = fileMemoOf(fileMemo);
      const { groupIds, locks } = await groupsOfChunk(tx, memo, rows, "group");
      const starts = new Map<number, Date>();
      for (const v of rows) {
        try {
          const startsAt = instantCell(v["startsAt"], "startsAt");
          if (startsAt) starts.set(startsAt.getTime(), startsAt);
        } catch (error) {
          if (!(error instanceof RowRefused)) throw error;
        }
      }
      const meetings = new Map<string, Meeting>();
      if (groupIds.length > 0 && starts.size > 0) {
        for (const m of await tx.find(Meeting, { groupId: { $in: groupIds }, startsAt: { $in: [...starts.values()] } })) meetings.set(meetingKey(m.groupId, m.startsAt), m);
      }
      chunkMap.set("meetings", { locks, meetings } satisfies MeetingChunk);
    },
    async afterFlush(_tx, { memo, chunk }) {
      keepLocks(fileMemoOf(memo), meetingChunk(chunk).locks);
    },
    async handle(tx, v, { viewer, memo: fileMemo, chunk: chunkMap, stageProvenance }) {
      const memo = fileMemoOf(fileMemo);
      const chunk = meetingChunk(chunkMap);
      const groupId = groupIn(memo, v, "group");
      const startsAt = instantCell(v["startsAt"], "startsAt");
      if (!startsAt) refuse("startsAt", "must not be blank");
      const endsAt = instantCell(v["endsAt"], "endsAt") ?? null;
      const kind = v["kind"]?.trim() ? enumCell(MeetingKind, v["kind"], "kind") : MeetingKind.REGULAR;
      const title = optional(v["title"]) ?? null;
      const location = optional(v["location"]) ?? null;
      const key = `${(v["group"] ?? "").trim()}, ${(v["startsAt"] ?? "").trim()}`;
      const startingAt = async (g: string, at: Date) => chunk.meetings.get(meetingKey(g, at))?.id ?? null;
      const meeting = chunk.meetings.get(meetingKey(groupId, startsAt));
      if (meeting) {
        lockedGroupOf(memo, chunk.locks, groupId, viewer);
        const current = { kind: meeting.kind, title: meeting.title, location: meeting.location, endsAt: meeting.endsAt?.toISOString() ?? null };
        const wanted = { kind, ...(v["title"] !== undefined ? { title } : {}), ...(v["location"] !== undefined ? { location } : {}), ...(v["endsAt"] !== undefined ? { endsAt: endsAt?.toISOString() ?? null } : {}) };
        const { changes } = fieldChanges(current, wanted);
        if (changes.length === 0) return { status: "unchanged", key, id: meeting.id };
        refuse(changes[0]!.field, "a scheduled meeting is not changed by an import; the file must repeat what is recorded");
      }
      const input = Object.assign(new ScheduleMeetingInput(), { groupId, kind, title, startsAt, endsAt, location });
      await validateInput(input, columnOf, "startsAt");
      checkMeetingTimes(input.startsAt, input.endsAt);
      lockedGroupOf(memo, chunk.locks, groupId, viewer);
      await checkMeetingStart(tx, groupId, startsAt, startingAt);
      const created = tx.create(Meeting, { id: randomUUID(), groupId, kind, title, startsAt, endsAt, location, agenda: [] });
      chunk.meetings.set(meetingKey(groupId, startsAt), created);
      stageProvenance("GroupMeeting", created.id);
      return { status: "created", key, id: created.id };
    },
  };
}
