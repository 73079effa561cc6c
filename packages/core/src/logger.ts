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

function createLogger(service: string | undefined, destination?: DestinationStream): Logger {
  const options = {
    level: logLevel(),
    base: service ? { service } : {},
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, remove: true },
    // The id of the request being served, from the same async context that
    // carries it through the gateway's subgraph fetches.
    mixin() {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  } satisfies pino.LoggerOptions;
  // stdout written asynchronously: a line per request written synchronously was a
  // system call per request (7 % of the gateway's CPU on the small views, bench/README.md);
  // lines that arrive while a write is under way go out together with the next one, and
  // pino flushes what is left when the process exits.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
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
