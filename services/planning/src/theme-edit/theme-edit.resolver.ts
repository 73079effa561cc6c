import { randomUUID } from "node:crypto";
import { BadUserInputError, RecordSource, Scope, writeProvenance } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { checkReferences } from "../county-scope.rules.ts";
import { renumber } from "../plan/plan.rules.ts";
import { Theme } from "../theme/theme.entity.ts";
import { CreateThemeInput, UpdateThemeInput } from "../theme/theme.input.ts";
import { checkThemeName, checkThemeRemovable, lockTheme, lockThemesOf } from "../theme/theme.rules.ts";

const unique = (ids: readonly string[] | null | undefined): string[] => [...new Set(ids ?? [])];

/** Coordinators keep their county's shared themes. */
@Resolver()
export class ThemeEditResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => Theme, {
    description: "Adds a shared wellbeing theme to a county, last or at a position (the themes after it move down); its name is unique in the county. Needs `data:write` and a role for the county.",
  })
  async createTheme(
    @Arg("input", () => CreateThemeInput, { description: "The theme." }) input: CreateThemeInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<Theme> {
    await checkReferences({ references, viewer }, [{ field: "input.groupIds", type: "CooperationGroup", keys: input.groupIds ?? [] }]);
    return await em.transactional(async (tx) => {
      const themes = await lockThemesOf(tx, viewer, input.countyCode);
      checkThemeName(themes, input.name, null);
      const theme = tx.create(Theme, {
        id: `theme-${randomUUID()}`,
        countyCode: input.countyCode,
        position: themes.length + 1,
        name: input.name,
        nameEn: input.nameEn ?? null,
        groupIds: unique(input.groupIds),
      });
      if (input.position) renumber([...themes, theme], theme, input.position);
      else theme.position = Math.max(0, ...themes.map((t) => t.position)) + 1;
      await tx.flush();
      await writeProvenance(tx, "Theme", theme.id, input.provenance);
      return theme;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Theme, {
    description: "Changes a theme: name, English name, position (the themes in between move), groups. Needs `data:write` and a role for the theme's county.",
  })
  async updateTheme(
    @Arg("input", () => UpdateThemeInput, { description: "The changes." }) input: UpdateThemeInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<Theme> {
    if (input.name === null) throw new BadUserInputError("input.name", "a theme keeps a name");
    await checkReferences({ references, viewer }, [{ field: "input.groupIds", type: "CooperationGroup", keys: input.groupIds ?? [] }]);
    return await em.transactional(async (tx) => {
      const { theme, themes } = await lockTheme(tx, viewer, input.themeId, "input.themeId");
      if (input.name) {
        checkThemeName(themes, input.name, theme);
        theme.name = input.name;
      }
      if (input.nameEn !== undefined) theme.nameEn = input.nameEn;
      if (input.groupIds) theme.groupIds = unique(input.groupIds);
      if (input.position) renumber(themes, theme, input.position);
      await tx.flush();
      await writeProvenance(tx, "Theme", theme.id, input.provenance);
      return theme;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, {
    description:
      "Removes a theme recorded by mistake (the themes after it move up); returns its id. Refused while a plan, goal, grant or the strategy names it. Needs `data:write` and a role for the theme's county.",
  })
  async removeTheme(
    @Arg("themeId", () => ID, { description: "The theme." }) themeId: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const { theme, themes } = await lockTheme(tx, viewer, themeId, "themeId");
      await checkThemeRemovable(tx, theme);
      const source = await tx.findOne(RecordSource, { recordType: "Theme", recordId: theme.id });
      if (source) tx.remove(source);
      tx.remove(theme);
      // The themes after it move up: positions stay 1…n, as a goal's removal keeps its plan's.
      renumber(themes.filter((t) => t !== theme));
      return theme.id;
    });
  }
}
