import { randomUUID } from "node:crypto";
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { BadUserInputError, ForbiddenError, NotFoundError, readConfig, Scope, ViewerRole, type Viewer } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import {
  deleteWebhookEndpoint,
  insertWebhookEndpoint,
  requestWebhookReplay,
  updateWebhookEndpoint,
  webhookDeadLetters,
  webhookEndpoints,
  type DeadLetterRow,
  type EndpointRow,
} from "./webhook.queries.ts";
import { checkCountyCodes, checkEndpointUrl, checkSecret, checkTypes, decodeCursor, encodeCursor, FEED_START, generateSecret } from "./webhook.rules.ts";
import { RegisterWebhookEndpointInput, UpdateWebhookEndpointInput, WebhookDeadLetter, WebhookEndpoint, WebhookEndpointRegistration } from "./webhook.types.ts";

/** Production refuses http endpoints; the environment is read once. */
let production: boolean | undefined;
const inProduction = (): boolean => (production ??= readConfig().production);

function assertAdmin(viewer: Viewer, what: string): void {
  if (viewer.subject && viewer.role === ViewerRole.Admin) return;
  throw new ForbiddenError(`Not authorised to ${what}: webhooks are managed by an admin (${viewer.role ? `role ${viewer.role}` : "a caller without a role"})`);
}

const toEndpoint = (row: EndpointRow): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  description: row.description,
  types: row.types,
  countyCodes: row.county_codes,
  active: row.active,
  cursor: encodeCursor(row.positions),
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at ? new Date(row.next_attempt_at) : null,
  lastError: row.last_error,
  lastDeliveredAt: row.last_delivered_at ? new Date(row.last_delivered_at) : null,
  createdAt: new Date(row.created_at),
});

const toDeadLetter = (row: DeadLetterRow): WebhookDeadLetter => ({
  id: row.id,
  endpointId: row.endpoint_id,
  messageId: row.message_id,
  eventType: row.event_type,
  payload: row.payload,
  attempts: row.attempts,
  lastError: row.last_error,
  deadAt: new Date(row.dead_at),
  replayRequestedAt: row.replay_requested_at ? new Date(row.replay_requested_at) : null,
});

/** Admins' management of webhook endpoints and their dead-letter lists (docs/WEBHOOKS.md). */
@Resolver()
export class WebhookResolver {
  @Query(() => [WebhookEndpoint], { description: "Registered webhook endpoints with their delivery state, oldest first (admin only)." })
  async webhookEndpoints(@Ctx() { em, viewer }: Context): Promise<WebhookEndpoint[]> {
    assertAdmin(viewer, "list webhook endpoints");
    return (await webhookEndpoints(em)).map(toEndpoint);
  }

  @Query(() => [WebhookDeadLetter], { description: "Messages that failed every attempt (of one endpoint), oldest first (admin only)." })
  async webhookDeadLetters(
    @Arg("endpointId", () => ID, { nullable: true, description: "Only this endpoint's (default: every endpoint's)." }) endpointId: string | null,
    @Arg("first", () => Int, { nullable: true, description: "At most this many, 1–500 (default 100)." }) first: number | null,
    @Ctx() { em, viewer }: Context,
  ): Promise<WebhookDeadLetter[]> {
    assertAdmin(viewer, "list webhook dead letters");
    const limit = first ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new BadUserInputError("first", "must be an integer from 1 to 500");
    return (await webhookDeadLetters(em, endpointId ?? null, limit)).map(toDeadLetter);
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => WebhookEndpointRegistration, {
    description: "Registers a webhook endpoint: every change of the change feed after `after` that passes its filters is POSTed to it, signed (Standard Webhooks). The generated secret is shown only in this answer (admin only).",
  })
  async registerWebhookEndpoint(@Arg("input", () => RegisterWebhookEndpointInput) input: RegisterWebhookEndpointInput, @Ctx() { em, viewer }: Context): Promise<WebhookEndpointRegistration> {
    assertAdmin(viewer, "register a webhook endpoint");
    const url = checkEndpointUrl(input.url, inProduction());
    const generated = input.secret === null || input.secret === undefined ? generateSecret() : null;
    const secret = generated ?? checkSecret(input.secret!);
    const row = await insertWebhookEndpoint(em, {
      id: randomUUID(),
      url,
      secret,
      description: input.description ?? null,
      types: checkTypes(input.types),
      countyCodes: checkCountyCodes(input.countyCodes),
      active: input.active ?? true,
      positions: input.after ? decodeCursor(input.after) : FEED_START,
      createdBy: viewer.subject,
    });
    return { endpoint: toEndpoint(row), secret: generated };
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => WebhookEndpoint, { description: "Changes an endpoint's URL, filters or active flag (admin only). Re-activating one resumes from its cursor." })
  async updateWebhookEndpoint(
    @Arg("id", () => ID, { description: "The endpoint's id." }) id: string,
    @Arg("input", () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<WebhookEndpoint> {
    assertAdmin(viewer, "change a webhook endpoint");
    const row = await updateWebhookEndpoint(em, id, {
      ...(input.url !== undefined && input.url !== null ? { url: checkEndpointUrl(input.url, inProduction()) } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.types !== undefined ? { types: checkTypes(input.types) } : {}),
      ...(input.countyCodes !== undefined ? { countyCodes: checkCountyCodes(input.countyCodes) } : {}),
      ...(input.active !== undefined && input.active !== null ? { active: input.active } : {}),
    });
    if (!row) throw new NotFoundError("WebhookEndpoint", id);
    return toEndpoint(row);
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Boolean, { description: "Removes an endpoint and its dead letters (admin only)." })
  async deleteWebhookEndpoint(@Arg("id", () => ID, { description: "The endpoint's id." }) id: string, @Ctx() { em, viewer }: Context): Promise<boolean> {
    assertAdmin(viewer, "remove a webhook endpoint");
    if (!(await deleteWebhookEndpoint(em, id))) throw new NotFoundError("WebhookEndpoint", id);
    return true;
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Int, {
    description: "Queues an endpoint's dead letters (all, or those of `ids`) for another round of attempts, delivered before its next changes; returns how many were queued (admin only). One accepted leaves the list.",
  })
  async replayWebhookDeadLetters(
    @Arg("endpointId", () => ID, { description: "The endpoint's id." }) endpointId: string,
    @Arg("ids", () => [ID], { nullable: true, description: "Only these dead letters (default: all of the endpoint's)." }) ids: string[] | null,
    @Ctx() { em, viewer }: Context,
  ): Promise<number> {
    assertAdmin(viewer, "replay webhook dead letters");
    if ((await webhookEndpoints(em, endpointId)).length === 0) throw new NotFoundError("WebhookEndpoint", endpointId);
    if (ids && ids.length === 0) return 0;
    return await requestWebhookReplay(em, endpointId, ids ?? null);
  }
}
