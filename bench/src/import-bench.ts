/**
 * `pnpm --filter @yhdyspinta/bench import-bench -- --rows 10000 [--kinds organisations,people|memberships|groups|seats|meetings] [--apply-only]`
 *
 * Bulk import benchmark (docs/IMPORT.md, "Limits"): generates an
 * organisations CSV of `--rows` rows for one county (names `Tuontikoe <run>
 * <n>`, no business IDs: an invented Y-tunnus could be a real company's) and
 * a people CSV of as many rows (one person per organisation, by its name,
 * with an e-mail address), and posts each to the gateway's `/import/<kind>`
 * as a dry run and then applied, printing rows/s of each and the peak
 * resident memory (VmHWM) of the gateway and the organisations subgraph.
 * `--kinds memberships` first imports (applied, timed but not the point)
 * the organisations, people and groups the memberships name — one person
 * per organisation, at most 1,000 of each, and a group per 50 rows — and then
 * `--rows` membership rows (row i: person i mod 1,000 in group i div 50, by
 * e-mail, as a member from 2025-01-01), as a dry run and applied, reporting
 * the groups subgraph's peak memory too. `--kinds meetings` first imports
 * a group per 100 rows and then `--rows` meeting rows (row i: group i div
 * 100's meeting on day i mod 100 after 2025-01-01, 13:00–15:00 Helsinki
 * time), as a dry run and applied. `--kinds groups` imports `--rows` groups
 * (each covering municipality 167); `--kinds seats` first a group per 100
 * rows and then `--rows` seat rows (row i: seat `Paikka i mod 100` of
 * municipality 167 in group i div 100). Municipality 167 is Joensuu of
 * county 14 (the default `--county`).
 *
 * Without GATEWAY_URL it starts a throw-away stack of its own (embedded
 * PostgreSQL, the services from their TypeScript sources) and mints a
 * coordinator's token for the county; with GATEWAY_URL (and
 * YHDYSPINTA_TOKEN, a coordinator's token for the county) it posts to that
 * running stack (`pnpm start`) and samples the peak memory from the
 * processes' `/metrics` (ORGANISATIONS_URL, default http://127.0.0.1:4001/)
 * every 250 ms. The 100,000-row run is for a release, not for every change.
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { mintUserToken, ViewerRole } from "@yhdyspinta/core";
import { startStack, type RunningStack } from "../../packages/stack/src/index.ts";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    rows: { type: "string", default: "10000" },
    county: { type: "string", default: "14" },
    kinds: { type: "string", default: "organisations,people" },
    /** Skip the dry runs. */
    "apply-only": { type: "boolean", default: false },
    /** Own stack only: write CPU profiles of its processes into this folder (node --cpu-prof). */
    "cpu-prof": { type: "string" },
  },
});
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 1 || rows > 100_000) throw new Error("--rows: 1–100000");
const kinds = values.kinds.split(",").map((k) => k.trim()).filter((k) => k !== "");
for (const kind of kinds) if (!["organisations", "people", "memberships", "groups", "seats", "meetings"].includes(kind)) throw new Error("--kinds: organisations, people, memberships, groups, seats, meetings");
const load = () => loadavg().map((n) => n.toFixed(2)).join(" ");
const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

console.log(`import bench — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}; load average ${load()}`);

let stack: RunningStack | null = null;
let gateway = process.env["GATEWAY_URL"];
let organisationsUrl = process.env["ORGANISATIONS_URL"] ?? "http://127.0.0.1:4001/";
let groupsUrl = process.env["GROUPS_URL"] ?? "http://127.0.0.1:4002/";
let token = process.env["YHDYSPINTA_TOKEN"];
if (!gateway) {
  const jwtSecret = randomBytes(32).toString("hex");
  stack = await startStack({
    ephemeral: true,
    mode: "source",
    ports: { gateway: 0, organisations: 0, groups: 0, planning: 0 },
    auth: { jwtSecret },
    ...(values["cpu-prof"] ? { env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${values["cpu-prof"]}` } } : {}),
    log: (source, line) => void (/"level":"(error|fatal)"/.test(line) && console.error(`[${source}] ${line}`)),
  });
  gateway = stack.gatewayUrl;
  organisationsUrl = stack.subgraphUrls.organisations;
  groupsUrl = stack.subgraphUrls.groups;
  token = await mintUserToken(jwtSecret, { sub: "import-bench", scope: "data:write", role: ViewerRole.Coordinator, counties: [values.county] });
  const pids = stack.pids();
  console.log(`own stack started; peak resident MiB so far: gateway ${mib(peakOf(pids["gateway"]) ?? 0)}, organisations ${mib(peakOf(pids["organisations"]) ?? 0)}; load average ${load()}`);
}

/** Process ids of `pid` and its descendants (tsx runs the service in a child process of its own). */
function treeOf(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // ended meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  return tree;
}

/** Peak resident memory so far (VmHWM) of the largest process in the tree of a process of the own stack, in bytes. */
function peakOf(pid: number | undefined): number | null {
  if (!pid) return null;
  let peak: number | null = null;
  for (const p of treeOf(pid)) {
    try {
      const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1];
      if (kib) peak = Math.max(peak ?? 0, Number(kib) * 1024);
    } catch {
      // ended meanwhile
    }
  }
  return peak;
}

async function residentBytes(base: string): Promise<number | null> {
  try {
    const text = await (await fetch(new URL("metrics", base))).text();
    const line = text.split("\n").find((l) => l.startsWith("process_resident_memory_bytes"));
    return line ? Number(line.trim().split(/\s+/).at(-1)) : null;
  } catch {
    return null;
  }
}

const run = randomBytes(3).toString("hex");
const name = (i: number) => `Tuontikoe ${run} ${i}`;

/** A memberships run: its people (and their organisations) and groups of 50 rows. */
const MEMBERS_PER_GROUP = 50;
const memberPeople = Math.min(rows, 1000);
const memberGroups = Math.ceil(rows / MEMBERS_PER_GROUP);
const groupName = (g: number) => `Tuontiryhmä ${run} ${g}`;
const email = (i: number) => `henkilo-${run}-${i}@example.invalid`;

/** A meetings (or seats) run: a group per 100 rows, each with a meeting a day from 2025-01-01 (or 100 seats). */
const MEETINGS_PER_GROUP = 100;
const meetingGroups = Math.ceil(rows / MEETINGS_PER_GROUP);
const meetingDay = (i: number) => new Date(Date.UTC(2025, 0, 1 + (i % MEETINGS_PER_GROUP))).toISOString().slice(0, 10);

/** The file of `kind`; `measured` for the kind under measurement (its groups cover municipality 167, Joensuu of county 14, the default). */
function fileOf(kind: string, count = rows, measured = false): Buffer {
  const lines =
    kind === "organisations"
      ? ["Nimi;Tyyppi;Hyvinvointialue;Kunnat;Verkkosivu", ...Array.from({ length: count }, (_, i) => `${name(i)};association;${values.county};;https://tuontikoe-${run}-${i}.example.invalid`)]
      : kind === "people"
        ? ["Nimi;Organisaatio;Sähköposti;Tehtävänimike", ...Array.from({ length: count }, (_, i) => `Henkilö ${run} ${i};${name(i)};${email(i)};Toiminnanjohtaja`)]
        : kind === "groups"
          ? ["Hyvinvointialue;Nimi;Tyyppi;Kunnat", ...Array.from({ length: count }, (_, g) => `${values.county};${groupName(g)};partnership_group;${measured ? "167" : ""}`)]
          : kind === "seats"
            ? [
                "Hyvinvointialue;Ryhmä;Paikka;Valitsijataho;Kunta;Jäseniä enintään;Varajäseniä",
                ...Array.from({ length: count }, (_, i) => `${values.county};${groupName(Math.floor(i / MEETINGS_PER_GROUP))};Paikka ${i % MEETINGS_PER_GROUP};municipality;167;1;1`),
              ]
          : kind === "meetings"
            ? [
                "Hyvinvointialue;Ryhmä;Alkaa;Päättyy;Tyyppi;Paikka",
                ...Array.from({ length: count }, (_, i) => `${values.county};${groupName(Math.floor(i / MEETINGS_PER_GROUP))};${meetingDay(i)} 13:00;${meetingDay(i)} 15:00;regular;Joensuu`),
              ]
          : [
              "Hyvinvointialue;Ryhmä;Henkilö;Sähköposti;Organisaatio;Rooli;Alkaa",
              ...Array.from({ length: count }, (_, i) => {
                const p = i % memberPeople;
                return `${values.county};${groupName(Math.floor(i / MEMBERS_PER_GROUP))};Henkilö ${run} ${p};${email(p)};${name(p)};member;2025-01-01`;
              }),
            ];
  return Buffer.from(`${lines.join("\r\n")}\r\n`, "utf8");
}

async function post(kind: string, file: Buffer, apply: boolean, count = rows) {
  const peaks: Record<string, number> = {};
  let sampling = !stack;
  const sampler = (async () => {
    while (sampling) {
      for (const [process, base] of [["gateway", gateway!], ["organisations", organisationsUrl], ["groups", groupsUrl]] as const) {
        const bytes = await residentBytes(base);
        if (bytes !== null) peaks[process] = Math.max(peaks[process] ?? 0, bytes);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  const url = new URL(`import/${kind}`, gateway);
  url.searchParams.set("file", `tuontikoe-${kind}-${count}.csv`);
  if (apply) url.searchParams.set("apply", "true");
  const began = performance.now();
  const res = await fetch(url, { method: "POST", headers: { "content-type": "text/csv", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: new Uint8Array(file) });
  const report = (await res.json()) as { counts?: Record<string, number>; error?: string };
  const seconds = (performance.now() - began) / 1000;
  sampling = false;
  await sampler;
  if (stack) {
    const pids = stack.pids();
    for (const process of ["gateway", "organisations", "groups"]) {
      const bytes = peakOf(pids[process]);
      if (bytes !== null) peaks[process] = bytes;
    }
  }
  console.log(
    JSON.stringify({
      kind,
      rows: count,
      bytes: file.length,
      apply,
      status: res.status,
      counts: report.counts ?? report.error,
      seconds: Number(seconds.toFixed(1)),
      rowsPerSecond: Math.round(count / seconds),
      peakResidentMiB: Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, mib(v)])),
      load: load(),
    }),
  );
  if (res.status !== 200) throw new Error(`${kind}: status ${res.status}`);
}

try {
  for (const kind of kinds) {
    if (kind === "memberships") {
      // What the memberships name, applied first.
      await post("organisations", fileOf("organisations", memberPeople), true, memberPeople);
      await post("people", fileOf("people", memberPeople), true, memberPeople);
      await post("groups", fileOf("groups", memberGroups), true, memberGroups);
    }
    if (kind === "meetings" || kind === "seats") await post("groups", fileOf("groups", meetingGroups), true, meetingGroups);
    const file = fileOf(kind, rows, true);
    if (!values["apply-only"]) await post(kind, file, false);
    await post(kind, file, true);
  }
} finally {
  await stack?.stop();
}
