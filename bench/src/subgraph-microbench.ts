import "reflect-metadata";
import { execute, parse } from "graphql";
import { buildSchema, Field, ID, ObjectType, Query, Resolver } from "type-graphql";
import { useDefaultResolverForPlainFields } from "@yhdyspinta/core";
import { formatHelsinki, formatHelsinkiIntl } from "../../packages/core/src/scalars/calendar.ts";

/**
 * In-process CPU of three subgraph levers, each A against B alternately in
 * the same process (so that the load of a shared machine hits both alike);
 * prints the best of the rounds. `tsx --conditions=development bench/src/subgraph-microbench.ts`
 */

function cpuMs(fn: () => unknown): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

async function cpuMsAsync(fn: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function report(name: string, a: [string, number[]], b: [string, number[]], per: number, unit: string): void {
  const best = (xs: number[]) => Math.min(...xs);
  const [an, ax] = a;
  const [bn, bx] = b;
  console.log(
    `${name}: ${an} ${((best(ax) * 1000) / per).toFixed(2)} ${unit}, ${bn} ${((best(bx) * 1000) / per).toFixed(2)} ${unit} (${(best(ax) / best(bx)).toFixed(2)}×)`,
  );
}

// 1. DateTime output: Intl.formatToParts per value against the per-hour offset cache.
{
  const instants: Date[] = [];
  for (let i = 0; i < 100_000; i += 1) instants.push(new Date(Date.UTC(2024, 0, 8) + i * 17 * 60_000 + (i % 4) * 3_600_000));
  const intl: number[] = [];
  const cached: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    intl.push(cpuMs(() => instants.map(formatHelsinkiIntl)));
    cached.push(cpuMs(() => instants.map(formatHelsinki)));
  }
  report("DateTime serialize (per value)", ["Intl", intl], ["hour-offset cache", cached], instants.length, "µs");
}

// 2. Plain @Field properties: type-graphql's wrapper against graphql-js's default resolver.
{
  @ObjectType("BenchRow")
  class BenchRow {
    @Field(() => ID) id!: string;
    @Field(() => String) name!: string;
    @Field(() => String) kind!: string;
    @Field(() => String, { nullable: true }) label!: string | null;
    @Field(() => String) constituency!: string;
    @Field(() => Number) memberPlaces!: number;
    @Field(() => Number) deputyPlaces!: number;
    @Field(() => Boolean) active!: boolean;
  }
  const rows = Array.from({ length: 20_000 }, (_, i) => ({
    id: `syn-${i}`, name: `Synteettinen ${i}`, kind: "PARTNERSHIP_GROUP", label: null, constituency: "MUNICIPALITY", memberPlaces: 2, deputyPlaces: 1, active: true,
  }));
  @Resolver()
  class BenchResolver {
    @Query(() => [BenchRow])
    rows(): BenchRow[] {
      return rows as BenchRow[];
    }
  }
  const wrapped = await buildSchema({ resolvers: [BenchResolver], skipCheck: true });
  useDefaultResolverForPlainFields({});
  const plain = await buildSchema({ resolvers: [BenchResolver], skipCheck: true });
  const document = parse("{ rows { id name kind label constituency memberPlaces deputyPlaces active } }");
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    a.push(await cpuMsAsync(async () => JSON.stringify(await execute({ schema: wrapped, document }))));
    b.push(await cpuMsAsync(async () => JSON.stringify(await execute({ schema: plain, document }))));
  }
  report("20,000 rows × 8 plain fields, executed and serialised (per row)", ["type-graphql wrapper", a], ["default resolver", b], rows.length, "µs");
}

// 3. Control-character check of an `_entities` request's variables: walk against one JSON.stringify scan.
{
  const { textProblem } = await import("../../packages/core/src/input-guards.ts");
  const variables = { representations: Array.from({ length: 2192 }, (_, i) => ({ __typename: "Person", id: `syn-person-14-${i}` })) };
  const walk: number[] = [];
  const scan: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    walk.push(cpuMs(() => { for (let i = 0; i < 50; i += 1) textProblem(variables, "$"); }));
    scan.push(cpuMs(() => { for (let i = 0; i < 50; i += 1) JSON.stringify(variables).includes("\\u0000"); }));
  }
  report("NUL check of 2,192 representations (per request)", ["walk", walk], ["JSON scan", scan], 50, "µs");
}
