import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, refuse, RowRefused, sameValue, validateInput, writeProvenance, type FieldChange, type ImportKindHandler, type ReferenceChecker, type RowProblem } from "@yhdyspinta/core";
import { checkReferences } from "../county-scope.rules.ts";
import { CooperationGroup, GroupMunicipality } from "../group/group.entity.ts";
import { CooperationGroupKind } from "../group/group-kind.ts";
import { checkGroupLinks, checkGroupName, checkGroupNotEnded, lockGroupFor } from "../group/group.rules.ts";
import { CreateCooperationGroupInput, CreateGroupSeatInput, EditCooperationGroupInput } from "../group-workflow/group-workflow.inputs.ts";
import { activeGroupNamed, meetingStartingAt } from "../group-workflow/natural-keys.queries.ts";
import { Membership, MembershipRole } from "../membership/membership.entity.ts";
import { checkDeputyOf, checkMembershipDates, checkMembershipEnd, checkMembershipRules } from "../membership/membership.rules.ts";
import { RecordMembershipInput, ScheduleMeetingInput } from "../coordination/coordination.input.ts";
import { Meeting, MeetingKind } from "../meeting/meeting.entity.ts";
import { checkMeetingStart, checkMeetingTimes } from "../meeting/meeting.rules.ts";
import { GroupSeat, SeatConstituency } from "../seat/seat.entity.ts";
import { checkSeatConstituency, checkSeatHolders, checkSeatLabel, checkSeatLimits } from "../seat/seat.rules.ts";

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
const optional = (text: string | undefined): string | null | undefined => (text === undefined ? undefined : text.trim() || null);

function enumCell<T extends string>(values: Record<string, T>, text: string, column: string): T {
  const wanted = text.trim().toLowerCase().replace(/[ -]/g, "_");
  const found = Object.values(values).find((v) => v === wanted);
  if (!found) refuse(column, `must be one of ${Object.values(values).join(", ")}`);
  return found;
}

function dateCell(text: string | undefined, column: string): string | null | undefined {
  const value = optional(text);
  if (value === undefined || value === null) return value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    refuse(column, "must be a date YYYY-MM-DD");
  }
  return value;
}

function countOf(text: string | undefined, column: string): number | null | undefined {
  const value = optional(text);
  if (value === undefined || value === null) return value;
  if (!/^\d{1,4}$/.test(value)) refuse(column, "must be a whole number");
  return Number(value);
}

/** Id of the group a row names by its name in the county. */
async function groupOf(tx: EntityManager, v: Record<string, string>, column: string): Promise<string> {
  const county = (v["county"] ?? "").trim();
  const name = (v[column] ?? "").trim();
  if (!county) refuse("county", "must not be blank");
  const id = await activeGroupNamed(tx, county, name, null);
  if (!id) refuse(column, `no group named "${name}" in county ${county}; import the groups first`, "NOT_FOUND");
  return id;
}

function changesOf(current: Record<string, unknown>, wanted: Record<string, unknown>): { changed: Record<string, unknown>; changes: FieldChange[] } {
  const changed: Record<string, unknown> = {};
  const changes: FieldChange[] = [];
  for (const [field, after] of Object.entries(wanted)) {
    if (after === undefined || sameValue(current[field], after)) continue;
    changed[field] = after;
    changes.push({ field, before: current[field] ?? null, after });
  }
  return { changed, changes };
}

export function groupImport({ references }: Deps): ImportKindHandler {
  const columnOf = { "input.name": "name", "input.kind": "kind", "input.shortName": "shortName", "input.description": "description", "input.municipalityCodes": "municipalities", "input.startsOn": "startsOn", "input.countyCode": "county", "input.groupId": "name" };
  return {
    columnOf,
    fallbackColumn: "county",
    async handle(tx, v, { viewer, provenance }) {
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
      const existingId = countyCode ? await activeGroupNamed(tx, countyCode, name, null) : null;
      if (!existingId) {
        if (!wanted.kind) refuse("kind", "is required for a new group");
        const input = Object.assign(new CreateCooperationGroupInput(), { countyCode, name, ...wanted });
        await validateInput(input, columnOf, "name");
        assertCanWriteCounty(viewer, countyCode);
        await checkReferences({ references, viewer }, [{ field: "input.municipalityCodes", type: "Municipality", keys: input.municipalityCodes ?? [] }]);
        await checkGroupName(tx, countyCode, name, null);
        const group = tx.create(CooperationGroup, {
          id: `group-${randomUUID()}`, countyCode, name, kind: input.kind, legalBasis: [], convenerIds: [], secretariatIds: [], annualNegotiation: false, tasks: [],
        });
        if (input.shortName !== undefined) group.shortName = input.shortName;
        if (input.description !== undefined) group.description = input.description;
        if (input.startsOn !== undefined) group.startsOn = input.startsOn;
        await checkGroupLinks(tx, group);
        for (const code of input.municipalityCodes ?? []) tx.create(GroupMunicipality, { groupId: group.id, municipalityCode: code });
        await tx.flush();
        await writeProvenance(tx, "CooperationGroup", group.id, provenance);
        return { status: "created", key, id: group.id };
      }
      await lockGroupFor(tx, viewer, existingId, "input.groupId");
      const group = await tx.findOneOrFail(CooperationGroup, { id: existingId }, { refresh: true });
      const links = await tx.find(GroupMunicipality, { groupId: group.id });
      const current = { kind: group.kind, shortName: group.shortName, description: group.description, startsOn: group.startsOn, municipalityCodes: links.map((l) => l.municipalityCode).sort() };
      const { changed, changes } = changesOf(current, wanted);
      if (changes.length === 0) return { status: "unchanged", key, id: group.id };
      const input = Object.assign(new EditCooperationGroupInput(), { groupId: group.id, ...changed });
      await validateInput(input, columnOf, "name");
      if (input.municipalityCodes) await checkReferences({ references, viewer }, [{ field: "input.municipalityCodes", type: "Municipality", keys: input.municipalityCodes }]);
      if (input.kind) group.kind = input.kind;
      if (input.shortName !== undefined) group.shortName = input.shortName;
      if (input.description !== undefined) group.description = input.description;
      if (input.startsOn !== undefined) group.startsOn = input.startsOn;
      await checkGroupLinks(tx, group);
      if (input.municipalityCodes) {
        const wantedCodes = new Set(input.municipalityCodes);
        for (const link of links) if (!wantedCodes.has(link.municipalityCode)) tx.remove(link);
        const have = new Set(links.map((l) => l.municipalityCode));
        for (const code of wantedCodes) if (!have.has(code)) tx.create(GroupMunicipality, { groupId: group.id, municipalityCode: code });
      }
      await tx.flush();
      await writeProvenance(tx, "CooperationGroup", group.id, provenance);
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

export function seatImport({ references }: Deps): ImportKindHandler {
  const columnOf = {
    "input.groupId": "group", "input.label": "label", "input.constituency": "constituency", "input.municipalityCode": "municipality", "input.organisationId": "organisation",
    "input.categoryId": "category", "input.maxMembers": "maxMembers", "input.minMembers": "maxMembers", "input.deputies": "deputies",
  };
  return {
    columnOf,
    fallbackColumn: "county",
    async handle(tx, v, { viewer, provenance }) {
      if (v["__problems"]) throw new RowRefused(JSON.parse(v["__problems"]) as RowProblem[]);
      const label = (v["label"] ?? "").trim();
      if (!label) refuse("label", "must not be blank");
      const groupId = await groupOf(tx, v, "group");
      const seatKey: SeatKeyCells = {
        municipalityCode: resolvedCell(v, "municipality", "municipalityCode"),
        organisationId: resolvedCell(v, "organisation", "organisationId"),
        categoryId: resolvedCell(v, "category", "categoryId"),
      };
      const constituencyNamed = [v["municipality"], v["organisation"], v["category"]].map((c) => (c ?? "").trim()).filter((c) => c !== "");
      const key = `${label}${constituencyNamed.length ? ` ${constituencyNamed.join(", ")}` : ""} (${(v["group"] ?? "").trim()})`;
      const same = await tx.find(GroupSeat, { groupId, endsOn: null }, { orderBy: { ordinal: "asc" } });
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
        await checkReferences({ references, viewer }, [
          { field: "input.categoryId", type: "OrganisationCategory", keys: [input.categoryId ?? ""] },
          { field: "input.municipalityCode", type: "Municipality", keys: [input.municipalityCode ?? ""] },
          { field: "input.organisationId", type: "Organisation", keys: [input.organisationId ?? ""] },
        ]);
        const group = await lockGroupFor(tx, viewer, groupId, "input.groupId");
        checkGroupNotEnded(group, "input.groupId");
        await checkSeatLabel(tx, { groupId, label, municipalityCode: input.municipalityCode ?? null, organisationId: input.organisationId ?? null, categoryId: input.categoryId ?? null }, null);
        const last = await tx.findOne(GroupSeat, { groupId }, { orderBy: { ordinal: "desc" } });
        const seat = tx.create(GroupSeat, {
          id: `seat-${randomUUID()}`, groupId, ordinal: (last?.ordinal ?? 0) + 1, constituency: input.constituency, label,
          categoryId: input.categoryId ?? null, municipalityCode: input.municipalityCode ?? null, organisationId: input.organisationId ?? null, minMembers: null,
          maxMembers: input.maxMembers ?? null, deputies: input.deputies ?? null, deputiesOptionalWhenSeveralMembers: false, speakingRightOnly: false, endsOn: null,
        });
        await tx.flush();
        await writeProvenance(tx, "GroupSeat", seat.id, provenance);
        return { status: "created", key, id: seat.id };
      }
      await lockGroupFor(tx, viewer, groupId, "input.groupId");
      const seat = await tx.findOneOrFail(GroupSeat, { id: existing.id }, { refresh: true });
      const { changed, changes } = changesOf({ constituency: seat.constituency, maxMembers: seat.maxMembers, deputies: seat.deputies }, wanted);
      if (changes.length === 0) return { status: "unchanged", key, id: seat.id };
      if ("constituency" in changed) refuse("constituency", "a seat's constituency does not change; end the seat and add a new one");
      const maxMembers = (changed["maxMembers"] !== undefined ? changed["maxMembers"] : seat.maxMembers) as number | null;
      const deputies = (changed["deputies"] !== undefined ? changed["deputies"] : seat.deputies) as number | null;
      checkSeatLimits(seat.minMembers, maxMembers);
      await checkSeatHolders(tx, seat, maxMembers, deputies);
      Object.assign(seat, { maxMembers, deputies });
      await tx.flush();
      await writeProvenance(tx, "GroupSeat", seat.id, provenance);
      return { status: "updated", key, id: seat.id, changes };
    },
  };
}

export function membershipImport({ references }: Deps): ImportKindHandler {
  const columnOf = {
    "input.groupId": "group", "input.personId": "person", "input.organisationId": "organisation", "input.role": "role", "input.startsOn": "startsOn",
    "input.endsOn": "endsOn", "input.seatId": "seat", "input.deputyOfId": "deputyOf", "input.title": "title", "input.membershipId": "startsOn",
  };
  return {
    columnOf,
    fallbackColumn: "county",
    async handle(tx, v, { viewer, provenance }) {
      if (v["__problems"]) throw new RowRefused(JSON.parse(v["__problems"]) as RowProblem[]);
      const groupId = await groupOf(tx, v, "group");
      const personId = v["personId"]!;
      const organisationId = v["organisationId"]!;
      const role = enumCell(MembershipRole, v["role"] ?? "", "role");
      const startsOn = dateCell(v["startsOn"], "startsOn");
      if (!startsOn) refuse("startsOn", "must not be blank");
      const endsOn = dateCell(v["endsOn"], "endsOn") ?? null;
      const title = optional(v["title"]) ?? null;
      const key = `${(v["person"] ?? "").trim()}, ${(v["group"] ?? "").trim()}, ${startsOn}`;
      let seatId: string | null = null;
      if (v["seat"]?.trim()) {
        const label = v["seat"].trim();
        const seats = (await tx.find(GroupSeat, { groupId }, { orderBy: { ordinal: "asc" } })).filter((s) => s.endsOn === null || s.endsOn >= startsOn);
        const seatKey: SeatKeyCells = {
          municipalityCode: resolvedCell(v, "seatMunicipality", "seatMunicipalityCode"),
          organisationId: resolvedCell(v, "seatOrganisation", "seatOrganisationId"),
          categoryId: resolvedCell(v, "seatCategory", "seatCategoryId"),
        };
        const seat = seatByKey(seats, label, seatKey, { label: "seat", municipalityCode: "seatMunicipality", organisationId: "seatOrganisation", categoryId: "seatCategory" }, {
          organisationId,
          municipalityCode: v["municipalityCode"],
        });
        if (!seat) refuse("seat", `the group has no seat labelled "${label}"${Object.values(seatKey).some(Boolean) ? " for the seat columns' municipality, organisation or category" : ""}`, "NOT_FOUND");
        seatId = seat.id;
      }
      const existing = await tx.findOne(Membership, { groupId, personId, startsOn, correctedAt: null });
      if (!existing) {
        let deputyOfId: string | null = null;
        if (v["deputyOfPersonId"]) {
          const member = await tx.findOne(Membership, { groupId, personId: v["deputyOfPersonId"], correctedAt: null, startsOn: { $lte: endsOn ?? "9999-12-31" }, $or: [{ endsOn: null }, { endsOn: { $gte: startsOn } }] });
          if (!member) refuse("deputyOf", `"${v["deputyOf"]!.trim()}" holds no membership of this group on these dates`, "NOT_FOUND");
          deputyOfId = member.id;
        }
        const input = Object.assign(new RecordMembershipInput(), { groupId, personId, organisationId, role, startsOn, endsOn, seatId, deputyOfId, title });
        await validateInput(input, columnOf, "person");
        checkMembershipDates(input.startsOn, input.endsOn);
        checkDeputyOf(input.role, input.deputyOfId);
        await checkReferences({ references, viewer }, [
          { field: "input.personId", type: "Person", keys: [personId] },
          { field: "input.organisationId", type: "Organisation", keys: [organisationId] },
        ]);
        const group = await lockGroupFor(tx, viewer, groupId, "input.groupId");
        const storedSeat = await checkMembershipRules(tx, { groupId, personId, role, startsOn, endsOn, seatId, deputyOfId }, null, group.endsOn);
        const membership = tx.create(Membership, { id: randomUUID(), groupId, personId, organisationId, role, startsOn, endsOn, seatId: storedSeat, deputyOfId, title });
        await tx.flush();
        await writeProvenance(tx, "GroupMembership", membership.id, provenance);
        return { status: "created", key, id: membership.id };
      }
      await lockGroupFor(tx, viewer, groupId, "input.groupId");
      const m = await tx.findOneOrFail(Membership, { id: existing.id }, { refresh: true });
      const { changed, changes } = changesOf({ organisationId: m.organisationId, role: m.role, seatId: m.seatId, title: m.title, endsOn: m.endsOn }, { organisationId, role, ...(v["seat"] !== undefined ? { seatId } : {}), ...(v["title"] !== undefined ? { title } : {}), ...(v["endsOn"] !== undefined ? { endsOn } : {}) });
      if (changes.length === 0) return { status: "unchanged", key, id: m.id };
      const fixed = Object.keys(changed).find((f) => f !== "endsOn");
      if (fixed) {
        const column = { organisationId: "organisation", seatId: "seat" }[fixed] ?? fixed;
        refuse(column, "an existing membership's role, seat, organisation and title do not change; end it and record a new one");
      }
      if (endsOn === null) refuse("endsOn", `the membership already ended on ${m.endsOn}; an end is not removed`);
      checkMembershipEnd(m, endsOn);
      m.endsOn = endsOn;
      await tx.flush();
      await writeProvenance(tx, "GroupMembership", m.id, provenance);
      return { status: "updated", key, id: m.id, changes };
    },
  };
}

/** An instant a cell gives: ISO 8601 with an offset, or `YYYY-MM-DD HH:MM` in Helsinki time. */
export function instantCell(text: string | undefined, column: string): Date | null | undefined {
  const value = optional(text);
  if (value === undefined || value === null) return value;
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2})[:.](\d{2})$/.exec(value);
  if (local) {
    const [y, mo, d, h, mi] = local.slice(1).map(Number) as [number, number, number, number, number];
    const wanted = Date.UTC(y, mo - 1, d, h, mi);
    const format = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Helsinki", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
    const offsetAt = (t: number) => {
      const parts = Object.fromEntries(format.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
      return Date.UTC(Number(parts["year"]), Number(parts["month"]) - 1, Number(parts["day"]), Number(parts["hour"]), Number(parts["minute"])) - t;
    };
    const instant = wanted - offsetAt(wanted - offsetAt(wanted));
    if (!Number.isNaN(instant)) return new Date(instant);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value);
  refuse(column, "must be a time: YYYY-MM-DD HH:MM (Helsinki) or ISO 8601 with an offset");
}

export function meetingImport(): ImportKindHandler {
  const columnOf = { "input.groupId": "group", "input.kind": "kind", "input.title": "title", "input.startsAt": "startsAt", "input.endsAt": "endsAt", "input.location": "location" };
  return {
    columnOf,
    fallbackColumn: "county",
    async handle(tx, v, { viewer, provenance }) {
      const groupId = await groupOf(tx, v, "group");
      const startsAt = instantCell(v["startsAt"], "startsAt");
      if (!startsAt) refuse("startsAt", "must not be blank");
      const endsAt = instantCell(v["endsAt"], "endsAt") ?? null;
      const kind = v["kind"]?.trim() ? enumCell(MeetingKind, v["kind"], "kind") : MeetingKind.REGULAR;
      const title = optional(v["title"]) ?? null;
      const location = optional(v["location"]) ?? null;
      const key = `${(v["group"] ?? "").trim()}, ${(v["startsAt"] ?? "").trim()}`;
      const existingId = await meetingStartingAt(tx, groupId, startsAt);
      if (existingId) {
        await lockGroupFor(tx, viewer, groupId, "input.groupId");
        const meeting = await tx.findOneOrFail(Meeting, { id: existingId });
        const current = { kind: meeting.kind, title: meeting.title, location: meeting.location, endsAt: meeting.endsAt?.toISOString() ?? null };
        const wanted = { kind, ...(v["title"] !== undefined ? { title } : {}), ...(v["location"] !== undefined ? { location } : {}), ...(v["endsAt"] !== undefined ? { endsAt: endsAt?.toISOString() ?? null } : {}) };
        const { changes } = changesOf(current, wanted);
        if (changes.length === 0) return { status: "unchanged", key, id: meeting.id };
        refuse(changes[0]!.field, "a scheduled meeting is not changed by an import; the file must repeat what is recorded");
      }
      const input = Object.assign(new ScheduleMeetingInput(), { groupId, kind, title, startsAt, endsAt, location });
      await validateInput(input, columnOf, "startsAt");
      checkMeetingTimes(input.startsAt, input.endsAt);
      await lockGroupFor(tx, viewer, groupId, "input.groupId");
      await checkMeetingStart(tx, groupId, startsAt);
      const meeting = tx.create(Meeting, { id: randomUUID(), groupId, kind, title, startsAt, endsAt, location, agenda: [] });
      await tx.flush();
      await writeProvenance(tx, "GroupMeeting", meeting.id, provenance);
      return { status: "created", key, id: meeting.id };
    },
  };
}
