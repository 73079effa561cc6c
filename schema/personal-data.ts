import { type ConstDirectiveNode, type DefinitionNode, type FieldDefinitionNode, type InputValueDefinitionNode, Kind, parse, type TypeNode } from "graphql";
import { tagsOf } from "./contract.ts";

/**
 * Which fields hold personal data, and how each is kept from those who may
 * not read it. A field holding personal data carries
 * `@tag(name: "personal")` (a type so tagged: every field of it), which the
 * public contract (contract.ts) leaves out. In the full graph each such field
 * is either guarded by the `contacts:read` scope or shown as the name, title
 * or role of a person acting in an official role (DESIGN.md, "People").
 */
export const PERSONAL_TAG = "personal";

/** Field names that suggest personal data, whatever type they are on. */
const PERSONAL_FIELD_NAME = /e_?mail|phone|puhelin|address|osoite|attendance|birth|syntym|henkilotunnus|firstname|lastname|surname|gender|nationality/i;

/** Words (of a camelCase or snake_case name) that suggest personal data. */
const PERSONAL_WORD = new Set(["ssn", "hetu", "pic"]);

function suggestsPersonalData(name: string): boolean {
  return PERSONAL_FIELD_NAME.test(name) || name.split(/(?=[A-Z])|_/).some((w) => PERSONAL_WORD.has(w.toLowerCase()));
}

/** Types whose values are about one person: their names and titles are personal data too. */
const PERSON_TYPE = /person|nominee|attendee|member$/i;

/** Fields on `PERSON_TYPE` types that name or describe the person. */
const PERSON_DESCRIBING_FIELD = /^(name|names|fullname|nickname|title|otherNames)$/i;

/**
 * Fields whose name suggests personal data but which hold none, each with the
 * reason. An organisation's or an office's address is not personal data.
 */
export const NOT_PERSONAL: Readonly<Record<string, string>> = {
  "ContactPoint.postalAddress": "an organisation's published contact point",
  "ContactPoint.visitingAddress": "an organisation's published contact point",
  "ContactPoint.visitingAddressSv": "an organisation's service location as PTV publishes it",
  "ContactPoint.registryEmail": "an organisation's registry office (kirjaamo) address",
  "ContactPoint.phone": "an organisation's published contact point",
  "ContactPoint.email": "an organisation's published contact point",
  "ContactPoint.webAddress": "an organisation's web site",
  "CreateContactPointInput.postalAddress": "an organisation's published contact point",
  "CreateContactPointInput.visitingAddress": "an organisation's published contact point",
  "CreateContactPointInput.registryEmail": "an organisation's registry office (kirjaamo) address",
  "CreateContactPointInput.webAddress": "an organisation's web site",
  "UpdateContactPointInput.postalAddress": "an organisation's published contact point",
  "UpdateContactPointInput.visitingAddress": "an organisation's published contact point",
  "UpdateContactPointInput.registryEmail": "an organisation's registry office (kirjaamo) address",
  "OrganisationRegisterRecord.addresses": "an organisation's addresses as the trade register (YTJ) publishes them",
  "NominationRound.submitTo": "an office's address (kirjaamo), stated in a public call for nominations",
};

/**
 * Personal fields readable in the full graph only with the `contacts:read`
 * scope (`@Authorized(Scope.ContactsRead)` on the field); the gateway test
 * (test/public-contract.test.ts) reads each as anonymous and gets null with
 * FORBIDDEN. A query reaching the field from `Query`, and the path to it.
 */
export const GUARDED_BY_SCOPE: Readonly<Record<string, { query: string; path: readonly string[] }>> = {
  "Person.email": { query: "{ people(first: 5) { edges { node { id email } } } }", path: ["people", "edges", "node", "email"] },
  "Person.phone": { query: "{ people(first: 5) { edges { node { id phone } } } }", path: ["people", "edges", "node", "phone"] },
};

/**
 * Personal fields the full graph shows to anyone: the names, titles and roles
 * of people acting in an official role (DESIGN.md, "People"), and the inputs
 * by which coordinators record them. The public contract has none of them.
 */
export const PUBLIC_IN_OFFICIAL_ROLE: ReadonlySet<string> = new Set([
  "Person.name",
  "Person.title",
  "MeetingAttendance.*",
  "GroupContact.*",
  "Person.*",
]);

type Owner = DefinitionNode & { name: { value: string }; directives?: readonly ConstDirectiveNode[]; fields?: readonly (FieldDefinitionNode | InputValueDefinitionNode)[] };

function owners(sdl: string): Owner[] {
  return parse(sdl).definitions.filter(
    (d): d is Owner =>
      d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION || d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ||
      d.kind === Kind.OBJECT_TYPE_EXTENSION || d.kind === Kind.INTERFACE_TYPE_EXTENSION || d.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION,
  );
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/** Coordinates (`Type.field`) tagged personal, a tagged type's as `Type.*`. */
export function personalCoordinates(sdl: string): string[] {
  const found = new Set<string>();
  for (const d of owners(sdl)) {
    if (d.name.value.startsWith("join__") || d.name.value.startsWith("link__")) continue;
    if (tagsOf(d).includes(PERSONAL_TAG)) found.add(`${d.name.value}.*`);
    for (const f of d.fields ?? []) if (tagsOf(f).includes(PERSONAL_TAG)) found.add(`${d.name.value}.${f.name.value}`);
  }
  return [...found].sort();
}

/**
 * Fields that look like personal data but are not tagged personal, each with
 * why it looks so: a name suggesting personal data (tagged on the field
 * itself: a new field on a tagged type is not marked by the type's tag), a
 * name or title on a type about one person, or a value of a person type that
 * is not tagged as a whole.
 */
export function unmarkedPersonalFields(sdl: string): string[] {
  const all = owners(sdl);
  const taggedTypes = new Set(all.filter((d) => tagsOf(d).includes(PERSONAL_TAG)).map((d) => d.name.value));
  const problems: string[] = [];
  for (const d of all) {
    const owner = d.name.value;
    if (owner.startsWith("join__") || owner.startsWith("link__")) continue;
    const input = d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || d.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION;
    if (!input && PERSON_TYPE.test(owner) && !/Connection$|Edge$/.test(owner) && !taggedTypes.has(owner)) {
      problems.push(`${owner}: a type about one person, not tagged ${PERSONAL_TAG} as a whole`);
    }
    for (const f of d.fields ?? []) {
      const coordinate = `${owner}.${f.name.value}`;
      if (coordinate in NOT_PERSONAL || tagsOf(f).includes(PERSONAL_TAG)) continue;
      if (suggestsPersonalData(f.name.value) && !taggedTypes.has(namedType(f.type))) {
        problems.push(`${coordinate}: its name suggests personal data`);
      } else if (PERSON_TYPE.test(owner) && PERSON_DESCRIBING_FIELD.test(f.name.value) && !(input && taggedTypes.has(owner))) {
        problems.push(`${coordinate}: names or describes a person`);
      }
    }
  }
  return problems;
}

/**
 * Tagged personal fields of output types that are neither guarded by the
 * scope nor public in an official role: each needs a decision. (Input fields
 * are written, by coordinators with `data:write`, never read back through
 * the input; the public contract has no mutations.)
 */
export function undecidedPersonalFields(sdl: string): string[] {
  const inputs = new Set(owners(sdl).filter((d) => d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || d.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION).map((d) => d.name.value));
  return personalCoordinates(sdl).filter((c) => !inputs.has(c.split(".")[0]!) && !(c in GUARDED_BY_SCOPE) && !PUBLIC_IN_OFFICIAL_ROLE.has(c));
}
