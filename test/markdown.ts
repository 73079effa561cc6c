import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/** A fenced code block of a Markdown file: its info string, text and first line (1-based). */
export interface CodeBlock {
  lang: string;
  text: string;
  line: number;
}

/** The fenced code blocks of a Markdown text, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: { lang: string; line: number; lines: string[] } | undefined;
  markdown.split("\n").forEach((line, i) => {
    const fence = /^\s*```(.*)$/.exec(line);
    if (open) {
      if (fence && fence[1]!.trim() === "") {
        blocks.push({ lang: open.lang, text: open.lines.join("\n"), line: open.line });
        open = undefined;
      } else open.lines.push(line);
    } else if (fence) open = { lang: fence[1]!.trim(), line: i + 1, lines: [] };
  });
  return blocks;
}

/** A GraphQL example of a Markdown text: a ```graphql block, with the ```json block right after it as its variables. */
export interface GraphQLExample {
  line: number;
  query: string;
  variables: Record<string, unknown>;
  /** Path the example is sent to: `/graphql`, or what a `# Endpoint: <path>` line in it names. */
  endpoint: string;
}

export function graphqlExamples(markdown: string): GraphQLExample[] {
  const lines = markdown.split("\n");
  const blocks = codeBlocks(markdown);
  const examples: GraphQLExample[] = [];
  blocks.forEach((block, i) => {
    if (block.lang !== "graphql") return;
    const next = blocks[i + 1];
    const closing = block.line + block.text.split("\n").length + 1; // the closing fence's line (1-based)
    const between = next ? lines.slice(closing, next.line - 1) : [];
    const variables =
      next?.lang === "json" && between.every((l) => l.trim() === "")
        ? (JSON.parse(next.text) as Record<string, unknown>)
        : {};
    const endpoint = /^#\s*Endpoint:\s*(\S+)/m.exec(block.text)?.[1] ?? "/graphql";
    examples.push({ line: block.line, query: block.text, variables, endpoint });
  });
  return examples;
}

/** GitHub's anchor of a heading text: lower case, punctuation dropped, spaces as hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a Markdown text's headings get (outside code blocks; repeated ones numbered as GitHub does). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCode(markdown, { keepInlineCode: true }).split("\n")) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = headingSlug(heading[1]!);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The text with fenced blocks blanked and inline code removed (links inside code are not links). */
function withoutCode(markdown: string, { keepInlineCode = false } = {}): string {
  let inFence = false;
  return markdown
    .split("\n")
    .map((line) => {
      if (/^\s*```/.test(line)) {
        inFence = !inFence;
        return "";
      }
      if (inFence) return "";
      return keepInlineCode ? line : line.replace(/`[^`]*`/g, "``");
    })
    .join("\n");
}

/** Relative links (`[text](target)`) of a Markdown text; web and mail links left out. */
export function relativeLinks(markdown: string): string[] {
  const links: string[] = [];
  for (const match of withoutCode(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    links.push(target);
  }
  return links;
}

/** What is wrong with each relative link of a Markdown file: a missing file or a missing heading anchor. */
export function brokenLinks(file: string, root: string): string[] {
  const problems: string[] = [];
  for (const link of relativeLinks(readFileSync(file, "utf8"))) {
    const [path, anchor] = link.split("#", 2) as [string, string | undefined];
    const target = path === "" ? file : join(dirname(file), decodeURI(path));
    const where = `${relative(root, file)}: (${link})`;
    if (!existsSync(target)) {
      problems.push(`${where} points to a missing file`);
      continue;
    }
    if (anchor === undefined || anchor === "") continue;
    if (statSync(target).isDirectory() || !target.endsWith(".md")) {
      problems.push(`${where} has an anchor into a file that is not Markdown`);
      continue;
    }
    if (!headingAnchors(readFileSync(target, "utf8")).has(decodeURIComponent(anchor))) {
      problems.push(`${where} names no heading of ${relative(root, target)}`);
    }
  }
  return problems;
}
