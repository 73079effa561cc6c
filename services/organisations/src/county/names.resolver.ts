import { Arg, FieldResolver, Resolver, Root, registerEnumType } from "type-graphql";
import { County } from "./county.entity.ts";
import { Municipality } from "../municipality/municipality.entity.ts";

/** Language of a name. */
export enum NameLanguage {
  FI = "fi",
  SV = "sv",
  EN = "en",
}

registerEnumType(NameLanguage, {
  name: "NameLanguage",
  description: "Language of an official name. Where the source gives no name in the language asked for, the Finnish name is returned.",
  valuesConfig: {
    FI: { description: "Finnish (suomi)." },
    SV: { description: "Swedish (svenska)." },
    EN: { description: "English; only counties have official English names in the classification." },
  },
});

const LANG_DESCRIPTION = "Language; default FI. Falls back to the Finnish name where the source gives none in that language.";

@Resolver(() => County)
export class CountyNameResolver {
  @FieldResolver(() => String, { description: "Official name in the language asked for (Statistics Finland's classification gives fi, sv and en)." })
  name(
    @Root() county: County,
    @Arg("lang", () => NameLanguage, { nullable: true, description: LANG_DESCRIPTION }) lang: NameLanguage | null,
  ): string {
    if (lang === NameLanguage.SV) return county.nameSv || county.nameFi;
    if (lang === NameLanguage.EN) return county.nameEn || county.nameFi;
    return county.nameFi;
  }
}

@Resolver(() => Municipality)
export class MunicipalityNameResolver {
  @FieldResolver(() => String, {
    description: "Official name in the language asked for: fi and sv from the classification (sv equals fi where the municipality has no Swedish name); en falls back to fi.",
  })
  name(
    @Root() municipality: Municipality,
    @Arg("lang", () => NameLanguage, { nullable: true, description: LANG_DESCRIPTION }) lang: NameLanguage | null,
  ): string {
    if (lang === NameLanguage.SV) return municipality.nameSv || municipality.nameFi;
    return municipality.nameFi;
  }
}
