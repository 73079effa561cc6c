import { Directive, Field, ObjectType } from "type-graphql";
import { InstantScalar } from "../scalars/index.ts";

/** A public register the project syncs from: its licence and the attribution the licence asks for. */
export interface RegisterInfo {
  /** Name in reports and `pnpm sync <name>`. */
  name: string;
  /** Who keeps it and what it is. */
  title: string;
  licence: string;
  attribution: string;
  /** Where its terms are published. */
  termsUrl: string;
}

/** The registers, with their licences (README "Public registers" lists the same). */
export const REGISTERS = {
  sotkanet: {
    name: "sotkanet",
    title: "THL Sotkanet indicator bank (REST API 1.1)",
    licence: "CC BY 4.0",
    attribution: "THL, Sotkanet",
    termsUrl: "https://sotkanet.fi/sotkanet/fi/index?sort=kategoriat",
  },
  ytj: {
    name: "ytj",
    title: "PRH/YTJ open data, companies (API v3)",
    licence: "CC BY 4.0",
    attribution: "Patentti- ja rekisterihallitus (PRH), YTJ avoin data",
    termsUrl: "https://avoindata.prh.fi/fi/ytj/kayttoehdot",
  },
  statfi: {
    name: "statfi",
    title: "Statistics Finland classifications API v2 (municipalities, wellbeing services counties, correspondence)",
    licence: "CC BY 4.0",
    attribution: "Tilastokeskus (Statistics Finland), luokitukset",
    termsUrl: "https://www.stat.fi/org/lainsaadanto/copyright.html",
  },
  ptv: {
    name: "ptv",
    title: "PTV, the Finnish Service Catalogue (Palvelutietovaranto), open API v11: service locations",
    licence: "CC BY 4.0",
    attribution: "Digi- ja väestötietovirasto (DVV), Palvelutietovaranto",
    termsUrl: "https://palvelutietovaranto.suomi.fi/",
  },
  hyte: {
    name: "hyte",
    title: "HYTE indicator sets per funding year (hyte-kerroin, municipalities' wellbeing-promotion supplement), imported from a file",
    licence: "as the source report states",
    attribution: "THL / STM, HYTE indicator sets (source per row)",
    termsUrl: "https://thl.fi/aiheet/hyvinvoinnin-ja-terveyden-edistamisen-johtaminen",
  },
} as const satisfies Record<string, RegisterInfo>;

export type RegisterName = keyof typeof REGISTERS;

/** Columns a synced row carries (see `RegisterProvenance`). */
export interface RegisterSourceColumns {
  sourceRegister: string | null;
  sourceUrl: string | null;
  fetchedAt: Date | null;
  syncReportId: string | null;
}

/**
 * Where a synced record comes from: the register, the URL its values were
 * read from, when, and the licence attribution to show with it.
 */
@ObjectType("RegisterProvenance", { description: "Where a record synced from a public register comes from: register, source URL, when it was fetched, and the licence attribution to show with it." })
@Directive("@shareable")
export class RegisterProvenance {
  @Field(() => String, { description: "Register, e.g. \"sotkanet\"." })
  register!: string;

  @Field(() => String, { description: "URL the record was read from." })
  sourceUrl!: string;

  @Field(() => InstantScalar, { description: "When it was fetched (ISO 8601, UTC)." })
  fetchedAt!: Date;

  @Field(() => String, { description: "Licence of the register's data, e.g. \"CC BY 4.0\"." })
  licence!: string;

  @Field(() => String, { description: "Attribution the licence asks for, e.g. \"THL, Sotkanet\"." })
  attribution!: string;

  @Field(() => String, { nullable: true, description: "The sync run that wrote it (`RegisterSyncReport.id`)." })
  syncReportId!: string | null;
}

/** The provenance of a row with register columns; null for a row typed by hand. */
export function registerProvenance(row: RegisterSourceColumns): RegisterProvenance | null {
  if (!row.sourceRegister || !row.sourceUrl || !row.fetchedAt) return null;
  const info = (REGISTERS as Record<string, RegisterInfo>)[row.sourceRegister];
  return {
    register: row.sourceRegister,
    sourceUrl: row.sourceUrl,
    fetchedAt: row.fetchedAt instanceof Date ? row.fetchedAt : new Date(row.fetchedAt),
    licence: info?.licence ?? "unknown",
    attribution: info?.attribution ?? row.sourceRegister,
    syncReportId: row.syncReportId,
  };
}
