import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createOrm, migrate } from "@yhdyspinta/core";
import { createTestDatabase, type TestDatabase } from "@yhdyspinta/core/testing";
import { groupsService } from "../services/groups/src/service.ts";

// The terms migration on a database that holds groups with `councilTerm`
// texts from before terms were data: every readable text becomes a group
// term (seats and memberships tied to it), every other one is listed as an
// issue, and no text is lost.

const databases: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(databases.map((d) => d.drop()));
});

async function migrateTo(url: string, count: number): Promise<void> {
  const orm = await createOrm({ databaseUrl: url, entities: groupsService.entities, migrations: groupsService.migrations.slice(0, count), migrationsTable: "migrations_groups" });
  try {
    await migrate(orm);
  } finally {
    await orm.close();
  }
}

describe("Migration20261204173000_terms", () => {
  it("reads councilTerm texts into group terms and reports the ones it cannot read", { timeout: 120_000 }, async () => {
    const database = await createTestDatabase("terms_migration");
    databases.push(database);
    const index = groupsService.migrations.findIndex((m) => m.name === "Migration20261204173000_terms");
    expect(index).toBeGreaterThan(0);
    await migrateTo(database.url, index);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const groups: [string, string | null, string | null, string | null][] = [
        // id, council_term, term_ends_on, starts_on
        ["g-first", "2022–2025", "2025-05-31", null],
        ["g-hyphen", "2021-2025", null, "2023-12-19"],
        ["g-second", " 2025 – 2029 ", null, null],
        ["g-own", "2024–2026", null, null],
        ["g-words", "valtuustokauden loppuun", null, null],
        ["g-backwards", "2029–2025", null, null],
        ["g-none", null, null, null],
      ];
      for (const [id, term, ends, starts] of groups) {
        await client.query(
          `insert into cooperation_group (id, county_code, name, kind, council_term, term_ends_on, starts_on) values ($1, '08', $1, 'cooperation_group', $2, $3, $4)`,
          [id, term, ends, starts],
        );
      }
      await client.query(`insert into group_seat (id, group_id, constituency, label) values ('seat-first', 'g-first', 'sector', 'Järjestöt')`);
      await client.query(`insert into membership (id, group_id, person_id, role, starts_on) values ('m-first', 'g-first', 'p-1', 'member', '2023-12-19')`);

      await migrateTo(database.url, groupsService.migrations.length);

      const reference = await client.query(`select id, to_char(starts_on, 'YYYY-MM-DD') as s, to_char(ends_on, 'YYYY-MM-DD') as e, to_char(elected_on, 'YYYY-MM-DD') as v from term where group_id is null order by id`);
      expect(reference.rows).toEqual([
        { id: "county-council-2022-2025", s: "2022-03-01", e: "2025-05-31", v: "2022-01-23" },
        { id: "county-council-2025-2029", s: "2025-06-01", e: "2029-05-31", v: "2025-04-13" },
        { id: "municipal-council-2021-2025", s: "2021-08-01", e: "2025-05-31", v: "2021-06-13" },
        { id: "municipal-council-2025-2029", s: "2025-06-01", e: "2029-05-31", v: "2025-04-13" },
      ]);

      const terms = await client.query(
        `select group_id, term_id, to_char(starts_on, 'YYYY-MM-DD') as s, to_char(ends_on, 'YYYY-MM-DD') as e, migrated_from from group_term order by group_id`,
      );
      expect(terms.rows).toEqual([
        { group_id: "g-first", term_id: "county-council-2022-2025", s: "2022-03-01", e: "2025-05-31", migrated_from: "2022–2025" },
        { group_id: "g-hyphen", term_id: "county-council-2022-2025", s: "2023-12-19", e: "2025-05-31", migrated_from: "2021-2025" },
        { group_id: "g-own", term_id: "term-g-own-2024-2026", s: "2024-01-01", e: "2026-12-31", migrated_from: "2024–2026" },
        { group_id: "g-second", term_id: "county-council-2025-2029", s: "2025-06-01", e: "2029-05-31", migrated_from: " 2025 – 2029 " },
      ]);
      const own = await client.query(`select kind, county_code, group_id from term where id = 'term-g-own-2024-2026'`);
      expect(own.rows).toEqual([{ kind: "custom", county_code: "08", group_id: "g-own" }]);

      const issues = await client.query(`select group_id, council_term, reason from council_term_migration_issue order by group_id`);
      expect(issues.rows.map((r) => [r.group_id, r.council_term])).toEqual([["g-backwards", "2029–2025"], ["g-words", "valtuustokauden loppuun"]]);
      expect(issues.rows.every((r) => typeof r.reason === "string" && r.reason.length > 0)).toBe(true);

      // Nothing is lost: every text is still where it was.
      const texts = await client.query(`select id, council_term from cooperation_group order by id`);
      expect(Object.fromEntries(texts.rows.map((r) => [r.id, r.council_term]))).toEqual(Object.fromEntries(groups.map(([id, term]) => [id, term])));

      const tied = await client.query(`select (select group_term_id from group_seat where id = 'seat-first') as seat, (select group_term_id from membership where id = 'm-first') as membership`);
      const first = terms.rows.length > 0 ? (await client.query(`select id from group_term where group_id = 'g-first'`)).rows[0].id : null;
      expect(tied.rows[0]).toEqual({ seat: first, membership: first });
    } finally {
      await client.end();
    }
  });
});
