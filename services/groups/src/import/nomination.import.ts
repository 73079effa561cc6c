import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, helsinkiToday, refuse, RowRefused, validateInput, writeProvenance, type FieldChange, type ImportKindHandler, type ReferenceChecker, type RowProblem } from "@yhdyspinta/core";
import { checkReferences } from "../county-scope.rules.ts";
import { SubmitNominationInput } from "../coordination/coordination.input.ts";
import { activeGroupNamed } from "../group-workflow/natural-keys.queries.ts";
import { Nomination, NominationRound, NominationRoundGroup, NominationStatus, Nominator, NominatorKind } from "../nomination/nomination.entity.ts";
import { checkDecision, checkSubmission, checkSubmissionParty, lockRoundForSubmission, lockSubmittingNominator } from "../nomination/nomination.rules.ts";
import { recordStatus } from "../round-workflow/round-workflow.entity.ts";
import { dateCell, optional } from "./cells.ts";

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

/** The round a row names: its name in the county, narrowed by its deadline and by a group it fills. */
async function roundOf(tx: EntityManager, v: Record<string, string>): Promise<NominationRound> {
  const county = (v["county"] ?? "").trim();
  const name = (v["round"] ?? "").trim();
  if (!county) refuse("county", "must not be blank");
  if (!name) refuse("round", "must not be blank");
  const closesOn = dateCell(v["closesOn"], "closesOn");
  let rounds = (await tx.find(NominationRound, { countyCode: county }, { orderBy: { closesOn: "asc", id: "asc" } })).filter((r) => r.name.trim().toLowerCase() === name.toLowerCase());
  if (rounds.length === 0) refuse("round", `no nomination round named "${name}" in county ${county}`, "NOT_FOUND");
  if (closesOn) {
    rounds = rounds.filter((r) => r.closesOn === closesOn);
    if (rounds.length === 0) refuse("closesOn", `no round "${name}" in county ${county} closes on ${closesOn}`, "NOT_FOUND");
  }
  const group = (v["group"] ?? "").trim();
  if (group) {
    const groupId = await activeGroupNamed(tx, county, group, null);
    if (!groupId) refuse("group", `no group named "${group}" in county ${county}`, "NOT_FOUND");
    const filling = new Set((await tx.find(NominationRoundGroup, { roundId: { $in: rounds.map((r) => r.id) }, groupId })).map((g) => g.roundId));
    rounds = rounds.filter((r) => filling.has(r.id));
    if (rounds.length === 0) refuse("group", `no round "${name}" in county ${county} fills group "${group}"`, "NOT_FOUND");
  }
  if (rounds.length > 1) {
    refuse(closesOn ? "group" : "closesOn", `ambiguous: ${rounds.length} rounds in county ${county} are named "${name}" (closing ${rounds.map((r) => r.closesOn).join(", ")}); give the deadline or the group`, "AMBIGUOUS");
  }
  return rounds[0]!;
}

/** The nominator a row names: the municipality code the round asks (a round asking one party needs none). */
async function nominatorOf(tx: EntityManager, round: NominationRound, v: Record<string, string>): Promise<Nominator> {
  const text = (v["nominator"] ?? "").trim();
  const nominators = await tx.find(Nominator, { roundId: round.id }, { orderBy: { ordinal: "asc", id: "asc" } });
  if (!text) {
    if (nominators.length === 1) return nominators[0]!;
    refuse("nominator", `must name the municipality the round asks (${nominators.length} are asked)`);
  }
  if (!/^\d{3}$/.test(text)) refuse("nominator", "must be a 3-digit municipality code");
  const found = nominators.find((n) => n.kind === NominatorKind.MUNICIPALITY && n.municipalityCode === text);
  if (!found) refuse("nominator", `municipality ${text} is not asked to nominate in round "${round.name}"`, "NOT_FOUND");
  return found;
}

export function nominationImport({ references }: Deps): ImportKindHandler {
  const columnOf = {
    "input.roundId": "round", "input.municipalityCode": "nominator", "input.categoryId": "nominator", "input.personId": "person",
    "input.organisationId": "organisation", "input.asDeputy": "asDeputy", "input.submittedOn": "submittedOn", "input.nominationId": "status",
  };
  return {
    columnOf,
    fallbackColumn: "county",
    async handle(tx, v, { viewer, provenance }) {
      if (v["__problems"]) throw new RowRefused(JSON.parse(v["__problems"]) as RowProblem[]);
      const personId = v["personId"]!;
      const organisationId = v["organisationId"]!;
      const round = await roundOf(tx, v);
      assertCanWriteCounty(viewer, round.countyCode);
      const nominator = await nominatorOf(tx, round, v);
      const asDeputy = yesNoCell(v["asDeputy"], "asDeputy");
      const submittedOn = dateCell(v["submittedOn"], "submittedOn");
      const status = statusCell(v["status"]);
      const key = `${(v["person"] ?? "").trim()}, ${nominator.municipalityCode ?? nominator.categoryId}, ${round.name} (${round.closesOn})`;

      const same = await tx.find(Nomination, { roundId: round.id, nominatorId: nominator.id, personId }, { orderBy: { submittedOn: "asc", id: "asc" } });
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
        await checkReferences({ references, viewer }, [
          { field: "input.personId", type: "Person", keys: [personId] },
          { field: "input.organisationId", type: "Organisation", keys: [organisationId] },
        ]);
        const locked = await lockRoundForSubmission(tx, viewer, round.id);
        const lockedNominator = await lockSubmittingNominator(tx, locked, input);
        await checkSubmission(tx, locked, lockedNominator, { personId, submittedOn: input.submittedOn!, asDeputy: input.asDeputy!, party: (input.municipalityCode ?? input.categoryId)! });
        const groupId = lockedNominator.groupId ?? (await tx.find(NominationRoundGroup, { roundId: round.id }, { orderBy: { groupId: "asc" } }))[0]?.groupId ?? null;
        const nomination = tx.create(Nomination, {
          id: randomUUID(), roundId: round.id, nominatorId: lockedNominator.id, personId, organisationId, groupId, asDeputy: input.asDeputy!, status: NominationStatus.SUBMITTED, submittedOn: input.submittedOn!,
        });
        recordStatus(tx, nomination.id, NominationStatus.SUBMITTED, viewer, null);
        if (status && status !== NominationStatus.SUBMITTED) {
          checkDecision(nomination, status);
          nomination.status = status;
          recordStatus(tx, nomination.id, status, viewer, null);
        }
        await tx.flush();
        await writeProvenance(tx, "Nomination", nomination.id, provenance);
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
      // A decision, as acceptNomination / rejectNomination / withdrawNomination make it: the round's county, NEXT, not appointed.
      const nomination = await tx.findOneOrFail(Nomination, { id: existing.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      assertCanWriteCounty(viewer, round.countyCode);
      checkDecision(nomination, status!);
      nomination.status = status!;
      recordStatus(tx, nomination.id, status!, viewer, null);
      await tx.flush();
      await writeProvenance(tx, "Nomination", nomination.id, provenance);
      return { status: "updated", key, id: nomination.id, changes };
    },
  };
}
