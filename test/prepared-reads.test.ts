import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createOrm, findRows, migrate, type Orm, queryStats, readPrepared } from "@yhdyspinta/core";
import { createTestDatabase, type TestDatabase } from "@yhdyspinta/core/testing";
import { organisationsService } from "../services/organisations/src/service.ts";
import { Organisation } from "../services/organisations/src/organisation/organisation.entity.ts";

// Loader reads run as named prepared statements on the read pool
// (packages/core/src/loaders.ts, readPrepared; docs/OPERATIONS.md, Replicas).
// What must hold: the same rows as the ORM reads, under parallel batches of
// every size, counted as statements, inside a transaction its own writes, and
// still answering after a migration changes a table under a prepared plan.

let database: TestDatabase;
let orm: Orm;
let admin: pg.Client;
const ids = Array.from({ length: 40 }, (_, i) => `org-prepared-${String(i).padStart(2, "0")}`);

beforeAll(async () => {
  database = await createTestDatabase("prepared_reads");
  orm = await createOrm({ databaseUrl: database.url, entities: organisationsService.entities, migrations: organisationsService.migrations, migrationsTable: "migrations_organisations" });
  await migrate(orm);
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  for (const [i, id] of ids.entries()) {
    await admin.query(
      `insert into organisation (id, name, other_names, name_normalised, search_text, kind, merged_into) values ($1, $2, '[]', $3, $4, 'association', $5)`,
      [id, `Yhdistys ${i}`, `yhdistys ${i}`, `yhdistys ${i}`, i % 10 === 9 ? ids[i - 1] : null],
    );
  }
});

afterAll(async () => {
  await admin?.end();
  await orm?.close();
  await database?.drop();
});

const sorted = (rows: Organisation[]) => rows.map((o) => `${o.id}|${o.name}|${o.mergedInto ?? ""}`).sort();

describe("prepared loader reads", () => {
  it("answer as the ORM's query builder does, for parallel batches of every size, one counted statement each", async () => {
    const batches = Array.from({ length: 24 }, (_, i) => ids.filter((_, k) => (k * 7 + i) % (i + 2) === 0));
    const before = queryStats.snapshot().statements;
    const prepared = await Promise.all(batches.map((batch) => findRows(orm.em.fork(), Organisation, { id: { $in: batch } }, { id: "asc" })));
    expect(queryStats.snapshot().statements - before).toBe(batches.length);
    for (const [i, batch] of batches.entries()) {
      const viaOrm = await orm.em.fork().createQueryBuilder(Organisation).select("*").where({ id: { $in: batch } }).orderBy({ id: "asc" }).execute("all");
      expect(prepared[i]!.map((o) => o.id)).toEqual(batch.slice().sort());
      expect(sorted(prepared[i]!)).toEqual(sorted(viaOrm as Organisation[]));
    }
    // Null filters and ranges too.
    const merged = await findRows(orm.em.fork(), Organisation, { mergedInto: { $in: ids } });
    expect(merged.map((o) => o.id).sort()).toEqual(ids.filter((_, i) => i % 10 === 9));
    const notMerged = await findRows(orm.em.fork(), Organisation, { mergedInto: null, id: { $in: ids.slice(0, 12) } });
    expect(notMerged).toHaveLength(11);
    const between = await findRows(orm.em.fork(), Organisation, { id: { $gte: ids[3]!, $lt: ids[6]! } }, { id: "asc" });
    expect(between.map((o) => o.id)).toEqual(ids.slice(3, 6));
  });

  it("read a transaction's own uncommitted writes inside it (through its connection), and only committed rows outside", async () => {
    const id = "org-prepared-in-transaction";
    await orm.em.fork().transactional(async (em) => {
      await em.getConnection().execute(
        `insert into organisation (id, name, other_names, name_normalised, search_text, kind) values (?, 'Kesken', '[]', 'kesken', 'kesken', 'association')`,
        [id],
        "run",
        em.getTransactionContext(),
      );
      expect((await findRows(em, Organisation, { id: { $in: [id] } })).map((o) => o.name)).toEqual(["Kesken"]);
      expect(await findRows(orm.em.fork(), Organisation, { id: { $in: [id] } })).toEqual([]);
    });
    expect((await findRows(orm.em.fork(), Organisation, { id: { $in: [id] } })).map((o) => o.name)).toEqual(["Kesken"]);
  });

  it("answer after a migration adds a column to a table a prepared statement reads with *", async () => {
    const text = `/* preparedReadsTest */ select * from organisation where id = any($1) order by id`;
    // Prepare it on every pooled connection the parallel reads open.
    await Promise.all(Array.from({ length: 8 }, () => readPrepared(orm.em.fork(), text, [ids.slice(0, 3)])));
    await admin.query(`alter table organisation add column prepared_reads_extra text default 'x'`);
    try {
      const after = await Promise.all(Array.from({ length: 8 }, () => readPrepared(orm.em.fork(), text, [ids.slice(0, 3)])));
      for (const rows of after) {
        expect(rows.map((r) => r["id"])).toEqual(ids.slice(0, 3));
        expect(rows[0]!["prepared_reads_extra"]).toBe("x");
      }
      // findRows names its columns: the new one is not read, the rows are the same.
      const rows = await findRows(orm.em.fork(), Organisation, { id: { $in: ids.slice(0, 3) } }, { id: "asc" });
      expect(rows.map((o) => o.id)).toEqual(ids.slice(0, 3));
    } finally {
      await admin.query(`alter table organisation drop column prepared_reads_extra`);
    }
  });

  it("fail with PostgreSQL's error, counted, and leave the statement usable for the next read", async () => {
    const before = queryStats.snapshot().statements;
    await expect(readPrepared(orm.em.fork(), `/* preparedReadsTest */ select * from organisation where id = any($1)`, ["not an array"])).rejects.toMatchObject({ code: "22P02" });
    expect(queryStats.snapshot().statements - before).toBe(1);
    const rows = await readPrepared(orm.em.fork(), `/* preparedReadsTest */ select * from organisation where id = any($1)`, [[ids[0]]]);
    expect(rows.map((r) => r["id"])).toEqual([ids[0]]);
  });
});
