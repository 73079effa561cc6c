import "reflect-metadata";
import { IsOptional, Length, Matches } from "class-validator";
import { execute, parse, type GraphQLFormattedError } from "graphql";
import { Arg, Field, InputType, Mutation, Query, Resolver } from "type-graphql";
import { describe, expect, it } from "vitest";
import { formatError } from "./errors-format.ts";
import { buildFederatedSchema } from "./federation.ts";
import { validateArgument } from "./validation.ts";

@InputType("ProbeInput")
class ProbeInput {
  @Field(() => String)
  @Length(1, 5)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^\d{7}-\d$/, { message: "must be a business ID" })
  businessId?: string | null;
}

@Resolver()
class ProbeResolver {
  @Query(() => String)
  ping(): string {
    return "pong";
  }

  @Mutation(() => String)
  probe(
    @Arg("input", () => ProbeInput) input: ProbeInput,
    @Arg("filter", () => ProbeInput, { nullable: true }) filter: ProbeInput | null,
    @Arg("many", () => [ProbeInput], { nullable: true }) many: ProbeInput[] | null,
  ): string {
    return `${input.name}${filter?.name ?? ""}${many?.length ?? 0}`;
  }
}

async function run(document: string): Promise<GraphQLFormattedError[] | undefined> {
  const schema = await buildFederatedSchema({ resolvers: [ProbeResolver], validateFn: validateArgument });
  const result = await execute({ schema, document: parse(document) });
  return result.errors?.map((error) => formatError(error.toJSON(), error));
}

describe("argument validation", () => {
  it("names the failing field by its full argument path, whichever argument holds it", async () => {
    expect(await run(`mutation { probe(input: { name: "ok" }) }`)).toBeUndefined();
    const [own] = (await run(`mutation { probe(input: { name: "ok", businessId: "123" }) }`)) ?? [];
    expect(own?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.businessId", reason: "must be a business ID" });
    const [second] = (await run(`mutation { probe(input: { name: "ok" }, filter: { name: "far too long" }) }`)) ?? [];
    expect(second?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.name" });
    const [listed] = (await run(`mutation { probe(input: { name: "ok" }, many: [{ name: "ok" }, { name: "" }]) }`)) ?? [];
    expect(listed?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "many[1].name" });
    expect(JSON.stringify(listed)).not.toContain("target");
  });
});
