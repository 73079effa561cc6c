import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { brokenLinks, graphqlExamples, headingAnchors, headingSlug } from "./markdown.ts";

// Every relative link of the README and docs/*.md points to a file that
// exists, and an anchor to a heading of that file.

const root = new URL("..", import.meta.url).pathname;
const documents = ["README.md", "CHANGELOG.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

describe("documentation links", () => {
  it.each(documents)("%s links only to files and headings that exist", (file) => {
    expect(brokenLinks(join(root, file), root)).toEqual([]);
  });

  it("makes GitHub's anchors of headings", () => {
    expect(headingSlug("Audit trail and `changes`")).toBe("audit-trail-and-changes");
    expect(headingSlug("The change feed: `GET /changes`")).toBe("the-change-feed-get-changes");
    expect(headingSlug('Figures measured here (from the README\'s "Deploying")')).toBe("figures-measured-here-from-the-readmes-deploying");
    expect(headingSlug("Yhteistyö ja kumppanuus")).toBe("yhteistyö-ja-kumppanuus");
    expect([...headingAnchors("# A\n## A\n```sh\n# not a heading\n```\n")]).toEqual(["a", "a-1"]);
  });

  it("reports a missing file, a missing heading and skips links in code", () => {
    const dir = mkdtempSync(join(tmpdir(), "doc-links-"));
    writeFileSync(join(dir, "other.md"), "# Present\n");
    writeFileSync(
      join(dir, "index.md"),
      "# Index\n[ok](other.md#present) [self](#index) [web](https://example.org/x)\n[gone](missing.md) [typo](other.md#presnet)\n`[code](nowhere.md)`\n```\n[fenced](nowhere.md)\n```\n",
    );
    expect(brokenLinks(join(dir, "index.md"), dir)).toEqual([
      "index.md: (missing.md) points to a missing file",
      "index.md: (other.md#presnet) names no heading of other.md",
    ]);
  });

  it("reads GraphQL examples with the JSON block after them as variables", () => {
    const examples = graphqlExamples(
      "Text\n\n```graphql\n{ a }\n```\n\n```json\n{ \"x\": 1 }\n```\n\n```graphql\n# Endpoint: /public/graphql\n{ b }\n```\n\nMore\n\n```json\n{ \"y\": 2 }\n```\n",
    );
    expect(examples).toEqual([
      { line: 3, query: "{ a }", variables: { x: 1 }, endpoint: "/graphql" },
      { line: 11, query: "# Endpoint: /public/graphql\n{ b }", variables: {}, endpoint: "/public/graphql" },
    ]);
  });
});
