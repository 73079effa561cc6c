import "reflect-metadata";
import { execute, type GraphQLObjectType, parse } from "graphql";
import { Arg, Authorized, buildSchema, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root } from "type-graphql";
import { describe, expect, it } from "vitest";
import { Scope, scopeAuthChecker, type Viewer, ViewerRole } from "./auth.ts";
import { buildFederatedSchema, callFieldResolversDirectly } from "./federation.ts";

@ObjectType("PlainProbe")
class PlainProbe {
  @Field(() => String)
  name!: string;

  @Field(() => String, { name: "label" })
  title!: string;

  @Authorized(Scope.ContactsRead)
  @Field(() => String, { nullable: true })
  email!: string | null;
}

@ObjectType("GuardedProbe")
@Authorized(Scope.ContactsRead)
class GuardedProbe {
  @Field(() => String)
  phone!: string;
}

@Resolver()
class PlainProbeResolver {
  @Query(() => [PlainProbe])
  probes(): PlainProbe[] {
    // Plain rows, as the loaders return them (not class instances).
    return [{ name: "Joensuu", title: "kunta", email: "a@example.invalid" } as PlainProbe];
  }

  @Query(() => GuardedProbe, { nullable: true })
  guarded(): GuardedProbe {
    return { phone: "+358 000 1" } as GuardedProbe;
  }
}

const viewer = (scopes: string[]): Viewer => ({ subject: "probe", role: ViewerRole.Analyst, scopes: new Set(scopes), counties: new Set() });

describe("plain @Field properties use the default resolver", () => {
  it("drops type-graphql's wrapper from plain fields only; guarded and renamed fields keep theirs and still refuse without the scope", async () => {
    const schema = await buildFederatedSchema({ resolvers: [PlainProbeResolver], authChecker: scopeAuthChecker, authMode: "error" });
    const plain = schema.getType("PlainProbe") as GraphQLObjectType;
    expect(plain.getFields()["name"]!.resolve).toBeUndefined();
    expect(plain.getFields()["label"]!.resolve).toBeTypeOf("function");
    expect(plain.getFields()["email"]!.resolve).toBeTypeOf("function");
    expect((schema.getType("GuardedProbe") as GraphQLObjectType).getFields()["phone"]!.resolve).toBeTypeOf("function");

    const document = parse("{ probes { name label email } guarded { phone } }");
    const without = await execute({ schema, document, contextValue: { viewer: viewer([]) } });
    expect(without.data).toEqual({ probes: [{ name: "Joensuu", label: "kunta", email: null }], guarded: null });
    expect(without.errors?.map((e) => e.path?.join("."))).toEqual(expect.arrayContaining(["probes.0.email", "guarded.phone"]));
    const withScope = await execute({ schema, document, contextValue: { viewer: viewer([Scope.ContactsRead]) } });
    expect(withScope.errors).toBeUndefined();
    expect(withScope.data).toEqual({ probes: [{ name: "Joensuu", label: "kunta", email: "a@example.invalid" }], guarded: { phone: "+358 000 1" } });
  });
});

@ObjectType("ResolvedProbe")
class ResolvedProbe {
  @Field(() => String)
  code!: string;
}

interface ProbeContext {
  viewer: Viewer;
  suffix: string;
}

@Resolver(() => ResolvedProbe)
class ResolvedProbeResolver {
  // Instance state: a direct call must still run the method on an instance of the class.
  prefix = "k-";

  @Query(() => [ResolvedProbe])
  resolvedProbes(): ResolvedProbe[] {
    return [{ code: "167" }, { code: "091" }] as ResolvedProbe[];
  }

  @FieldResolver(() => String)
  tagged(@Root() probe: ResolvedProbe, @Ctx() context: ProbeContext): string {
    return `${this.prefix}${probe.code}${context.suffix}`;
  }

  @FieldResolver(() => String)
  reversed(@Ctx("suffix") suffix: string, @Root("code") code: string): string {
    return `${suffix}${[...code].reverse().join("")}`;
  }

  @FieldResolver(() => String)
  async later(@Root() probe: ResolvedProbe): Promise<string> {
    return await Promise.resolve(`later ${probe.code}`);
  }

  @FieldResolver(() => String, { nullable: true })
  fails(@Root() probe: ResolvedProbe): string {
    throw new Error(`no value for ${probe.code}`);
  }

  @FieldResolver(() => String)
  repeated(@Root() probe: ResolvedProbe, @Arg("times", () => Int) times: number): string {
    return probe.code.repeat(times);
  }

  @Authorized(Scope.ContactsRead)
  @FieldResolver(() => String, { nullable: true })
  secret(@Root() probe: ResolvedProbe): string {
    return `secret ${probe.code}`;
  }
}

describe("@FieldResolver methods called without type-graphql's wrapper", () => {
  it("rewires only methods of root, context and info parameters, with no guard", async () => {
    const options = { resolvers: [ResolvedProbeResolver] as const, authChecker: scopeAuthChecker, authMode: "error" as const };
    const schema = await buildSchema({ ...options, skipCheck: true });
    const fields = (schema.getType("ResolvedProbe") as GraphQLObjectType).getFields();
    const before = new Map(Object.entries(fields).map(([name, field]) => [name, field.resolve]));
    expect(callFieldResolversDirectly(schema, options).sort()).toEqual(["ResolvedProbe.fails", "ResolvedProbe.later", "ResolvedProbe.reversed", "ResolvedProbe.tagged"]);
    expect(fields["repeated"]!.resolve).toBe(before.get("repeated"));
    expect(fields["secret"]!.resolve).toBe(before.get("secret"));
    expect(fields["tagged"]!.resolve).not.toBe(before.get("tagged"));
    // Nothing with global middlewares or a container: type-graphql's wrapper runs those.
    expect(callFieldResolversDirectly(schema, { ...options, globalMiddlewares: [async (_data, next) => await next()] })).toEqual([]);
    expect(callFieldResolversDirectly(schema, { ...options, container: { get: (someClass: new () => unknown) => new someClass() } })).toEqual([]);
  });

  it("answers as the wrapped methods did: parameters, instance state, promises, errors, arguments and guards", async () => {
    const schema = await buildFederatedSchema({ resolvers: [ResolvedProbeResolver], authChecker: scopeAuthChecker, authMode: "error" });
    const document = parse("{ resolvedProbes { code tagged reversed later fails repeated(times: 2) secret } }");
    const without = await execute({ schema, document, contextValue: { viewer: viewer([]), suffix: "!" } });
    expect(without.data).toEqual({
      resolvedProbes: [
        { code: "167", tagged: "k-167!", reversed: "!761", later: "later 167", fails: null, repeated: "167167", secret: null },
        { code: "091", tagged: "k-091!", reversed: "!190", later: "later 091", fails: null, repeated: "091091", secret: null },
      ],
    });
    expect(without.errors?.map((e) => `${e.path?.join(".")}: ${e.message}`).sort()).toEqual([
      "resolvedProbes.0.fails: no value for 167",
      "resolvedProbes.0.secret: Access denied! You don't have permission for this action!",
      "resolvedProbes.1.fails: no value for 091",
      "resolvedProbes.1.secret: Access denied! You don't have permission for this action!",
    ]);
    const withScope = await execute({ schema, document, contextValue: { viewer: viewer([Scope.ContactsRead]), suffix: "?" } });
    expect((withScope.data as { resolvedProbes: { secret: string; tagged: string }[] }).resolvedProbes.map((p) => [p.tagged, p.secret])).toEqual([
      ["k-167?", "secret 167"],
      ["k-091?", "secret 091"],
    ]);
  });
});
