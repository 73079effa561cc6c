/** Helpers of the import tests (test/import*.test.ts). */

/** A valid Finnish business ID from a 7-digit number (skips numbers whose check digit would be 1). */
export function businessId(n: number): string {
  for (let k = n; ; k++) {
    const digits = String(k % 10_000_000).padStart(7, "0");
    const sum = [7, 9, 10, 5, 8, 4, 2].reduce((s, w, i) => s + w * Number(digits[i]), 0);
    const r = sum % 11;
    if (r === 1) continue;
    return `${digits}-${r === 0 ? 0 : 11 - r}`;
  }
}

export interface ImportOptions {
  apply?: boolean;
  headers?: Record<string, string>;
  name?: string;
}

/** Posts a file to the gateway's `POST /import/<kind>` (a dry run unless `apply`): the status, the body's text and its JSON. */
export async function postImport(
  gatewayUrl: string,
  defaultHeaders: Record<string, string>,
  kind: string,
  content: string | Buffer,
  options: ImportOptions = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the report's JSON as the tests read it
): Promise<{ status: number; text: string; body: any }> {
  const url = new URL(`import/${kind}`, gatewayUrl);
  url.searchParams.set("file", options.name ?? `${kind}.csv`);
  if (options.apply) url.searchParams.set("apply", "true");
  const res = await fetch(url, { method: "POST", headers: { "content-type": "text/csv", ...(options.headers ?? defaultHeaders) }, body: typeof content === "string" ? content : new Uint8Array(content) });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}
