import { describe, expect, it } from "vitest";
import { dedupeRepresentations, fanOutEntities } from "../src/representations.ts";

const person = (id: string) => ({ __typename: "Person", id });

describe("_entities representations", () => {
  it("keeps each distinct representation once, in order of first occurrence", () => {
    const list = [person("a"), person("b"), person("a"), { __typename: "Organisation", id: "a" }, person("b"), person("a")];
    const { unique, indexOf } = dedupeRepresentations(list);
    expect(unique).toEqual([person("a"), person("b"), { __typename: "Organisation", id: "a" }]);
    expect(indexOf).toEqual([0, 1, 0, 2, 1, 0]);
    expect(indexOf.map((at) => unique[at])).toEqual(list);
  });

  it("fans entities out to every original position and repeats their errors there", () => {
    const list = [person("a"), person("b"), person("a"), person("c"), person("b")];
    const deduped = dedupeRepresentations(list);
    const response = {
      data: { _entities: [{ name: "A" }, null, { name: "C" }] },
      errors: [
        { message: "b is hidden", path: ["_entities", 1, "email"], extensions: { code: "FORBIDDEN" } },
        { message: "whole operation", extensions: { code: "X" } },
      ],
    };
    const out = fanOutEntities(response, deduped);
    expect(out.data?._entities).toEqual([{ name: "A" }, null, { name: "A" }, { name: "C" }, null]);
    expect(out.errors).toEqual([
      { message: "b is hidden", path: ["_entities", 1, "email"], extensions: { code: "FORBIDDEN" } },
      { message: "b is hidden", path: ["_entities", 4, "email"], extensions: { code: "FORBIDDEN" } },
      { message: "whole operation", extensions: { code: "X" } },
    ]);
  });

  it("leaves a response without entities (a failed fetch) as it is", () => {
    const deduped = dedupeRepresentations([person("a"), person("a")]);
    const failed = { data: null, errors: [{ message: "The organisations service is unavailable" }] };
    expect(fanOutEntities(failed, deduped)).toEqual(failed);
  });
});
