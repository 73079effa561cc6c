import type { EntityManager } from "@mikro-orm/postgresql";
import type { Classification } from "./classification.ts";
import { createCategoryLoaders } from "./category/category.loaders.ts";
import { createCountyLoaders } from "./county/county.loaders.ts";
import { createDocumentLoaders } from "./document/document.loaders.ts";
import { createMunicipalityLoaders } from "./municipality/municipality.loaders.ts";
import { createOrganisationLoaders } from "./organisation/organisation.loaders.ts";
import { createPersonLoaders } from "./person/person.loaders.ts";
import { createRegisterLoaders } from "./register/register.loaders.ts";

/** The request's DataLoaders, every feature's in one object: each fan-out and entity reference goes through one. */
export function createLoaders(em: EntityManager, classification: Classification) {
  return {
    ...createDocumentLoaders(em),
    ...createCountyLoaders(em),
    ...createMunicipalityLoaders(em, classification),
    ...createOrganisationLoaders(em, classification),
    ...createCategoryLoaders(em),
    ...createPersonLoaders(em),
    ...createRegisterLoaders(em),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
