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

/**
 * `levels` fragments on a county, each selecting `field` and spreading the
 * next twice: about 40 bytes a level, 2^(levels+1) fields as executed.
 */
export function fragmentBomb(levels: number, field = "__typename"): string {
  const chain = Array.from({ length: levels }, (_, i) => `fragment F${i} on WellbeingServicesCounty { ${field} ...F${i + 1} ...F${i + 1} }`);
  return `{ county(code: "14") { ...F0 } }\n${chain.join("\n")}\nfragment F${levels} on WellbeingServicesCounty { ${field} }`;
}
