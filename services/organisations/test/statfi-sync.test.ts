import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EntityManager } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CircuitBreaker, RegisterClient, RegisterSyncStatus, runSync, startService, type RunningService } from "@yhdyspinta/core";
import { createTestDatabase, type TestDatabase } from "@yhdyspinta/core/testing";
import { statfiImporter } from "../src/register/statfi-sync.ts";
import { municipalityRows } from "../src/seed/reference-data.ts";
import { organisationsService } from "../src/service.ts";

/**
 * A local stand-in for Statistics Finland's classifications API v2
 * (https://data.stat.fi/api/classifications/v2): classification items
 * `[{code, classificationItemNames: [{name, lang}]}]` and correspondence maps
 * `[{sourceItem, targetItem}]` as the API answers with `content=data` (the
 * shapes the statficlassifications R package and rOpenGov clients read).
 * Written by hand: the 2027 classification is made up from the shipped 2026
 * one (Mäntyharju renamed, one item with a bad code, one mapped to an
 * unknown county).
 */

const internalSecret = randomBytes(32).toString("hex");
const YEAR = 2027;
let db: TestDatabase;
let service: RunningService;
let server: Server;
let baseUrl: string;
let fault: ((path: string, res: ServerResponse) => boolean) | null = null;

const base2026 = municipalityRows().filter((m) => m.year === 2026);
const items2027 = [
  ...base2026.map((m) => ({ code: m.code, fi: m.code === "507" ? "Mäntyharju-Pertunmaa" : m.nameFi, sv: m.nameSv, county: m.countyCode })),
  { code: "X99", fi: "Virhe", sv: "Fel", county: "01" },
  { code: "998", fi: "Uusikunta", sv: "Nykommun", county: "77" },
];
const names = (name: string, lang: string) => [{ name, lang }];

beforeAll(async () => {
  db = await createTestDatabase("statfi_sync");
  service = await startService(organisationsService, { databaseUrl: db.url, port: 0, seed: true, createDatabase: false, internalAuthSecret: internalSecret });
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, "http://stat.test");
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/classifications\/v2\//, ""));
    if (fault?.(path, res)) return;
    const send = (body: unknown) => void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (path === `classifications/kunta_1_${YEAR}0101/classificationItems`) {
      const lang = url.searchParams.get("lang") ?? "fi";
      return send(items2027.map((i) => ({ code: i.code, classificationItemNames: names(lang === "sv" ? i.sv : i.fi, lang), level: 1 })));
    }
    if (path === `correspondenceTables/kunta_1_${YEAR}0101#hyvinvointialue_1_${YEAR}0101/maps`) {
      return send(items2027.map((i) => ({ sourceItem: { code: i.code, classificationItemNames: names(i.fi, "fi") }, targetItem: { code: i.county, classificationItemNames: names(`Alue ${i.county}`, "fi") } })));
    }
    res.writeHead(404, { "content-type": "application/json" }).end('{"message":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/classifications/v2/`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await service?.stop();
  await db?.drop();
});

beforeEach(() => {
  fault = null;
});

const em = () => service.orm.em.fork() as EntityManager;
const importer = () =>
  statfiImporter({ client: new RegisterClient({ register: "statfi", baseUrl, retries: 1, backoffMs: 1, sleep: async () => undefined, breaker: new CircuitBreaker(50, 60_000) }), year: YEAR });

async function year2027(): Promise<string> {
  const rows = await em().getConnection().execute(`select json_agg(m order by m.code)::text as rows from municipality m where m.year = ?`, [YEAR]);
  return String(rows[0]!["rows"]);
}

describe("Statistics Finland classification sync", () => {
  it("a fault leaves the classification year unwritten and the report says why", async () => {
    fault = (path, res) => path.startsWith("correspondenceTables/") && (res.writeHead(200, { "content-type": "application/json" }).end('[{"sourceItem":{"code":"005"'), true);
    const report = await runSync(em(), importer());
    expect(report.status).toBe(RegisterSyncStatus.FAILED);
    expect(report.failure).toMatch(/answer is not JSON/);
    expect(await year2027()).toBe("null");
  });

  it("writes a new year's municipalities with their county and provenance, refusing bad and unknown codes; a second run changes nothing", async () => {
    const report = await runSync(em(), importer());
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: base2026.length, updated: 0 });
    expect(report.refused).toEqual([
      { record: `municipality X99 (${YEAR})`, reason: 'code "X99" is not a 3-digit municipality code' },
      { record: `municipality 998 (${YEAR})`, reason: "county code 77 is not a known county" },
    ]);
    const rows = await em().getConnection().execute<{ code: string; name_fi: string; county_code: string }[]>(
      `select code, name_fi, county_code from municipality where year = ? and code in ('091', '507') order by code`,
      [YEAR],
    );
    expect(rows).toEqual([
      { code: "091", name_fi: "Helsinki", county_code: "90" },
      { code: "507", name_fi: "Mäntyharju-Pertunmaa", county_code: base2026.find((m) => m.code === "507")!.countyCode },
    ]);
    const source = await em().getConnection().execute<{ url: string }[]>(`select url from record_source where record_type = 'Municipality' and record_id = ?`, [`507/${YEAR}`]);
    expect(source[0]!.url).toBe(`${baseUrl}correspondenceTables/kunta_1_${YEAR}0101%23hyvinvointialue_1_${YEAR}0101/maps?content=data&meta=min`);
    // Each written municipality is in the audit trail, as the register.
    const audited = await em().getConnection().execute(
      `select actor_subject, operation, after->>'countyCode' as county from change_record where entity_type = 'Municipality' and entity_id = ?`,
      [`507/${YEAR}`],
    );
    expect(audited).toEqual([{ actor_subject: "register:statfi", operation: "CREATE", county: base2026.find((m) => m.code === "507")!.countyCode }]);

    const before = await year2027();
    const again = await runSync(em(), importer());
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: base2026.length });
    expect(await year2027()).toBe(before);
  });
});
