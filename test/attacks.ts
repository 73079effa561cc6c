/** `municipality → cooperationGroups → municipalities → …` with `levels` nested fields. */
export function depthBomb(levels: number): string {
  let inner = "code";
  for (let level = 2; level < levels; level += 2) inner = `cooperationGroups { id municipalities { ${inner} } }`;
  return `{ municipality(code: "167") { ${inner} } }`;
}

/** `count` aliases of one list field under `counties`. */
export function aliasBomb(count: number): string {
  return `{ counties { ${Array.from({ length: count }, (_, i) => `a${i}: code`).join(" ")} } }`;
}
