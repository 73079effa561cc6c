import type { EntityManager } from "@mikro-orm/postgresql";
import { createSourceLoader } from "@yhdyspinta/core";
import { createAreaLoaders } from "./area/area.loaders.ts";
import { createGroupLoaders } from "./group/group.loaders.ts";
import { createLiaisonLoaders } from "./liaison/liaison.loaders.ts";
import { createMeetingLoaders } from "./meeting/meeting.loaders.ts";
import { createMembershipLoaders } from "./membership/membership.loaders.ts";
import { createNominationLoaders } from "./nomination/nomination.loaders.ts";
import { createSeatLoaders } from "./seat/seat.loaders.ts";
import { createMeetingRecordLoaders } from "./meeting-record/meeting-record.loaders.ts";
import { createRoundWorkflowLoaders } from "./round-workflow/round-workflow.loaders.ts";
import { createTermLoaders } from "./term/term.loaders.ts";

/**
 * The request's DataLoaders, merged from each feature's `<feature>.loaders.ts`:
 * every fan-out and entity reference goes through one query per batch.
 */
export function createLoaders(em: EntityManager) {
  return {
    sourceOf: createSourceLoader(em),
    ...createGroupLoaders(em),
    ...createAreaLoaders(em),
    ...createSeatLoaders(em),
    ...createMembershipLoaders(em),
    ...createMeetingLoaders(em),
    ...createNominationLoaders(em),
    ...createLiaisonLoaders(em),
    ...createRoundWorkflowLoaders(em),
    ...createMeetingRecordLoaders(em),
    ...createTermLoaders(em),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
