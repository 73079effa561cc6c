/**
 * The HTTP side of every public-register importer: one GET of JSON with a
 * timeout, bounded retries with exponential backoff that honour a 429's or
 * 503's `Retry-After`, a per-register rate limit and a circuit breaker. Node's
 * own `fetch`; nothing is written anywhere, the caller validates the body.
 */

/** Why a register answered nothing usable. */
export class RegisterFetchError extends Error {
  constructor(
    readonly register: string,
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${register}: ${reason} (${url})`);
    this.name = "RegisterFetchError";
  }
}

/**
 * At most `requests` requests in any `perMs` window, shared by every client
 * given the same limiter (YTJ's 300 a minute is shared by all its users, so
 * one process keeps one limiter per register).
 */
export class RateLimiter {
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly requests: number,
    readonly perMs: number,
    private readonly sleep: (ms: number) => Promise<void> = defaultSleep,
    private readonly now: () => number = Date.now,
  ) {
    if (requests < 1 || perMs < 1) throw new Error("RateLimiter needs requests ≥ 1 and perMs ≥ 1");
  }

  /** Resolves when one more request may start; requests start in call order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const now = this.now();
        while (this.starts.length > 0 && this.starts[0]! <= now - this.perMs) this.starts.shift();
        if (this.starts.length < this.requests) {
          this.starts.push(now);
          return;
        }
        await this.sleep(this.starts[0]! + this.perMs - now);
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

/** Opens after `failureThreshold` failed calls in a row; lets one trial call through after `resetMs`. */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;

  constructor(
    readonly failureThreshold: number,
    readonly resetMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): "closed" | "open" | "half-open" {
    if (this.openedAt === null) return "closed";
    return this.now() - this.openedAt >= this.resetMs ? "half-open" : "open";
  }

  /** Throws while open. */
  check(register: string, url: string): void {
    if (this.state === "open") throw new RegisterFetchError(register, url, `circuit open after ${this.failures} failed calls in a row`);
  }

  success(): void {
    this.failures = 0;
    this.openedAt = null;
  }

  failure(): void {
    this.failures += 1;
    if (this.failures >= this.failureThreshold) this.openedAt = this.now();
  }
}

export interface RegisterClientOptions {
  /** Register name for reports and errors, e.g. "sotkanet". */
  register: string;
  /** Base URL; paths are resolved against it (a trailing slash is added). */
  baseUrl: string;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** First backoff; doubles each retry (default 500 ms). */
  backoffMs?: number;
  /** Longest single wait, also the most a `Retry-After` may ask for (default 60 s). */
  maxWaitMs?: number;
  rateLimiter?: RateLimiter;
  breaker?: CircuitBreaker;
  /** Waits between attempts (tests record them instead of waiting). */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  userAgent?: string;
}

/** One JSON answer and the URL it came from (the provenance's source URL). */
export interface RegisterAnswer {
  url: string;
  body: unknown;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Milliseconds a `Retry-After` header asks for (delta-seconds or an HTTP date), or null. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const RETRIABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

/** A GET-JSON client of one register. */
export class RegisterClient {
  readonly register: string;
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxWaitMs: number;
  private readonly limiter: RateLimiter | undefined;
  private readonly breaker: CircuitBreaker;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetchFn: typeof fetch;
  private readonly userAgent: string;
  /** Requests sent (every attempt), for reports and tests. */
  requests = 0;

  constructor(options: RegisterClientOptions) {
    this.register = options.register;
    this.baseUrl = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 4;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.limiter = options.rateLimiter;
    this.breaker = options.breaker ?? new CircuitBreaker(5, 60_000);
    this.sleep = options.sleep ?? defaultSleep;
    this.fetchFn = options.fetch ?? fetch;
    this.userAgent = options.userAgent ?? "yhdyspinta register sync (+https://github.com/yhdyspinta)";
  }

  /** The absolute URL of `path` with `query` (an array value repeats the parameter). */
  url(path: string, query: Record<string, string | number | readonly (string | number)[] | undefined> = {}): string {
    const url = new URL(path.replace(/^\//, ""), this.baseUrl);
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(v));
    }
    return url.toString();
  }

  /** GETs JSON; throws RegisterFetchError once retries are spent or on an answer that is not JSON. */
  async getJson(path: string, query: Parameters<RegisterClient["url"]>[1] = {}): Promise<RegisterAnswer> {
    const url = this.url(path, query);
    this.breaker.check(this.register, url);
    let lastReason = "no attempt";
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      await this.limiter?.acquire();
      this.requests += 1;
      let wait: number | null = null;
      try {
        const response = await this.fetchFn(url, {
          headers: { accept: "application/json", "user-agent": this.userAgent },
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (response.ok) {
          const text = await response.text();
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            // A body that is not JSON is nonsense, not a transient fault: no retry.
            this.breaker.failure();
            throw new RegisterFetchError(this.register, url, `answer is not JSON (HTTP ${response.status}, ${text.length} bytes)`);
          }
          this.breaker.success();
          return { url, body };
        }
        await response.body?.cancel().catch(() => undefined);
        lastReason = `HTTP ${response.status}`;
        if (!RETRIABLE.has(response.status)) {
          this.breaker.failure();
          throw new RegisterFetchError(this.register, url, lastReason);
        }
        const asked = retryAfterMs(response.headers.get("retry-after"));
        if (asked !== null) {
          if (asked > this.maxWaitMs) {
            this.breaker.failure();
            throw new RegisterFetchError(this.register, url, `${lastReason} with Retry-After ${Math.ceil(asked / 1000)} s, longer than the ${Math.ceil(this.maxWaitMs / 1000)} s allowed`);
          }
          wait = asked;
        }
      } catch (error) {
        if (error instanceof RegisterFetchError) throw error;
        const name = (error as Error).name;
        lastReason = name === "TimeoutError" || name === "AbortError" ? `no answer within ${this.timeoutMs} ms` : `connection failed (${(error as Error).message})`;
      }
      if (attempt < this.retries) await this.sleep(wait ?? Math.min(this.maxWaitMs, this.backoffMs * 2 ** attempt));
    }
    this.breaker.failure();
    throw new RegisterFetchError(this.register, url, `${lastReason} after ${this.retries + 1} attempts`);
  }
}
