import { changeFeedResolver, changesResolver, countyVia, ownCounty } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { Area } from "../area/area.entity.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { CooperationLevel, LiaisonHolder, LiaisonRole } from "../liaison/liaison.entity.ts";
import { Meeting } from "../meeting/meeting.entity.ts";
import { Membership } from "../membership/membership.entity.ts";
import { Nomination, NominationRound } from "../nomination/nomination.entity.ts";
import { GroupSeat } from "../seat/seat.entity.ts";
import { GroupTerm, Term } from "../term/term.entity.ts";
import { Reminder } from "../reminder/reminder.entity.ts";

const countyOfGroup = async (groupId: string, { loaders }: Context): Promise<string | null> =>
  (await loaders.groupById.load(groupId))?.countyCode ?? null;

/** The subgraph's change feed (`groupsChangeFeed`): the county of each type's record, from its recorded values. */
export const groupsChangeFeed = changeFeedResolver<Context>({
  subgraph: "groups",
  counties: {
    CooperationGroup: ownCounty,
    GroupSeat: countyVia("cooperation_group", "groupId"),
    GroupMembership: countyVia("cooperation_group", "groupId"),
    GroupMeeting: countyVia("cooperation_group", "groupId"),
    GroupContact: countyVia("cooperation_group", "groupId"),
    NominationRound: ownCounty,
    Nomination: countyVia("nomination_round", "roundId"),
    Nominator: countyVia("nomination_round", "roundId"),
    // Two steps away: a meeting's group, a nomination's round.
    MeetingAttendance: `(select g.county_code from meeting m join cooperation_group g on g.id = m.group_id where m.id = coalesce(c.after->>'meetingId', c.before->>'meetingId'))`,
    Term: ownCounty,
    GroupTerm: countyVia("cooperation_group", "groupId"),
    NominationStatusChange: `(select r.county_code from nomination n join nomination_round r on r.id = n.round_id where n.id = coalesce(c.after->>'nominationId', c.before->>'nominationId'))`,
    Area: ownCounty,
    AreaMunicipality: countyVia("area", "areaId"),
    CooperationLevel: ownCounty,
    LiaisonRole: ownCounty,
    LiaisonHolder: countyVia("liaison_role", "roleId"),
  },
});

/** `changes` on the audited types of this subgraph, each readable by an admin or a coordinator of its county. */
export const auditResolvers = [
  changesResolver<CooperationGroup, Context>(CooperationGroup, "CooperationGroup", (g) => g.countyCode),
  changesResolver<GroupSeat, Context>(GroupSeat, "GroupSeat", (s, ctx) => countyOfGroup(s.groupId, ctx)),
  changesResolver<Membership, Context>(Membership, "GroupMembership", (m, ctx) => countyOfGroup(m.groupId, ctx)),
  changesResolver<Meeting, Context>(Meeting, "GroupMeeting", (m, ctx) => countyOfGroup(m.groupId, ctx)),
  changesResolver<NominationRound, Context>(NominationRound, "NominationRound", (r) => r.countyCode),
  changesResolver<Nomination, Context>(Nomination, "Nomination", async (n, { loaders }) => (await loaders.roundById.load(n.roundId))?.countyCode ?? null),
  changesResolver<Area, Context>(Area, "Area", (a) => a.countyCode),
  changesResolver<CooperationLevel, Context>(CooperationLevel, "CooperationLevel", (l) => l.countyCode),
  changesResolver<LiaisonRole, Context>(LiaisonRole, "LiaisonRole", (r) => r.countyCode),
  changesResolver<LiaisonHolder, Context>(LiaisonHolder, "LiaisonHolder", async (h, { loaders }) => (await loaders.liaisonById.load(h.roleId))?.countyCode ?? null),
  changesResolver<Term, Context>(Term, "Term", (t) => t.countyCode),
  changesResolver<GroupTerm, Context>(GroupTerm, "GroupTerm", (t, ctx) => countyOfGroup(t.groupId, ctx)),
  changesResolver<Reminder, Context>(Reminder, "GroupReminder", (r) => r.countyCode),
  groupsChangeFeed,
];
