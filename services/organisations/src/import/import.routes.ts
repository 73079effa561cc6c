import type { IncomingMessage, ServerResponse } from "node:http";
import type { EntityManager } from "@mikro-orm/postgresql";
import { forkForViewer, importRoutes, readJsonBody, RowRefused, sendJson, type InternalRouteDeps, type RowProblem, type Routes } from "@yhdyspinta/core";
import { categoryIdOf, municipalityCodeOf, organisationByKey, personByKey } from "./natural-keys.ts";
import { exportOrganisations } from "./organisation.export.ts";
import { organisationImport } from "./organisation.import.ts";
import { personImport } from "./person.import.ts";

/** An organisation named in another subgraph's import (a membership's organisation). */
interface OrganisationKey {
  text: string;
  column: string;
  municipality?: string;
  municipalityColumn?: string;
  countyCode?: string | null;
}

/** A person named in another subgraph's import: by e-mail, else by name within the organisation. */
interface PersonKey {
  name: string;
  nameColumn: string;
  email?: string;
  emailColumn?: string;
  organisation: OrganisationKey;
}

/** A municipality (code or name) or a county's association category (name) named in another subgraph's import (a seat's constituency). */
interface PlainKey {
  text: string;
  column: string;
  countyCode?: string | null;
}

type Resolved = { id: string; countyCode?: string | null } | { problems: RowProblem[] };

async function resolveOne(work: () => Promise<{ id: string; countyCode?: string | null }>): Promise<Resolved> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RowRefused) return { problems: error.problems };
    throw error;
  }
}

/**
 * The organisations subgraph's import routes: `POST /internal/import`
 * (organisations, people) and `POST /internal/import/resolve`, which the
 * gateway asks for the ids behind the natural keys of the organisations and
 * people a membership row names, and the municipalities and association
 * categories a seat's constituency names (read only; docs/IMPORT.md).
 */
export function organisationImportRoutes(deps: InternalRouteDeps): Routes {
  return {
    ...importRoutes(deps, { organisations: organisationImport, people: personImport }),
    "/internal/import/export": async (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const countyCode = url.searchParams.get("countyCode") ?? "";
      if (!/^\d{2}$/.test(countyCode)) {
        sendJson(res, 400, { error: "countyCode: a 2-digit county code" });
        return;
      }
      const em = forkForViewer(deps.orm.em, deps.viewerOf(req)) as EntityManager;
      sendJson(res, 200, { rows: await exportOrganisations(em, countyCode, url.searchParams.get("search")) });
    },
    "/internal/import/resolve": async (req: IncomingMessage, res: ServerResponse) => {
      const body = await readJsonBody<{ organisations?: OrganisationKey[]; people?: PersonKey[]; municipalities?: PlainKey[]; categories?: PlainKey[] }>(req, res, "The body is not a resolve request");
      if (!body) return;
      const em = forkForViewer(deps.orm.em, deps.viewerOf(req)) as EntityManager;
      // A file names the same organisations and people on many rows (a person's memberships): each key is looked up once.
      const organisationsByKey = new Map<string, ReturnType<typeof organisationByKey>>();
      const organisationOf = (key: OrganisationKey) => {
        const memoKey = JSON.stringify([key.text, key.column, key.municipality ?? null, key.municipalityColumn ?? null, key.countyCode ?? null]);
        let found = organisationsByKey.get(memoKey);
        if (!found) {
          found = organisationByKey(em, key.text, key.column, {
            ...(key.municipality ? { municipality: key.municipality } : {}),
            ...(key.municipalityColumn ? { municipalityColumn: key.municipalityColumn } : {}),
            countyCode: key.countyCode ?? null,
          });
          organisationsByKey.set(memoKey, found);
        }
        return found;
      };
      const organisations: Resolved[] = [];
      for (const key of body.organisations ?? []) {
        organisations.push(await resolveOne(async () => {
          const o = await organisationOf(key);
          return { id: o.id, countyCode: o.countyCode };
        }));
        em.clear();
      }
      const peopleByKey = new Map<string, Resolved>();
      const people: Resolved[] = [];
      for (const key of body.people ?? []) {
        const memoKey = JSON.stringify([key.name, key.nameColumn, key.email ?? null, key.emailColumn ?? null, key.organisation.text, key.organisation.column, key.organisation.municipality ?? null, key.organisation.municipalityColumn ?? null, key.organisation.countyCode ?? null]);
        const seen = peopleByKey.get(memoKey);
        if (seen) {
          people.push(seen);
          continue;
        }
        people.push(await resolveOne(async () => {
          const organisation = key.organisation.text.trim() ? await organisationOf(key.organisation) : null;
          const person = await personByKey(em, { name: key.name, email: key.email ?? null, organisationId: organisation?.id ?? null }, { name: key.nameColumn, email: key.emailColumn ?? key.nameColumn });
          if (!person) {
            throw new RowRefused([{ column: key.nameColumn, rule: `no person "${key.name.trim()}"${organisation ? ` of ${organisation.name}` : ""}; import the people first`, code: "NOT_FOUND" }]);
          }
          return { id: person.id };
        }));
        peopleByKey.set(memoKey, people.at(-1)!);
        em.clear();
      }
      const once = new Map<string, Resolved>();
      const resolveOnce = async (memoKey: string, work: () => Promise<{ id: string }>) => {
        let resolved = once.get(memoKey);
        if (!resolved) once.set(memoKey, (resolved = await resolveOne(work)));
        return resolved;
      };
      const municipalities: Resolved[] = [];
      for (const key of body.municipalities ?? []) municipalities.push(await resolveOnce(JSON.stringify(["m", key.text, key.column]), async () => ({ id: await municipalityCodeOf(em, key.text, key.column) })));
      const categories: Resolved[] = [];
      for (const key of body.categories ?? []) categories.push(await resolveOnce(JSON.stringify(["c", key.text, key.column, key.countyCode ?? null]), async () => ({ id: await categoryIdOf(em, key.text, key.column, key.countyCode ?? null) })));
      sendJson(res, 200, { organisations, people, municipalities, categories });
    },
  };
}
