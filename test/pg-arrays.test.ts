import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createOrm, migrate, type Orm, parseTextArray, readPrepared } from "@yhdyspinta/core";
import { createTestDatabase, type TestDatabase } from "@yhdyspinta/core/testing";
import { planningService } from "../services/planning/src/service.ts";

// Text arrays are parsed by packages/core/src/pg-arrays.ts, not by pg's
// per-character parser. What must hold: every array PostgreSQL prints comes
// back as the array that was stored (quoting, escapes, NULL against "NULL",
// empty strings, nesting, bounds), through the ORM's pools and readPrepared,
// while the ORM's own parsers (dates as strings) stay.

let database: TestDatabase;
let orm: Orm;
let raw: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase("pg_arrays");
  orm = await createOrm({ databaseUrl: database.url, entities: planningService.entities, migrations: planningService.migrations, migrationsTable: "migrations_planning" });
  await migrate(orm);
  // A client that returns arrays as PostgreSQL prints them.
  raw = new pg.Client({ connectionString: database.url, types: { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig });
  await raw.connect();
});

afterAll(async () => {
  await raw?.end();
  await orm?.close();
  await database?.drop();
});

/** A deterministic generator (mulberry32), so that a failure names its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ["a", "ä", "Ö", "1", "-", "_", ",", "{", "}", '"', "\\", " ", "\t", "\n", "N", "U", "L", "'", "😀", "=", ":", "[", "]"];
const SPECIAL = ["", "NULL", "null", " NULL", "syn-org-14-1", "org-municipality-091", "a,b", '"', "\\", "{}", "{a}"];

function randomArray(next: () => number): (string | null)[] {
  const length = Math.floor(next() * 6);
  return Array.from({ length }, () => {
    const pick = next();
    if (pick < 0.1) return null;
    if (pick < 0.35) return SPECIAL[Math.floor(next() * SPECIAL.length)]!;
    return Array.from({ length: 1 + Math.floor(next() * 8) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join("");
  });
}

describe("text arrays", () => {
  it("parse as stored for every array PostgreSQL prints, the default parser agreeing", async () => {
    const defaultParser = (pg.types.getTypeParser as (oid: number, format: "text") => unknown)(1009, "text") as (value: string) => unknown;
    const arrays: (string | null)[][] = [[], [""], [null], ["NULL"], ["a", null, "NULL", ""], ["x,y", "{", "}", '"q"', "back\\slash", " lead", "trail "]];
    for (let seed = 1; seed <= 400; seed++) arrays.push(randomArray(random(seed)));
    // One after the other: a pg client runs one query at a time.
    const printed: string[] = [];
    for (const array of arrays) printed.push((await raw.query<{ a: string }>("select $1::text[] as a", [array])).rows[0]!.a);
    for (const [i, text] of printed.entries()) {
      expect(parseTextArray(text), `array ${i}: ${text}`).toEqual(arrays[i]);
      expect(parseTextArray(text)).toEqual(defaultParser(text));
    }
    // The fast path was taken for most: unquoted one-dimensional arrays.
    expect(printed.filter((t) => !t.includes('"')).length).toBeGreaterThan(50);
  });

  it("hands nested arrays and explicit bounds to pg's parser", async () => {
    const nested = (await raw.query<{ a: string }>(`select '{{a,b},{NULL,"c,d"}}'::text[] as a`)).rows[0]!.a;
    expect(parseTextArray(nested)).toEqual([["a", "b"], [null, "c,d"]]);
    const bounded = (await raw.query<{ a: string }>(`select '[2:3]={x,y}'::text[] as a`)).rows[0]!.a;
    expect(bounded.startsWith("[2:3]=")).toBe(true);
    expect(parseTextArray(bounded)).toEqual(["x", "y"]);
  });

  it("are what the ORM's pools and readPrepared return, with the ORM's dates still strings", async () => {
    const em = orm.em.fork();
    const values = ["syn-org-14-1", "a,b", null, "NULL", ""];
    const viaOrm = (await em.getConnection("read").execute<{ a: unknown; d: unknown }[]>(`select '{syn-org-14-1,"a,b",NULL,"NULL",""}'::text[] as a, '{x,NULL,y}'::text[] as b, '2026-01-31'::date as d`, [], "all"))[0]!;
    expect(viaOrm.a).toEqual(values);
    expect((viaOrm as Record<string, unknown>)["b"]).toEqual(["x", null, "y"]);
    expect(viaOrm.d).toBe("2026-01-31");
    // Both pools parse with it (the write one serves transactions).
    for (const type of ["read", "write"] as const) {
      const pool = (await (em.getConnection(type) as unknown as { getNativeClient(): Promise<pg.Pool> }).getNativeClient()) as unknown as { options: { types: pg.TypeOverrides } };
      expect(pool.options.types.getTypeParser(1009 as never, "text")).toBe(parseTextArray);
      expect(pool.options.types.getTypeParser(1015 as never, "text")).toBe(parseTextArray);
    }
    const prepared = (await readPrepared(em, "select $1::varchar[] as a, $2::varchar[] as b, $3::date as d", [values, ["x", null, "y"], "2026-02-01"]))[0]!;
    expect(prepared["a"]).toEqual(values);
    expect(prepared["b"]).toEqual(["x", null, "y"]);
    expect(prepared["d"]).toBe("2026-02-01");
  });
});
