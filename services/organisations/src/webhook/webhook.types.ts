import { Directive, Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { InstantScalar } from "@yhdyspinta/core";

// Webhooks are the operators' business: every type is out of the public contract.

@ObjectType("WebhookEndpoint", { description: "A receiver of the change feed's changes, signed by the Standard Webhooks scheme (docs/WEBHOOKS.md). Admin only." })
@Directive('@tag(name: "internal")')
export class WebhookEndpoint {
  @Field(() => ID, { description: "The endpoint's id." })
  @Directive('@tag(name: "internal")')
  id!: string;

  @Field(() => String, { description: "Where deliveries are POSTed." })
  @Directive('@tag(name: "internal")')
  url!: string;

  @Field(() => String, { nullable: true, description: "The admin's note of what the endpoint is for." })
  @Directive('@tag(name: "internal")')
  description!: string | null;

  @Field(() => [String], { nullable: true, description: "Only changes of these record types (null: every type)." })
  @Directive('@tag(name: "internal")')
  types!: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Only changes of records of these counties (null: every change)." })
  @Directive('@tag(name: "internal")')
  countyCodes!: string[] | null;

  @Field(() => Boolean, { description: "Whether changes are delivered; an inactive endpoint keeps its position and resumes from it." })
  @Directive('@tag(name: "internal")')
  active!: boolean;

  @Field(() => String, { description: "Change-feed cursor (as GET /changes issues) of the last change delivered or dead-lettered." })
  @Directive('@tag(name: "internal")')
  cursor!: string;

  @Field(() => Int, { description: "Failed attempts of the next message so far." })
  @Directive('@tag(name: "internal")')
  attempts!: number;

  @Field(() => InstantScalar, { nullable: true, description: "When the next message is retried; null when not waiting to retry." })
  @Directive('@tag(name: "internal")')
  nextAttemptAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Why the last attempt failed (HTTP status or network error)." })
  @Directive('@tag(name: "internal")')
  lastError!: string | null;

  @Field(() => InstantScalar, { nullable: true, description: "When a message was last accepted (2xx)." })
  @Directive('@tag(name: "internal")')
  lastDeliveredAt!: Date | null;

  @Field(() => InstantScalar, { description: "When the endpoint was registered." })
  @Directive('@tag(name: "internal")')
  createdAt!: Date;
}

@ObjectType("WebhookEndpointRegistration", { description: "A registered endpoint and, when it was generated, its signing secret (shown this once)." })
@Directive('@tag(name: "internal")')
export class WebhookEndpointRegistration {
  @Field(() => WebhookEndpoint, { description: "The registered endpoint." })
  @Directive('@tag(name: "internal")')
  endpoint!: WebhookEndpoint;

  @Field(() => String, { nullable: true, description: "The generated signing secret (`whsec_<base64>`): shown only here; null when the caller supplied one." })
  @Directive('@tag(name: "internal")')
  secret!: string | null;
}

@ObjectType("WebhookDeadLetter", { description: "A message that failed every attempt; replayable with replayWebhookDeadLetters." })
@Directive('@tag(name: "internal")')
export class WebhookDeadLetter {
  @Field(() => ID, { description: "The dead letter's id (for replayWebhookDeadLetters)." })
  @Directive('@tag(name: "internal")')
  id!: string;

  @Field(() => ID, { description: "The endpoint it failed to reach." })
  @Directive('@tag(name: "internal")')
  endpointId!: string;

  @Field(() => String, { description: "The message's webhook-id (the same at every attempt and replay)." })
  @Directive('@tag(name: "internal")')
  messageId!: string;

  @Field(() => String, { description: "The message's type, `<RecordType>.<OPERATION>`." })
  @Directive('@tag(name: "internal")')
  eventType!: string;

  @Field(() => String, { description: "The message body (JSON) as it was POSTed." })
  @Directive('@tag(name: "internal")')
  payload!: string;

  @Field(() => Int, { description: "Attempts made, replays included." })
  @Directive('@tag(name: "internal")')
  attempts!: number;

  @Field(() => String, { nullable: true, description: "Why the last attempt failed." })
  @Directive('@tag(name: "internal")')
  lastError!: string | null;

  @Field(() => InstantScalar, { description: "When it was given up." })
  @Directive('@tag(name: "internal")')
  deadAt!: Date;

  @Field(() => InstantScalar, { nullable: true, description: "When a replay was asked for; null when not queued for replay." })
  @Directive('@tag(name: "internal")')
  replayRequestedAt!: Date | null;
}

@InputType("RegisterWebhookEndpointInput")
@Directive('@tag(name: "internal")')
export class RegisterWebhookEndpointInput {
  @Field(() => String, { description: "Absolute http(s) URL the deliveries are POSTed to (https only in production)." })
  @Directive('@tag(name: "internal")')
  url!: string;

  @Field(() => String, { nullable: true, description: "Signing secret `whsec_<base64 of 24–64 bytes>`; generated (and returned once) when left out." })
  @Directive('@tag(name: "internal")')
  secret?: string | null;

  @Field(() => String, { nullable: true, description: "A note of what the endpoint is for." })
  @Directive('@tag(name: "internal")')
  description?: string | null;

  @Field(() => [String], { nullable: true, description: "Only changes of these record types, e.g. Organisation, GroupMembership." })
  @Directive('@tag(name: "internal")')
  types?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Only changes of records of these counties." })
  @Directive('@tag(name: "internal")')
  countyCodes?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: "Default true." })
  @Directive('@tag(name: "internal")')
  active?: boolean | null;

  @Field(() => String, { nullable: true, description: "Deliver the changes after this GET /changes cursor (default: from the feed's start)." })
  @Directive('@tag(name: "internal")')
  after?: string | null;
}

@InputType("UpdateWebhookEndpointInput")
@Directive('@tag(name: "internal")')
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true, description: "New URL (rules as at registration)." })
  @Directive('@tag(name: "internal")')
  url?: string | null;

  @Field(() => String, { nullable: true, description: "New note." })
  @Directive('@tag(name: "internal")')
  description?: string | null;

  @Field(() => [String], { nullable: true, description: "Replaces the type filter (an empty list: every type)." })
  @Directive('@tag(name: "internal")')
  types?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Replaces the county filter (an empty list: every county)." })
  @Directive('@tag(name: "internal")')
  countyCodes?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: "Pause (false) or resume (true) deliveries." })
  @Directive('@tag(name: "internal")')
  active?: boolean | null;
}
