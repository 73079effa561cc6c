import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentKeys, GroupKeys, OrganisationKeys } from "@yhdyspinta/core";
import { startTestStack, type TestStack } from "./support.ts";

let stack: TestStack;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

beforeAll(async () => {
  stack = await startTestStack("datatrust");
});

afterAll(async () => {
  await stack?.stop();
});

const today = new Date().toISOString().slice(0, 10);

describe("documents and contact points through the gateway", () => {
  it("lists Etelä-Pohjanmaa's documents: the handbook of end 2021, the spring-2021 partnership-table memos and the report", async () => {
    const res = await stack.query<Data>(`{
      county(code: "16") {
        documents { id title kind publishedPeriod publishedYear language publisher { id } source { documentId } }
      }
    }`);
    expect(res.errors).toBeUndefined();
    const docs = res.data.county.documents as Data[];
    const byId = new Map(docs.map((d) => [d.id, d]));
    expect(byId.get(DocumentKeys.epKasikirja)).toMatchObject({
      title: "Etelä-Pohjanmaan kuntajärjestöyhteistyön käsikirja", kind: "HANDBOOK", publishedPeriod: "loppuvuosi 2021", publishedYear: 2021, language: "fi",
    });
    expect(byId.get(DocumentKeys.epKumppanuuspoytaMuistiot)).toMatchObject({ kind: "MEMO", publishedPeriod: "kevät 2021" });
    expect(byId.get(DocumentKeys.epKumppanuuspoytaRaportti)).toMatchObject({ kind: "REPORT", publishedYear: 2021 });
    // The three are named on the county's web page, which is their source.
    expect(byId.get(DocumentKeys.epKasikirja).source.documentId).toBe(DocumentKeys.epYhteistyo);
    // Only this county's documents.
    expect(docs.every((d) => !d.id.startsWith("doc-pk-") && !d.id.startsWith("doc-pohde-"))).toBe(true);
    expect(byId.get(DocumentKeys.epYhteistyo).publisher).toEqual({ id: OrganisationKeys.etelaPohjanmaa });
  });

  it("lists a group's documents across subgraphs", async () => {
    const res = await stack.query<Data>(`query($id: ID!) { cooperationGroup(id: $id) { name documents { id kind } } }`, { id: GroupKeys.pohdeJyry });
    expect(res.errors).toBeUndefined();
    expect(res.data.cooperationGroup.documents.map((d: Data) => d.id).sort()).toEqual(
      [DocumentKeys.pohdeJyryRooli, DocumentKeys.pohdeYhteistyoryhmat].sort(),
    );
  });

  it("gives Joupin neuvola its public contact point without any scope", async () => {
    const res = await stack.query<Data>(`{
      organisation(id: "org-ep-joupin-neuvola") { name contactPoints { label visitingAddress postalAddress registryEmail source { documentId section } } }
      county(code: "14") { organisation { contactPoints { registryEmail } } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.organisation.contactPoints).toEqual([
      { label: "Joupin neuvola", visitingAddress: "Hallituskatu 20", postalAddress: null, registryEmail: null, source: { documentId: DocumentKeys.epYhteistyo, section: "Ota yhteyttä" } },
    ]);
    expect(res.data.county.organisation.contactPoints).toEqual([{ registryEmail: "kirjaamo@siunsote.fi" }]);
  });

});

describe("organisations over time", () => {
  it("shows a wound-up TE office with its end date and successor, and reads it as on a day", async () => {
    const res = await stack.query<Data>(`query($id: ID!) {
      organisation(id: $id) { name validTo successor { id name validFrom predecessors { id } } current { id } asOn(date: "2024-06-01") { id } source { url } }
      then: organisation(id: $id, asOn: "2024-06-01") { id }
      now: organisation(id: $id, asOn: "${today}") { id name }
    }`, { id: OrganisationKeys.pohjoisKarjalanTe });
    expect(res.errors).toBeUndefined();
    const te = res.data.organisation;
    expect(te).toMatchObject({ name: "Pohjois-Karjalan TE-toimisto", validTo: "2024-12-31" });
    expect(te.successor).toMatchObject({ id: "org-pohjois-karjalan-tyollisyysalue", validFrom: "2025-01-01", predecessors: [{ id: OrganisationKeys.pohjoisKarjalanTe }] });
    expect(te.current.id).toBe("org-pohjois-karjalan-tyollisyysalue");
    expect(te.asOn.id).toBe(OrganisationKeys.pohjoisKarjalanTe);
    expect(te.source.url).toMatch(/^https:\/\//);
    expect(res.data.then.id).toBe(OrganisationKeys.pohjoisKarjalanTe);
    expect(res.data.now.id).toBe("org-pohjois-karjalan-tyollisyysalue");
    // Going back from the successor reaches the office again.
    const back = await stack.query<Data>(`{ organisation(id: "org-pohjois-karjalan-tyollisyysalue", asOn: "2024-06-01") { id } }`);
    expect(back.data.organisation.id).toBe(OrganisationKeys.pohjoisKarjalanTe);
  });

  it("reads the county-wide Pohjois-Karjala group's agency seats for a 2024 date and for today", async () => {
    const res = await stack.query<Data>(`query($id: ID!) {
      cooperationGroup(id: $id) { seats { constituency label organisation { id then: asOn(date: "2024-06-01") { name } current { name } } } }
    }`, { id: GroupKeys.pkHyvinvoinninKumppanuusryhma });
    expect(res.errors).toBeUndefined();
    const agency = (res.data.cooperationGroup.seats as Data[]).filter((s) => s.constituency === "AGENCY");
    const read = Object.fromEntries(agency.map((s) => [s.label, [s.organisation.then.name, s.organisation.current.name]]));
    expect(read["TE-toimisto"]).toEqual(["Pohjois-Karjalan TE-toimisto", today >= "2025-01-01" ? "Pohjois-Karjalan työllisyysalue" : "Pohjois-Karjalan TE-toimisto"]);
    expect(read["ELY-keskus"]).toEqual(["Pohjois-Karjalan ELY-keskus", today >= "2026-01-01" ? "Itä-Suomen elinvoimakeskus" : "Pohjois-Karjalan ELY-keskus"]);
    expect(read["AVI"]).toEqual(["Itä-Suomen aluehallintovirasto", today >= "2026-01-01" ? "Lupa- ja valvontavirasto" : "Itä-Suomen aluehallintovirasto"]);
    expect(read["Kela"]).toEqual(["Kela", "Kela"]);
  });
});
