import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import { assertCanWriteCounty, chunkReads, dateCell, type FieldChange, helsinkiToday, type ImportKindHandler, type ReferenceChecker, refuse, type RowProblem, RowRefused, validateInput } from "@yhdyspinta/core";
import { SubmitNominationInput } from "../coordination/coordination.input.ts";
import { activeGroupsNamed } from "./import.queries.ts";
import { checkNewReferences, personAndOrganisationChecks } from "./group.import.ts";
import { Nomination, NominationRound, NominationRoundGroup, NominationStatus, Nominator, NominatorKind } from "../nomination/nomination.entity.ts";
import { checkDecision, checkSubmission, checkSubmissionParty, lockRoundForSubmission, lockSubmittingNominator, type SubmissionReads } from "../nomination/nomination.rules.ts";
import { recordStatus } from "../round-workflow/round-workflow.entity.ts";

/**
 * Nominations of a round from spreadsheets (docs/IMPORT.md): the lists
 * municipalities send back to a nomination request ("nimetkää 1–4
 * työntekijää 30.11.2023 mennessä"). Each row goes through
 * `SubmitNominationInput` and the rules `submitNomination` uses
 * (nomination.rules.ts: the round's window, the nominator asked, one standing
 * nomination per person and nominator, the per-nominator maximum), and a
 * status other than `submitted` through the decision rules (`NEXT`) of
 * `acceptNomination`, `rejectNomination` and `withdrawNomination`.
 *
 * Natural keys: the round by its name in the county (narrowed by its
 * deadline and a group it fills), the nominator by the municipality code the
 * round asks, the nominee by e-mail or name within the nominating
 * organisation (resolved by the gateway into `personId` and
 * `organisationId`). A nomination is the round's nomination of that person
 * by that nominator: the standing one (submitted or accepted), else the only
 * one; several decided ones are AMBIGUOUS.
 */

type Deps = { references: ReferenceChecker };

const YES = new Set(["x", "1", "yes", "true", "kyllä", "k", "y"]);
const NO = new Set(["", "0", "no", "false", "ei", "e", "n"]);

function yesNoCell(text: string | undefined, column: string): boolean | undefined {
  if (text === undefined) return undefined;
  const value = text.trim().toLowerCase();
  if (YES.has(value)) return true;
  if (NO.has(value)) return false;
  refuse(column, "must be kyllä/yes/x or ei/no (or empty for no)");
}

function statusCell(text: string | undefined): NominationStatus | undefined {
  const value = text?.trim().toLowerCase();
  if (!value) return undefined;
  const found = Object.values(NominationStatus).find((s) => s === value);
  if (!found) refuse("status", `must be one of ${Object.values(NominationStatus).join(", ")}`);
  return found;
}

/** What a chunk of nomination rows read (`prepare`), with what its earlier rows submitted or decided. */
interface NominationChunk {
  /** The rounds of the rows' counties named by a row (letter case aside), by county, in deadline order; locked `FOR SHARE`. */
  rounds: Map<string, NominationRound[]>;
  /** Group id by `county\u0000name` as the rows name them; null when no group has that name. */
  groups: Map<string, string | null>;
  /** The groups each round fills. */
  roundGroups: NominationRoundGroup[];
  /** The rounds' nominators, by round id, in ordinal order; locked `FOR UPDATE`. */
  nominators: Map<string, Nominator[]>;
  /** Every nomination of those nominators, by nominator id; locked `FOR UPDATE`. */
  nominations: Map<string, Nomination[]>;
  reads: SubmissionReads;
}

const nominationChunk = (chunk: Map<string, unknown>): NominationChunk => chunkReads<NominationChunk>(chunk, "nominations");

const groupKey = (county: string, name: string) => `${county}\u0000${name}`;
const bySubmission = (a: Nomination, b: Nomination) => (a.submittedOn < b.submittedOn ? -1 : a.submittedOn > b.submittedOn ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The round a row names: its name in the county, narrowed by its deadline and by a group it fills. */
function roundOf(chunk: NominationChunk, v: Record<string, string>): NominationRound {
  const county = (v["county"] ?? "").trim();
  const name = (v["round"] ?? "").trim();
  if (!county) refuse("county", "must not be blank");
  if (!name) refuse("round", "must not be blank");
  const closesOn = dateCell(v["closesOn"], "closesOn");
  let rounds = (chunk.rounds.get(county) ?? []).filter((r) => r.name.trim().toLowerCase() === name.toLowerCase());
  if (rounds.length === 0) refuse("round", `no nomination round named "${name}" in county ${county}`, "NOT_FOUND");
  if (closesOn) {
    rounds = rounds.filter((r) => r.closesOn === closesOn);
    if (rounds.length === 0) refuse("closesOn", `no round "${name}" in county ${county} closes on ${closesOn}`, "NOT_FOUND");
  }
  const group = (v["group"] ?? "").trim();
  if (group) {
    const groupId = chunk.groups.get(groupKey(county, group));
    if (!groupId) refuse("group", `no group named "${group}" in county ${county}`, "NOT_FOUND");
    const filling = new Set(chunk.roundGroups.filter((g) => g.groupId === groupId).map((g) => g.roundId));
    rounds = rounds.filter((r) => filling.has(r.id));
    if (rounds.length === 0) refuse("group", `no round "${name}" in county ${county} fills group "${group}"`, "NOT_FOUND");
  }
  if (rounds.length > 1) {
    refuse(closesOn ? "group" : "closesOn", `ambiguous: ${rounds.length} rounds in county ${county} are named "${name}" (closing ${rounds.map((r) => r.closesOn).join(", ")}); give the deadline or the group`, "AMBIGUOUS");
  }
  return rounds[0]!;
}

/** The nominator a row names: the municipality code the round asks (a round asking one party needs none). */
function nominatorOf(chunk: NominationChunk, round: NominationRound, v: Record<string, string>): Nominator {
  const text = (v["nominator"] ?? "").trim();
  const nominators = chunk.nominators.get(round.id) ?? [];
  if (!text) {
    if (nominators.length === 1) return nominators[0]!;
    refuse("nominator", `must name the municipality the round asks (${nominators.length} are asked)`);
  }
  if (!/^\d{3}$/.test(text)) refuse("nominator", "must be a 3-digit municipality code");
  const found = nominators.find((n) => n.kind === NominatorKind.MUNICIPALITY && n.municipalityCode === text);
  if (!found) refuse("nominator", `municipality ${text} is not asked to nominate in round "${round.name}"`, "NOT_FOUND");
  return found;
}

/**
 * Nominations, chunked (`prepare`): the rounds a chunk's rows name are read
 * and locked (`FOR SHARE`, as `lockRoundForSubmission`) in two queries, the
 * groups the rows name in one, the rounds' groups in one, their nominators
 * and those nominators' nominations read and locked (`FOR UPDATE`, as
 * `lockSubmittingNominator` and the decisions) in one each, and the people
 * and organisations the rows name checked in one request to the
 * organisations subgraph (row by row only when that check refuses one, to
 * name the row). `lockRoundForSubmission`, `lockSubmittingNominator` and
 * `checkSubmission` run per row on those reads (`SubmissionReads`), a row
 * seeing what earlier rows of the chunk submitted or decided.
 */
export function nominationImport({ references }: Deps): ImportKindHandler {
  const columnOf = {
    "input.roundId": "round", "input.municipalityCode": "nominator", "input.categoryId": "nominator", "input.personId": "person",
    "input.organisationId": "organisation", "input.asDeputy": "asDeputy", "input.submittedOn": "submittedOn", "input.nominationId": "status",
  };
  return {
    columnOf,
    fallbackColumn: "county",
    async prepare(tx, rows, { viewer, memo, chunk: chunkMap }) {
      const live = rows.filter((v) => !v["__problems"]);
      const counties = [...new Set(live.map((v) => (v["county"] ?? "").trim()).filter((c) => c !== ""))];
      const names = new Set(live.map((v) => (v["round"] ?? "").trim().toLowerCase()).filter((n) => n !== ""));
      const named = counties.length ? (await tx.find(NominationRound, { countyCode: { $in: counties } }, { orderBy: { closesOn: "asc", id: "asc" } })).filter((r) => names.has(r.name.trim().toLowerCase())) : [];
      const roundIds = named.map((r) => r.id);
      const locked = roundIds.length ? await tx.find(NominationRound, { id: { $in: roundIds } }, { lockMode: LockMode.PESSIMISTIC_READ, refresh: true, orderBy: { closesOn: "asc", id: "asc" } }) : [];
      const chunk: NominationChunk = { rounds: new Map(), groups: new Map(), roundGroups: [], nominators: new Map(), nominations: new Map(), reads: undefined as unknown as SubmissionReads };
      for (const r of locked) chunk.rounds.set(r.countyCode, [...(chunk.rounds.get(r.countyCode) ?? []), r]);
      const pairs = new Map<string, [string, string]>();
      for (const v of live) {
        const county = (v["county"] ?? "").trim();
        const group = (v["group"] ?? "").trim();
        if (county && group) pairs.set(groupKey(county, group), [county, group]);
      }
      for (const key of pairs.keys()) chunk.groups.set(key, null);
      for (const g of await activeGroupsNamed(tx, [...pairs.values()])) chunk.groups.set(groupKey(g.county, g.name), g.id);
      if (roundIds.length > 0) {
        chunk.roundGroups = await tx.find(NominationRoundGroup, { roundId: { $in: roundIds } }, { orderBy: { roundId: "asc", groupId: "asc" } });
        const nominators = await tx.find(Nominator, { roundId: { $in: roundIds } }, { orderBy: { ordinal: "asc", id: "asc" }, lockMode: LockMode.PESSIMISTIC_WRITE });
        for (const n of nominators) {
          chunk.nominators.set(n.roundId, [...(chunk.nominators.get(n.roundId) ?? []), n]);
          chunk.nominations.set(n.id, []);
        }
        if (nominators.length > 0) {
          for (const n of await tx.find(Nomination, { nominatorId: { $in: nominators.map((x) => x.id) } }, { orderBy: { submittedOn: "asc", id: "asc" }, lockMode: LockMode.PESSIMISTIC_WRITE })) {
            chunk.nominations.get(n.nominatorId)!.push(n);
          }
        }
      }
      const standingOf = (nominatorId: string) => (chunk.nominations.get(nominatorId) ?? []).filter((n) => n.status === NominationStatus.SUBMITTED || n.status === NominationStatus.ACCEPTED);
      chunk.reads = {
        lockedRound: async (roundId) => locked.find((r) => r.id === roundId) ?? null,
        lockedNominator: async (round, input) =>
          (chunk.nominators.get(round.id) ?? []).find((n) =>
            input.municipalityCode ? n.kind === NominatorKind.MUNICIPALITY && n.municipalityCode === input.municipalityCode : n.kind === NominatorKind.ORGANISATION_CATEGORY && n.categoryId === input.categoryId,
          ) ?? null,
        standing: async (nominatorId, personId) => standingOf(nominatorId).find((n) => n.personId === personId) ?? null,
        memberCount: async (nominatorId) => standingOf(nominatorId).filter((n) => !n.asDeputy).length,
      };
      chunkMap.set("nominations", chunk);
      // One reference check for the chunk's people and organisations; a refused key is found again row by row.
      const checked = checkedOf(memo);
      await checkNewReferences({ references, viewer }, checked, personAndOrganisationChecks(live), { chunk: true });
    },
    async handle(tx, v, { viewer, memo, chunk: chunkMap, stageProvenance }) {
      if (v["__problems"]) throw new RowRefused(JSON.parse(v["__problems"]) as RowProblem[]);
      const chunk = nominationChunk(chunkMap);
      const checked = checkedOf(memo);
      const personId = v["personId"]!;
      const organisationId = v["organisationId"]!;
      const round = roundOf(chunk, v);
      assertCanWriteCounty(viewer, round.countyCode);
      const nominator = nominatorOf(chunk, round, v);
      const asDeputy = yesNoCell(v["asDeputy"], "asDeputy");
      const submittedOn = dateCell(v["submittedOn"], "submittedOn");
      const status = statusCell(v["status"]);
      const key = `${(v["person"] ?? "").trim()}, ${nominator.municipalityCode ?? nominator.categoryId}, ${round.name} (${round.closesOn})`;

      const same = (chunk.nominations.get(nominator.id) ?? []).filter((n) => n.personId === personId).sort(bySubmission);
      const standing = same.filter((n) => n.status === NominationStatus.SUBMITTED || n.status === NominationStatus.ACCEPTED);
      if (standing.length === 0 && same.length > 1) {
        refuse("person", `ambiguous: ${same.length} decided nominations of this person by ${nominator.municipalityCode ?? nominator.categoryId} in this round`, "AMBIGUOUS");
      }
      const existing = standing[0] ?? same[0];

      if (!existing) {
        const input = Object.assign(new SubmitNominationInput(), {
          roundId: round.id, municipalityCode: nominator.municipalityCode, categoryId: nominator.categoryId, personId, organisationId, asDeputy: asDeputy ?? false, submittedOn: submittedOn ?? helsinkiToday(),
        });
        await validateInput(input, columnOf, "person");
        checkSubmissionParty(input);
        await checkNewReferences({ references, viewer }, checked, personAndOrganisationChecks([{ personId, organisationId }]), { chunk: false });
        const locked = await lockRoundForSubmission(tx, viewer, round.id, chunk.reads);
        const lockedNominator = await lockSubmittingNominator(tx, locked, input, chunk.reads);
        await checkSubmission(tx, locked, lockedNominator, { personId, submittedOn: input.submittedOn!, asDeputy: input.asDeputy!, party: (input.municipalityCode ?? input.categoryId)! }, chunk.reads);
        const groupId = lockedNominator.groupId ?? chunk.roundGroups.find((g) => g.roundId === round.id)?.groupId ?? null;
        const nomination = tx.create(Nomination, {
          id: randomUUID(), roundId: round.id, nominatorId: lockedNominator.id, personId, organisationId, groupId, asDeputy: input.asDeputy!, status: NominationStatus.SUBMITTED, submittedOn: input.submittedOn!,
        });
        recordStatus(tx, nomination.id, NominationStatus.SUBMITTED, viewer, null);
        if (status && status !== NominationStatus.SUBMITTED) {
          checkDecision(nomination, status);
          nomination.status = status;
          recordStatus(tx, nomination.id, status, viewer, null);
        }
        chunk.nominations.get(lockedNominator.id)!.push(nomination);
        stageProvenance("Nomination", nomination.id);
        return { status: "created", key, id: nomination.id };
      }

      const current = { organisationId: existing.organisationId, asDeputy: existing.asDeputy, submittedOn: existing.submittedOn, status: existing.status };
      const wanted = { organisationId, asDeputy, submittedOn: submittedOn ?? undefined, status };
      const changes: FieldChange[] = [];
      for (const [field, after] of Object.entries(wanted)) {
        const before = current[field as keyof typeof current];
        if (after !== undefined && before !== after) changes.push({ field, before, after });
      }
      if (changes.length === 0) return { status: "unchanged", key, id: existing.id };
      const fixed = changes.find((c) => c.field !== "status");
      if (fixed) {
        refuse(fixed.field === "organisationId" ? "organisation" : fixed.field, "a submitted nomination's organisation, deputy flag and day received do not change; withdraw it and submit a new one");
      }
      // A decision, as acceptNomination / rejectNomination / withdrawNomination make it: the round's county, NEXT, not appointed (the nomination locked by prepare).
      const nomination = existing;
      assertCanWriteCounty(viewer, round.countyCode);
      checkDecision(nomination, status!);
      nomination.status = status!;
      recordStatus(tx, nomination.id, status!, viewer, null);
      stageProvenance("Nomination", nomination.id);
      return { status: "updated", key, id: nomination.id, changes };
    },
  };
}

/** `${type}:${id}` of the people and organisations the file's reference checks passed. */
function checkedOf(memo: Map<string, unknown>): Set<string> {
  let checked = memo.get("nominations-checked") as Set<string> | undefined;
  if (!checked) memo.set("nominations-checked", (checked = new Set()));
  return checked;
}
