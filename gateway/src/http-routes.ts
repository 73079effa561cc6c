import type { IncomingMessage, ServerResponse } from "node:http";
import { logger, redactForLog, sendJson, type Viewer } from "@yhdyspinta/core";

/**
 * What the gateway's own HTTP routes share (exports, calendar feeds, the
 * change feed): the caller's token check, and errors answered as JSON
 * naming the parameter.
 */

/** A failure of an HTTP route (an export, a feed), with the status and the request parameter it names. */
export class HttpRouteError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

export interface HttpRouteOptions {
  /** The gateway's token check: the caller's viewer, or a throw for an invalid token. */
  verify(authorization: string | undefined): Promise<Viewer>;
}

/**
 * Answers an error of an export or feed as JSON, naming the parameter when
 * there is one. Once the status and some rows are out, the response is cut
 * off instead (no terminating chunk): every HTTP client then reports a broken
 * transfer, never a complete-looking file without its last rows.
 */
export function sendHttpError(res: ServerResponse, error: unknown, what = "export"): void {
  if (res.headersSent) {
    logger().error(
      { error: redactForLog(error instanceof Error ? error.message : String(error)), what },
      "export failed after its first rows; response cut off",
    );
    res.destroy();
    return;
  }
  if (error instanceof HttpRouteError) {
    sendJson(res, error.status, { error: error.message, ...(error.parameter ? { parameter: error.parameter } : {}) });
    return;
  }
  logger().error({ error: redactForLog(error instanceof Error ? error.message : String(error)) }, "export failed");
  sendJson(res, 500, { error: "Internal server error" });
}

/** The caller's viewer, or a 401 for a token that does not verify. */
export async function viewerOf(options: HttpRouteOptions, req: IncomingMessage): Promise<Viewer> {
  try {
    return await options.verify(req.headers.authorization);
  } catch (error) {
    throw new HttpRouteError(401, `Invalid bearer token: ${error instanceof Error ? error.message : "verification failed"}`);
  }
}

