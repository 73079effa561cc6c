import { readRows } from "@yhdyspinta/core";
import type { EntityManager } from "@mikro-orm/postgresql";

/** What the groups subgraph knows of one person's roles on a day (docs/PERSONAL-DATA.md). */
export interface PersonRoles {
  personId: string;
  /** Any membership, group contact, nomination, attendance or nomination-round contact refers to the person. */
  hasRoles: boolean;
  /** A role continues on the day (or starts later): a membership not ended, a group contact, a nomination not decided, an open round's contact. */
  ongoing: boolean;
  /** The last day a role ended (membership or round contact); null if none ended. */
  lastRoleEndedOn: string | null;
  /** The last day a round closed in which the person was not appointed (nomination rejected or withdrawn); null if none. */
  lastNotAppointedRoundClosedOn: string | null;
  /** A seat the person holds on the day by appointment (a seat of a group or an accepted nomination), described; null if none. */
  appointedSeat: string | null;
}

interface RoleRow {
  person_id: string;
  has_roles: boolean;
  ongoing: boolean;
  last_role_ended_on: string | null;
  last_not_appointed_closed_on: string | null;
  appointed_seat: string | null;
}

/**
 * personRoles: the roles of each person on `asOf`, in the ids' order (one
 * statement for the batch). Memberships corrected as recorded by mistake never count.
 */
export async function personRoles(em: EntityManager, personIds: readonly string[], asOf: string): Promise<PersonRoles[]> {
  if (personIds.length === 0) return [];
  const rows = await readRows<RoleRow>(em,
    `/* personRoles */ with ids(person_id) as (select jsonb_array_elements_text(?::jsonb))
     select ids.person_id,
       (exists (select 1 from membership m where m.person_id = ids.person_id)
         or exists (select 1 from group_contact gc where gc.person_id = ids.person_id)
         or exists (select 1 from nomination n where n.person_id = ids.person_id)
         or exists (select 1 from meeting_attendance a where a.person_id = ids.person_id)
         or exists (select 1 from nomination_round r where r.contact_person_id = ids.person_id)) as has_roles,
       (exists (select 1 from membership m where m.person_id = ids.person_id and m.corrected_at is null and (m.ends_on is null or m.ends_on >= ?::date))
         or exists (select 1 from group_contact gc where gc.person_id = ids.person_id)
         or exists (select 1 from nomination n where n.person_id = ids.person_id and n.status = 'submitted')
         or exists (select 1 from nomination_round r where r.contact_person_id = ids.person_id and r.closed_at is null and r.closes_on >= ?::date)) as ongoing,
       (select to_char(max(d), 'YYYY-MM-DD') from (
          select m.ends_on as d from membership m where m.person_id = ids.person_id and m.corrected_at is null
          union all select r.closes_on from nomination_round r where r.contact_person_id = ids.person_id) ended) as last_role_ended_on,
       (select to_char(max(r.closes_on), 'YYYY-MM-DD') from nomination n join nomination_round r on r.id = n.round_id
          where n.person_id = ids.person_id and n.status in ('rejected', 'withdrawn')) as last_not_appointed_closed_on,
       (select g.name || ': ' || m.role || coalesce(' since ' || to_char(m.starts_on, 'YYYY-MM-DD'), '') from membership m join cooperation_group g on g.id = m.group_id
          where m.person_id = ids.person_id and m.corrected_at is null
            and (m.starts_on is null or m.starts_on <= ?::date) and (m.ends_on is null or m.ends_on >= ?::date)
            and (m.seat_id is not null or exists (select 1 from nomination n where n.membership_id = m.id and n.status = 'accepted'))
          order by m.starts_on nulls first, m.id limit 1) as appointed_seat
     from ids`,
    [JSON.stringify(personIds), asOf, asOf, asOf, asOf],
  );
  const byId = new Map(rows.map((r) => [r.person_id, r]));
  return personIds.map((personId) => {
    const r = byId.get(personId);
    return {
      personId,
      hasRoles: r?.has_roles ?? false,
      ongoing: r?.ongoing ?? false,
      lastRoleEndedOn: r?.last_role_ended_on ?? null,
      lastNotAppointedRoundClosedOn: r?.last_not_appointed_closed_on ?? null,
      appointedSeat: r?.appointed_seat ?? null,
    };
  });
}
