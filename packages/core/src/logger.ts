import { type DestinationStream, pino, type Logger } from "pino";
import { logLevel } from "./config.ts";
import { currentRequestId } from "./request-id.ts";

/**
 * Structured logs: every process writes one JSON object per line to stdout
 * (`level`, `time`, `service`, `requestId` while a request is served, `msg`
 * and the event's own fields). `LOG_LEVEL` sets the threshold (default
 * `info`). Personal data never goes in: no variables, no request bodies, and
 * the field names below are removed should a caller of the logger pass them.
 */
const REDACTED_PATHS = ["email", "phone", "variables", "*.email", "*.phone", "*.variables", "headers.authorization"];

/** Lines at this level or above (warn) are written out at once. */
const LOG_FLUSH_LEVEL = 40;

function createLogger(service: string | undefined, destination?: DestinationStream): Logger {
  const options = {
    level: logLevel(),
    base: service ? { service } : {},
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, remove: true },
    // The id of the request being served, from the same async context that
    // carries it through the gateway's subgraph fetches.
    hooks: {
      logMethod(args, method, level) {
        method.apply(this, args);
        if (level >= LOG_FLUSH_LEVEL) flushLog();
      },
    },
    mixin() {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  } satisfies pino.LoggerOptions;
  return pino(options, destination ?? stdoutDestination());
}

/** Longest time a line waits in the stdout buffer. */
const FLUSH_EVERY_MS = 200;
let stdout: (DestinationStream & { flush(): void }) | undefined;
let unflushed = false;

/**
 * stdout, buffered: lines are written in blocks of 8 KiB or every 200 ms,
 * whichever comes first, and at once for a warning or an error
 * (`LOG_FLUSH_LEVEL` below). A system call per line was 5–7 % of the gateway's
 * CPU on the small views (bench/README.md); pino flushes what is left when
 * the process exits (a SIGKILL loses at most the last 200 ms).
 */
function stdoutDestination(): DestinationStream {
  if (!stdout) {
    const stream = pino.destination({ dest: 1, sync: false, minLength: 8 * 1024 });
    const write = stream.write.bind(stream);
    stream.write = (line: string) => {
      unflushed = true;
      return write(line);
    };
    setInterval(() => {
      if (!unflushed) return;
      unflushed = false;
      stream.flush();
    }, FLUSH_EVERY_MS).unref();
    stdout = stream;
  }
  return stdout;
}

/** Writes out the buffered lines now (after a line others wait for, e.g. "ready at"). */
export function flushLog(): void {
  if (!stdout || !unflushed) return;
  unflushed = false;
  stdout.flush();
}

let root: Logger = createLogger(undefined);
let processService: string | undefined;

/**
 * Names the process in every line (`service`: `gateway`, `organisations`, …);
 * call once at start. Lines go to stdout unless `destination` is given (tests).
 */
export function configureLogger(service: string, destination?: DestinationStream): Logger {
  processService = service;
  root = createLogger(service, destination);
  return root;
}

/** The process's logger. */
export function logger(): Logger {
  return root;
}

/** The process's name as `configureLogger` was given it (`gateway`, `organisations`, …), if it was. */
export function loggedService(): string | undefined {
  return processService;
}
