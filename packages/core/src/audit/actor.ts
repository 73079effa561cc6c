import type { EntityManager as CoreEntityManager } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Viewer } from "../auth.ts";

/** Who makes the changes of a request, as carried on its EntityManager (and every fork of it). */
export interface AuditActor {
  subject: string | null;
  role: string | null;
}

/** Key of the actor in the EntityManager's logger context, which MikroORM copies into every fork and transaction. */
const ACTOR_KEY = "auditActor";

/** Forks the request's EntityManager with its caller attached: everything written through it (and its transactions) is audited as theirs. */
export function forkForViewer(em: CoreEntityManager, viewer: Viewer): EntityManager {
  const actor: AuditActor = { subject: viewer.subject, role: viewer.role };
  return em.fork({ loggerContext: { [ACTOR_KEY]: actor } }) as EntityManager;
}

/** Forks for a public register's sync: its writes are audited as subject `register:<name>` (no role). */
export function forkForRegister(em: CoreEntityManager, register: string): EntityManager {
  const actor: AuditActor = { subject: `register:${register}`, role: null };
  return em.fork({ loggerContext: { [ACTOR_KEY]: actor } }) as EntityManager;
}

/** The caller a fork carries; null outside a request (start-up seeding, migrations), whose writes are not audited. */
export function auditActorOf(em: CoreEntityManager): AuditActor | null {
  const raw = (em.getLoggerContext({ disableContextResolution: true }) as Record<string, unknown>)[ACTOR_KEY];
  if (!raw || typeof raw !== "object") return null;
  const actor = raw as Partial<AuditActor>;
  return { subject: actor.subject ?? null, role: actor.role ?? null };
}
