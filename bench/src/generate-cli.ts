/**
 * `pnpm --filter @yhdyspinta/bench generate -- --seed 42 --scale finland [--factor 0.25] [--counties 14,08] [--replace]`
 *
 * Database URLs as the services derive them (`serviceDatabaseUrl`):
 * `<NAME>_DATABASE_URL`, else `DATABASE_URL` with `_<service>` appended to
 * its database name. The databases must already be migrated and seeded
 * (start the services once).
 */
import { parseArgs } from "node:util";
import { serviceDatabaseUrl } from "@yhdyspinta/core";
import { generateDataset, type GenerateTargets, type ServiceDb } from "./generate.ts";

const { values } = parseArgs({
  // pnpm passes the `--` separator through to the script.
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    seed: { type: "string", default: "42" },
    scale: { type: "string", default: "1" },
    factor: { type: "string" },
    counties: { type: "string" },
    replace: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log("usage: generate [--seed 42] [--scale finland|<n>] [--factor 0.25 (with finland)] [--counties 14,08] [--replace]");
  process.exit(0);
}

const targets = {} as GenerateTargets;
const missing: string[] = [];
for (const db of ["organisations", "groups", "planning"] as ServiceDb[]) {
  const url = serviceDatabaseUrl(db);
  if (url) targets[db] = url;
  else missing.push(`${db.toUpperCase()}_DATABASE_URL`);
}
if (missing.length > 0) {
  console.error(`Set DATABASE_URL (or ${missing.join(", ")}).`);
  process.exit(1);
}

const seed = Number(values.seed);
const scale = values.scale === "finland" ? "finland" : Number(values.scale);
const countyCodes = values.counties?.split(",").map((c) => c.trim()).filter(Boolean);

try {
  const result = await generateDataset(targets, {
    seed,
    scale,
    ...(countyCodes ? { countyCodes } : {}),
    ...(values.factor ? { factor: Number(values.factor) } : {}),
    replace: values.replace,
  });
  console.log(`Synthetic dataset: seed ${seed}, scale ${String(scale)}, counties ${result.counties.join(" ")}`);
  let total = 0;
  for (const [db, tables] of Object.entries(result.counts)) {
    console.log(`${db}:`);
    for (const [table, n] of Object.entries(tables)) {
      total += n;
      console.log(`  ${table.padEnd(34)} ${String(n).padStart(8)}`);
    }
  }
  console.log(`${total} rows in ${(result.millis / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
