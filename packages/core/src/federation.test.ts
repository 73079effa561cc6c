import "reflect-metadata";
import { execute, type GraphQLObjectType, parse } from "graphql";
import { Authorized, Field, ObjectType, Query, Resolver } from "type-graphql";
import { describe, expect, it } from "vitest";
import { Scope, scopeAuthChecker, type Viewer, ViewerRole } from "./auth.ts";
import { buildFederatedSchema } from "./federation.ts";

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
