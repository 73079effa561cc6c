import type { RegisterSyncReport } from "./sync-report.ts";

/** `<register> [--dry-run] [--year=YYYY]` of `pnpm sync`; throws a usage line on anything else. */
export function parseSyncArgs(argv: readonly string[], registers: readonly string[]): { register: string; dryRun: boolean; year: number | null; since: string | null } {
  const all = argv.filter((a) => a !== "--");
  const sinceArg = all.find((a) => a.startsWith("--since="));
  const since = sinceArg ? sinceArg.slice("--since=".length) : null;
  const args = all.filter((a) => a !== sinceArg);
  const dryRun = args.includes("--dry-run");
  const yearArg = args.find((a) => a.startsWith("--year="));
  const year = yearArg ? Number(yearArg.slice("--year=".length)) : null;
  const rest = args.filter((a) => a !== "--dry-run" && a !== yearArg);
  const register = rest[0];
  if (rest.length !== 1 || !register || !registers.includes(register) || (year !== null && !(Number.isInteger(year) && year >= 2000 && year <= 2200)) || (since !== null && !/^\d{4}-\d{2}-\d{2}$/.test(since))) {
    throw new Error(`Usage: pnpm sync <${registers.join("|")}> [--dry-run] [--year=YYYY (statfi: classification year, default this year)] [--since=YYYY-MM-DD (ptv: only service locations modified since)]`);
  }
  return { register, dryRun, year, since };
}

/** The report as lines for a terminal (no personal data: reports carry none). */
export function formatSyncReport(report: RegisterSyncReport): string[] {
  const lines = [
    `${report.register} ${report.dryRun ? "dry run" : "sync"} ${report.status.toUpperCase()} (report ${report.id}, ${report.requests} requests to ${report.sourceUrl})`,
  ];
  if (report.failure) lines.push(`  failed, nothing written: ${report.failure}`);
  else {
    const verb = report.dryRun ? "would be " : "";
    lines.push(`  ${verb}created ${report.created}, ${verb}updated ${report.updated}, unchanged ${report.unchanged}, refused ${report.refusedCount}`);
    for (const r of report.refused.slice(0, 20)) lines.push(`  refused ${r.record}: ${r.reason}`);
    if (report.refusedCount > 20) lines.push(`  … and ${report.refusedCount - 20} more refusals (query the report)`);
  }
  return lines;
}
