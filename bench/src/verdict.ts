import { type Spread, spread } from "./stats.ts";

/**
 * What `pnpm bench` decides from its rounds (issue 33's goal), as pure
 * functions of the measurements so that bench/test/verdict.test.ts can check
 * them: every figure is the median over the rounds, never a best round.
 */

/** One measured round of one target on one view. */
export interface Round {
  rps: number;
  p95: number;
  requests: number;
  /** CPU milliseconds per request of each process involved (gateway or reference server, each subgraph, postgres). */
  cpuMsPerRequest: Record<string, number>;
}

/** How a target takes part in the goals. */
export type TargetKind = "reference" | "ours" | "cached" | "other-gateway" | "extra";

export interface TargetRounds {
  name: string;
  kind: TargetKind;
  rounds: Round[];
}

export interface TargetSummary {
  name: string;
  kind: TargetKind;
  rps: Spread;
  p95: Spread;
  /** CPU ms per request of all its processes together, per round. */
  cpu: Spread;
  /** Median CPU ms per request of each process. */
  cpuByProcess: Record<string, number>;
  /** Requests over all rounds. */
  requests: number;
}

export function summarise(target: TargetRounds): TargetSummary {
  const processes = [...new Set(target.rounds.flatMap((r) => Object.keys(r.cpuMsPerRequest)))];
  return {
    name: target.name,
    kind: target.kind,
    rps: spread(target.rounds.map((r) => r.rps)),
    p95: spread(target.rounds.map((r) => r.p95)),
    cpu: spread(target.rounds.map((r) => Object.values(r.cpuMsPerRequest).reduce((a, b) => a + b, 0))),
    cpuByProcess: Object.fromEntries(processes.map((p) => [p, spread(target.rounds.map((r) => r.cpuMsPerRequest[p] ?? Number.NaN)).median])),
    requests: target.rounds.reduce((n, r) => n + r.requests, 0),
  };
}

export interface Goal {
  view: string;
  goal: string;
  /** The measured figure, formatted. */
  value: string;
  /** The bound it is held to, formatted. */
  bound: string;
  holds: boolean;
}

/** The bounds of the goal, named so that the table and the tests say the same. */
export const GOAL = {
  /** ours ÷ reference in requests/s, at least */
  rpsShare: 0.5,
  /** reference's CPU per request ÷ ours, at least (ours at most twice the reference's CPU per request) */
  cpuShare: 0.5,
  /** ours' p95 ÷ reference's p95, at most */
  p95Factor: 2,
  /** CPU per returned item at each scale, at most this share above that of a scale with fewer items */
  flatness: 0.25,
} as const;

const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "–");
const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "–");

/**
 * The goals of one view, from medians: ours ≥ 0.5 × the reference in
 * requests/s and in CPU per request (reference's ÷ ours), ours' p95 ≤ 2 × the
 * reference's, ours ahead of every other gateway target, each cached target
 * at or above the reference. A goal whose figures are missing does not hold.
 */
export function viewGoals(view: string, targets: TargetSummary[]): Goal[] {
  const reference = targets.find((t) => t.kind === "reference");
  const ours = targets.find((t) => t.kind === "ours");
  if (!reference || !ours) return [{ view, goal: "measured", value: "no reference or no ours", bound: "both", holds: false }];
  const goals: Goal[] = [];
  const rpsRatio = ours.rps.median / reference.rps.median;
  goals.push({ view, goal: "req/s ÷ reference", value: f2(rpsRatio), bound: `≥ ${GOAL.rpsShare}`, holds: rpsRatio >= GOAL.rpsShare });
  const cpuRatio = reference.cpu.median / ours.cpu.median;
  goals.push({
    view,
    goal: "CPU/request: reference's ÷ ours",
    value: `${f2(cpuRatio)} (${f0(reference.cpu.median)} / ${f0(ours.cpu.median)} ms)`,
    bound: `≥ ${GOAL.cpuShare}`,
    holds: cpuRatio >= GOAL.cpuShare,
  });
  goals.push({
    view,
    goal: "p95 ≤ 2 × reference's",
    value: `${f0(ours.p95.median)} ms`,
    bound: `≤ ${f0(GOAL.p95Factor * reference.p95.median)} ms`,
    holds: ours.p95.median <= GOAL.p95Factor * reference.p95.median,
  });
  for (const other of targets.filter((t) => t.kind === "other-gateway")) {
    goals.push({
      view,
      goal: `ahead of ${other.name}`,
      value: `${f2(ours.rps.median)} req/s`,
      bound: `> ${f2(other.rps.median)}`,
      holds: ours.rps.median > other.rps.median,
    });
  }
  for (const cached of targets.filter((t) => t.kind === "cached")) {
    goals.push({
      view,
      goal: `${cached.name} ≥ reference`,
      value: `${f2(cached.rps.median)} req/s`,
      bound: `≥ ${f2(reference.rps.median)}`,
      holds: cached.rps.median >= reference.rps.median,
    });
  }
  for (const goal of goals) if (Number.isNaN(Number.parseFloat(goal.value))) goal.holds = false;
  return goals;
}

/** One view at one data size: ours' median CPU per request and the items its answers hold on average. */
export interface SizePoint {
  size: string;
  cpuMsPerRequest: number;
  itemsPerRequest: number;
}

export const cpuPerItem = (p: SizePoint): number => p.cpuMsPerRequest / p.itemsPerRequest;

/**
 * CPU per returned item across the sizes: each size's; its largest rise, the
 * CPU per item of a size over the lowest of the sizes with fewer items (a
 * fraction, 0 when it only falls); and the worst deviation either way from
 * the median over the sizes (signed). The goal holds when no size's CPU per
 * item is more than 25 % above that of a size with fewer items (fewer than
 * two sizes: nothing to compare, does not hold).
 *
 * One-sided on purpose. A cost that grows faster than the items (a quadratic
 * step) raises the CPU per item of the larger sizes; a fixed per-request cost
 * lowers it as the answers grow, which says nothing against linear growth.
 * The two-sided bound, every size within ±25 % of the median (`twoSided`),
 * fails for any server with a fixed cost per request on a view whose answers
 * hold a few hundred items: the hand-written reference failed it on five of
 * six views in every run that measured it (bench/HISTORY.md, 2026-12-05).
 */
export function flatness(points: SizePoint[]): { perItem: number[]; rise: number; worst: number; holds: boolean; twoSided: boolean } {
  const perItem = points.map(cpuPerItem);
  const mid = spread(perItem).median;
  const worst = perItem.map((v) => v / mid - 1).reduce((w, d) => (Math.abs(d) > Math.abs(w) ? d : w), 0);
  let rise = 0;
  let lowest = Number.POSITIVE_INFINITY;
  for (const i of points.map((_, i) => i).sort((a, b) => points[a]!.itemsPerRequest - points[b]!.itemsPerRequest)) {
    rise = Math.max(rise, perItem[i]! / lowest - 1);
    lowest = Math.min(lowest, perItem[i]!);
  }
  const finite = perItem.length >= 2 && perItem.every(Number.isFinite);
  return { perItem, rise, worst, holds: finite && rise <= GOAL.flatness, twoSided: finite && Math.abs(worst) <= GOAL.flatness };
}

/** The worst deviation as printed: "+12 %". */
export const formatDeviation = (worst: number): string => `${worst >= 0 ? "+" : ""}${(100 * worst).toFixed(0)} %`;

/**
 * The CPU each point's items add over the point with the next fewer items
 * (µs per item; NaN for the smallest): fixed per-request costs cancel out.
 */
export function marginalUsPerItem(points: SizePoint[]): number[] {
  const byItems = [...points].sort((a, b) => a.itemsPerRequest - b.itemsPerRequest);
  return points.map((p) => {
    const previous = byItems[byItems.indexOf(p) - 1];
    return previous ? (1000 * (p.cpuMsPerRequest - previous.cpuMsPerRequest)) / (p.itemsPerRequest - previous.itemsPerRequest) : Number.NaN;
  });
}

/** CPU per returned item not growing across the sizes, as a goal of the table (see `flatness`). */
export function flatnessGoal(view: string, points: SizePoint[]): Goal {
  const { perItem, rise, worst, holds } = flatness(points);
  return {
    view,
    goal: "CPU/item does not grow across sizes",
    value: `${points.map((p, i) => `${p.size}: ${perItem[i]!.toFixed(3)}`).join(", ")} ms (highest ${formatDeviation(rise)}, either way ${formatDeviation(worst)})`,
    bound: `≤ +${100 * GOAL.flatness} % over a size with fewer items`,
    holds,
  };
}

/** The goal table as aligned text and as Markdown, with the count of goals that hold. */
export function formatGoals(goals: Goal[]): { text: string; markdown: string; held: number } {
  const held = goals.filter((g) => g.holds).length;
  const header = ["view", "goal", "median", "bound", "holds"];
  const rows = goals.map((g) => [g.view, g.goal, g.value, g.bound, g.holds ? "yes" : "NO"]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join("  ")}`.trimEnd();
  const text = [line(header), ...rows.map(line), `  ${held} of ${goals.length} goals hold`].join("\n");
  const markdown = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
  return { text, markdown, held };
}
