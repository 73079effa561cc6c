import type { ViewName } from "../../views/index.ts";

/**
 * The lower bound of the benchmark: each dashboard view answered by ONE
 * hand-written SQL query over all services' tables (the benchmark puts the
 * three services in one database for this), with PostgreSQL building the
 * nested JSON of the view's response. No GraphQL, no federation, no ORM.
 *
 * Each entry maps the view's variables to the query's parameters.
 */
export interface ReferenceQuery {
  sql: string;
  params: (variables: Record<string, unknown>, context: { year: number; today: string }) => unknown[];
}

/**
 * The CTEs both group views share: `active_ms`, the memberships of the groups
 * in CTE `${groupsCte}` (column `id`) held on the day `${dayParam}` as
 * `isActiveOn` reads it (not corrected; started; not ended, or serving on as
 * carried over), each with `role_ord` (`membershipOrder`: ROLE_ORDER, then
 * start, unknown first, then id); and `ms_org`, the organisation each of
 * their organisation ids resolves to as the organisations subgraph resolves a
 * reference: Helsinki's municipality key is an alias of its county record,
 * and a merged duplicate reads the record it was merged into, with `all_ids`
 * (its own id, then the ids of the duplicates merged into it, by id).
 */
const MEMBERSHIPS = (groupsCte: string, dayParam: string) => `
active_ms as (
  select ms.id, ms.group_id, ms.seat_id, ms.person_id, ms.organisation_id, ms.role, ms.starts_on, ms.ends_on,
    coalesce(array_position(array['chair', 'vice_chair', 'member', 'deputy', 'speaking_right', 'secretary', 'coordinator']::text[], ms.role::text), 0) as role_ord
  from membership ms join ${groupsCte} on ${groupsCte}.id = ms.group_id
  where ms.corrected_at is null
    and (ms.starts_on is null or ms.starts_on <= ${dayParam}::date)
    and (ms.ends_on is null or ms.ends_on >= ${dayParam}::date
         or (ms.carry_over and (ms.carry_over_ends_on is null or ms.carry_over_ends_on >= ${dayParam}::date)))),
ms_org_ref as (
  select x.ref_id, coalesce(o1.merged_into, o0.merged_into, o0.id) as id
  from (select distinct organisation_id as ref_id from active_ms where organisation_id is not null) x
  join organisation o0 on o0.id = case x.ref_id when 'org-municipality-091' then 'org-county-90' else x.ref_id end
  left join organisation o1 on o1.id = o0.merged_into),
ms_org as (
  select r.ref_id, o.id, o.name, upper(o.kind) as kind, to_json(array[o.id::text] || coalesce(d.ids, '{}')) as all_ids
  from ms_org_ref r join organisation o on o.id = r.id
  left join (select merged_into, array_agg(id::text order by id) as ids from organisation
             where merged_into in (select id from ms_org_ref) group by merged_into) d on d.merged_into = o.id)`;

export const REFERENCE_QUERIES: Record<ViewName, ReferenceQuery> = {
  "partnership-groups-by-municipality": {
    // $2: the day groups must be working on (none: every group); $4: the memberships' day (default today).
    params: (v, c) => [v["countyCodes"], v["activeOn"] ?? null, c.year, v["activeOn"] ?? c.today, String(v["kind"] ?? "PARTNERSHIP_GROUP").toLowerCase()],
    sql: `
with cty as (select code, name_fi from county where code = any($1::text[]) and kind <> 'aland'),
mun as (select m.code, m.name_fi, m.county_code from municipality m join cty on cty.code = m.county_code where m.year = $3),
links as (
  select gm.municipality_code, g.id, g.name, g.area_id
  from group_municipality gm join mun on mun.code = gm.municipality_code join cooperation_group g on g.id = gm.group_id
  where g.kind = $5
    and ($2::date is null or ((g.starts_on is null or g.starts_on <= $2::date) and (g.ends_on is null or g.ends_on >= $2::date)))),
grp as (select distinct id, name, area_id from links),
${MEMBERSHIPS("grp", "$4")},
member_json as (
  select a.group_id, json_agg(json_build_object(
    'role', upper(a.role), 'startsOn', a.starts_on, 'endsOn', a.ends_on,
    'person', json_build_object('id', p.id, 'name', p.name, 'title', p.title),
    'organisation', case when o.id is null then null else json_build_object('id', o.id, 'allIds', o.all_ids, 'name', o.name, 'kind', o.kind) end
  ) order by a.role_ord, a.starts_on nulls first, a.id) as memberships
  from active_ms a join person p on p.id = a.person_id left join ms_org o on o.ref_id = a.organisation_id
  group by a.group_id),
theme_json as (
  select t.group_id, json_agg(json_build_object('id', t.id, 'name', t.name) order by t.position, t.id) as themes
  from (select th.id, th.name, th.position, gid as group_id from theme th cross join lateral unnest(th.group_ids) gid
        where th.group_ids && (select array_agg(id)::text[] from grp)) t
  join grp on grp.id = t.group_id
  group by t.group_id),
group_json as (
  select g.id, json_build_object(
    'id', g.id, 'name', g.name,
    'area', case when ar.id is null then null else json_build_object('id', ar.id, 'name', ar.name) end,
    'memberships', coalesce(mj.memberships, '[]'::json),
    'themes', coalesce(tj.themes, '[]'::json)) as obj
  from grp g left join area ar on ar.id = g.area_id
  left join member_json mj on mj.group_id = g.id left join theme_json tj on tj.group_id = g.id),
mun_json as (
  select mun.county_code, json_agg(json_build_object('code', mun.code, 'nameFi', mun.name_fi,
    'cooperationGroups', coalesce(mg.groups, '[]'::json)) order by mun.name_fi) as municipalities
  from mun left join (
    select l.municipality_code, json_agg(gj.obj order by l.name, l.id) as groups
    from links l join group_json gj on gj.id = l.id group by l.municipality_code) mg on mg.municipality_code = mun.code
  group by mun.county_code)
select json_build_object('counties', coalesce(json_agg(json_build_object(
  'code', cty.code, 'nameFi', cty.name_fi, 'municipalities', coalesce(mj.municipalities, '[]'::json)
) order by cty.code), '[]'::json)) as data
from cty left join mun_json mj on mj.county_code = cty.code`,
  },

  "coverage-matrix": {
    params: (v, c) => [v["countyCode"], c.year],
    sql: `
with mun as (select code, name_fi from municipality where county_code = $1 and year = $2),
links as (
  select gm.municipality_code, g.id, g.kind, g.name
  from group_municipality gm join mun on mun.code = gm.municipality_code join cooperation_group g on g.id = gm.group_id),
group_themes as (
  select g.id, coalesce(json_agg(json_build_object('id', t.id) order by t.position) filter (where t.id is not null), '[]'::json) as themes
  from (select distinct id from links) g left join theme t on t.group_ids @> array[g.id]::text[]
  group by g.id),
kinds as (select * from (values ('cooperation_group', 1), ('partnership_group', 2), ('advisory_board', 3), ('liaison_network', 4), ('partnership_table', 5)) as k(kind, ord)),
counts as (select municipality_code, kind, count(*) as n from links group by municipality_code, kind),
coverage as (
  select mun.code, json_agg(json_build_object('kind', upper(k.kind), 'groupCount', coalesce(c.n, 0), 'covered', coalesce(c.n, 0) > 0) order by k.ord) as cells
  from mun cross join kinds k left join counts c on c.municipality_code = mun.code and c.kind = k.kind
  group by mun.code),
groups_json as (
  select l.municipality_code, json_agg(json_build_object('id', l.id, 'kind', upper(l.kind), 'themes', gt.themes) order by l.name, l.id) as groups
  from links l join group_themes gt on gt.id = l.id
  group by l.municipality_code)
select json_build_object('county', json_build_object(
  'code', c.code, 'nameFi', c.name_fi,
  'themes', (select coalesce(json_agg(json_build_object('id', t.id, 'name', t.name) order by t.position), '[]'::json)
             from theme t where t.county_code = c.code),
  'municipalities', (
    select coalesce(json_agg(json_build_object('code', mun.code, 'nameFi', mun.name_fi, 'groupCoverage', cv.cells,
      'cooperationGroups', coalesce(gj.groups, '[]'::json)) order by mun.name_fi), '[]'::json)
    from mun join coverage cv on cv.code = mun.code left join groups_json gj on gj.municipality_code = mun.code)
)) as data
from county c where c.code = $1`,
  },

  "nomination-status": {
    // `isOpen` is decided on today in Helsinki, as the resolver decides it (not the context's UTC day).
    params: (v, c) => [v["countyCode"], v["closedSince"], new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Helsinki" }).format(new Date()), c.year],
    sql: `
with rounds as (
  select r.* from nomination_round r where ($1::text is null or r.county_code = $1) and r.closes_on >= $2::date),
noms as (
  select x.* from rounds r join nomination x on x.round_id = r.id),
-- An organisation key resolves as the organisations subgraph resolves it: Helsinki's municipality key to the
-- city's record, a merged duplicate to the record that stays (at most three hops); id stays the key asked.
org_keys as (select distinct organisation_id as key from noms where organisation_id is not null),
orgs as (
  select key, (s).id, (s).name from (
    select k.key, case when o0.merged_into is null then o0 when o1.merged_into is null then o1
                       when o2.merged_into is null then o2 else o3 end as s
    from org_keys k
    join organisation o0 on o0.id = case k.key when 'org-municipality-091' then 'org-county-90' else k.key end
    left join organisation o1 on o1.id = o0.merged_into
    left join organisation o2 on o2.id = o1.merged_into
    left join organisation o3 on o3.id = o2.merged_into) r
  where (s).id is not null),
merged as (
  select merged_into as id, array_agg(id order by id) as ids
  from organisation where merged_into in (select id from orgs) group by merged_into),
per_nominator as (
  select x.nominator_id,
    min(x.submitted_on) filter (where x.status <> 'withdrawn') as answered_on,
    bool_or(x.status <> 'withdrawn' and x.submitted_on <= r.closes_on) as answered_by_deadline,
    json_agg(json_build_object('status', upper(x.status), 'asDeputy', x.as_deputy, 'submittedOn', x.submitted_on,
      'person', case when p.id is null then null else json_build_object('id', p.id, 'name', p.name) end,
      'organisation', case when o.id is null then null else json_build_object('id', o.key,
        'allIds', array[o.id]::text[] || coalesce(mg.ids, '{}'::text[]), 'name', o.name) end)
      order by x.submitted_on, x.id) as nominations
  from noms x join rounds r on r.id = x.round_id
  left join person p on p.id = x.person_id
  left join orgs o on o.key = x.organisation_id left join merged mg on mg.id = o.id
  group by x.nominator_id),
nominator_rows as (
  select n.* from rounds r join nominator n on n.round_id = r.id),
current_municipality as (
  select m.* from (select distinct municipality_code as code from nominator_rows where municipality_code is not null) c
  cross join lateral (select code, name_fi from municipality where code = c.code and year <= $4 order by year desc limit 1) m),
nominators as (
  select n.round_id, json_agg(json_build_object(
    'id', n.id, 'kind', upper(n.kind),
    'municipality', case when m.code is null then null else json_build_object('code', m.code, 'nameFi', m.name_fi) end,
    'category', case when oc.id is null then null else json_build_object('id', oc.id, 'name', oc.name) end,
    'answeredOn', pn.answered_on,
    'answeredByDeadline', coalesce(pn.answered_by_deadline, false),
    'nominations', coalesce(pn.nominations, '[]'::json)
  ) order by n.ordinal, n.id) as list
  from nominator_rows n
  left join current_municipality m on m.code = n.municipality_code
  left join organisation_category oc on oc.id = n.category_id
  left join per_nominator pn on pn.nominator_id = n.id
  group by n.round_id),
round_groups as (
  select rg.round_id, json_agg(json_build_object('id', g.id, 'name', g.name) order by g.name collate "C", g.id collate "C") as list
  from rounds r join nomination_round_group rg on rg.round_id = r.id join cooperation_group g on g.id = rg.group_id
  group by rg.round_id)
select json_build_object('nominationRounds', coalesce(json_agg(json_build_object(
  'id', r.id, 'name', r.name, 'opensOn', r.opens_on, 'closesOn', r.closes_on,
  'isOpen', (r.opens_on is null or r.opens_on <= $3::date) and r.closes_on >= $3::date
    and (r.closed_at is null or (r.closed_at at time zone 'Europe/Helsinki')::date > $3::date),
  'minPerNominator', r.min_per_nominator, 'maxPerNominator', r.max_per_nominator,
  'groups', coalesce(g.list, '[]'::json),
  'nominators', coalesce(n.list, '[]'::json)
) order by r.closes_on desc, r.id), '[]'::json)) as data
from rounds r left join round_groups g on g.round_id = r.id left join nominators n on n.round_id = r.id`,
  },

  "meeting-calendar": {
    params: (v) => [v["countyCode"], v["from"], v["to"]],
    // Times as the DateTime scalar writes them: Helsinki wall time to the second with that moment's offset (DST-aware).
    sql: `
select json_build_object('meetings', coalesce(json_agg(json_build_object(
  'id', mt.id, 'kind', upper(mt.kind), 'title', mt.title,
  'startsAt', to_char(date_trunc('second', mt.starts_at at time zone 'Europe/Helsinki'), 'YYYY-MM-DD"T"HH24:MI:SS')
    || '+' || to_char((mt.starts_at at time zone 'Europe/Helsinki') - (mt.starts_at at time zone 'UTC'), 'HH24:MI'),
  'endsAt', to_char(date_trunc('second', mt.ends_at at time zone 'Europe/Helsinki'), 'YYYY-MM-DD"T"HH24:MI:SS')
    || '+' || to_char((mt.ends_at at time zone 'Europe/Helsinki') - (mt.ends_at at time zone 'UTC'), 'HH24:MI'),
  'location', mt.location,
  'group', json_build_object('id', g.id, 'name', g.name, 'kind', upper(g.kind))
) order by mt.starts_at, mt.id), '[]'::json)) as data
from meeting mt join cooperation_group g on g.id = mt.group_id
where g.county_code = $1
  and mt.starts_at >= ($2::date)::timestamp at time zone 'Europe/Helsinki'
  and mt.starts_at < ($3::date + 1)::timestamp at time zone 'Europe/Helsinki'`,
  },

  representation: {
    // $3: page size (default 500); $4, $5: the name and id in the after cursor (keyset, by name then id).
    params: (v, c) => {
      const after = typeof v["after"] === "string" ? (JSON.parse(Buffer.from(v["after"], "base64url").toString("utf8")) as [string, string]) : null;
      return [v["countyCode"], v["activeOn"] ?? c.today, v["first"] ?? 500, after?.[0] ?? null, after?.[1] ?? null];
    },
    sql: `
with page as (
  select g.id, g.name, g.kind, row_number() over (order by g.name, g.id) as rn
  from cooperation_group g
  where g.county_code = $1 and ($4::text is null or g.name > $4::text or (g.name = $4::text and g.id > $5::text))
  order by g.name, g.id limit $3::int + 1),
grp as (select * from page where rn <= $3::int),
${MEMBERSHIPS("grp", "$2")},
filled as (
  select group_id, seat_id,
    count(*) filter (where role in ('chair', 'vice_chair', 'member', 'speaking_right')) as members,
    count(*) filter (where role = 'deputy') as deputies
  from active_ms where seat_id is not null group by group_id, seat_id),
seat_occ as (
  select s.group_id, s.id, s.ordinal, s.label, s.constituency, s.ends_on is null or s.ends_on >= $2::date as existing,
    coalesce(s.max_members, s.min_members) as member_places, coalesce(f.members, 0) as filled_members,
    -- greatest() skips nulls: a seat with no stated number has no vacant count either.
    case when coalesce(s.max_members, s.min_members) is not null then greatest(coalesce(s.max_members, s.min_members) - coalesce(f.members, 0), 0) end as vacant_members,
    s.deputies as deputy_places, coalesce(f.deputies, 0) as filled_deputies,
    case when s.deputies is not null then greatest(s.deputies - coalesce(f.deputies, 0), 0) end as vacant_deputies
  from group_seat s join grp on grp.id = s.group_id left join filled f on f.group_id = s.group_id and f.seat_id = s.id),
seat_json as (
  select group_id,
    json_agg(json_build_object('id', id, 'label', label, 'constituency', upper(constituency), 'occupancy', json_build_object(
      'memberPlaces', member_places, 'filledMemberPlaces', filled_members, 'vacantMemberPlaces', vacant_members,
      'deputyPlaces', deputy_places, 'filledDeputyPlaces', filled_deputies, 'vacantDeputyPlaces', vacant_deputies)
    ) order by ordinal, id) as seats,
    -- The group's total over the seats existing on the day: null when one of them leaves the number unstated.
    case when bool_and(member_places is not null) filter (where existing) is not false then coalesce(sum(member_places) filter (where existing), 0) end as member_places,
    coalesce(sum(filled_members) filter (where existing), 0) as filled_members,
    case when bool_and(vacant_members is not null) filter (where existing) is not false then coalesce(sum(vacant_members) filter (where existing), 0) end as vacant_members,
    case when bool_and(deputy_places is not null) filter (where existing) is not false then coalesce(sum(deputy_places) filter (where existing), 0) end as deputy_places,
    coalesce(sum(filled_deputies) filter (where existing), 0) as filled_deputies,
    case when bool_and(vacant_deputies is not null) filter (where existing) is not false then coalesce(sum(vacant_deputies) filter (where existing), 0) end as vacant_deputies
  from seat_occ group by group_id),
member_json as (
  select a.group_id, json_agg(json_build_object(
    'role', upper(a.role),
    'person', json_build_object('id', p.id, 'name', p.name),
    'organisation', case when o.id is null then null else json_build_object('id', o.id, 'name', o.name, 'kind', o.kind) end
  ) order by a.role_ord, a.starts_on nulls first, a.id) as memberships
  from active_ms a join person p on p.id = a.person_id left join ms_org o on o.ref_id = a.organisation_id
  group by a.group_id),
edges as (
  select json_agg(json_build_object('node', json_build_object(
    'id', g.id, 'name', g.name, 'kind', upper(g.kind),
    'seatOccupancy', json_build_object(
      'memberPlaces', coalesce(sj.member_places, case when sj.group_id is null then 0 end),
      'filledMemberPlaces', coalesce(sj.filled_members, 0),
      'vacantMemberPlaces', coalesce(sj.vacant_members, case when sj.group_id is null then 0 end),
      'deputyPlaces', coalesce(sj.deputy_places, case when sj.group_id is null then 0 end),
      'filledDeputyPlaces', coalesce(sj.filled_deputies, 0),
      'vacantDeputyPlaces', coalesce(sj.vacant_deputies, case when sj.group_id is null then 0 end)),
    'seats', coalesce(sj.seats, '[]'::json),
    'memberships', coalesce(mj.memberships, '[]'::json)
  )) order by g.name, g.id) as list,
  -- endCursor: base64url (unpadded) of the JSON array [name, id] of the page's last group.
  (array_agg(translate(encode(convert_to('[' || to_json(g.name::text)::text || ',' || to_json(g.id::text)::text || ']', 'UTF8'), 'base64'), '+/=' || chr(10), '-_')
     order by g.name desc, g.id desc))[1] as end_cursor
  from grp g left join seat_json sj on sj.group_id = g.id left join member_json mj on mj.group_id = g.id)
select json_build_object('cooperationGroups', json_build_object(
  'totalCount', (select count(*) from cooperation_group where county_code = $1),
  'pageInfo', json_build_object('hasNextPage', (select count(*) from page) > $3::int, 'endCursor', e.end_cursor),
  'edges', coalesce(e.list, '[]'::json))) as data
from edges e`,
  },

  "plan-follow-up": {
    // statuses: the GraphQL enum names, stored lower-case.
    params: (v) => [v["countyCode"], (v["statuses"] as string[] | null | undefined)?.map((s) => s.toLowerCase()) ?? null],
    sql: `
with goal_indicator as (
  -- the indicators the county's plans' goals name, by id
  select distinct i.indicator_id
  from wellbeing_plan p join wellbeing_goal g on g.plan_id = p.id cross join lateral unnest(g.indicator_ids) as i(indicator_id)
  where p.county_code = $1
),
follow_up as (
  select gi.indicator_id, b.year as b_year, b.value as b_value,
    l.year as l_year, l.value as l_value, l.source_register, l.source_url, l.fetched_at,
    case when l.year > b.year then l.value - b.value end as change
  from goal_indicator gi
  left join lateral (select v.year, v.value from indicator_value v where v.indicator_id = gi.indicator_id and v.region_kind = 'county' and v.region_code = $1
                     and v.sex = 'total' and v.value is not null order by v.year limit 1) b on true
  left join lateral (select v.year, v.value, v.source_register, v.source_url, v.fetched_at from indicator_value v
                     where v.indicator_id = gi.indicator_id and v.region_kind = 'county' and v.region_code = $1
                     and v.sex = 'total' and v.value is not null order by v.year desc limit 1) l on true
),
ms as (
  -- the county's measures with the theme (of their goal) and municipality (of the goal's plan) they are followed up under
  select m.id, m.title, m.status, m.organisation_ids, m.group_ids, g.theme_id, p.municipality_code
  from measure m
  left join wellbeing_goal g on g.id = m.goal_id
  left join wellbeing_plan p on p.id = g.plan_id
  where m.county_code = $1 and ($2::text[] is null or m.status = any($2::text[]))
),
merged as materialized (
  -- ids of the duplicates merged into each record (few: a merge is rare), for allIds
  select d.merged_into as id, array_agg(d.id order by d.id) as ids
  from organisation d where d.merged_into is not null
  group by d.merged_into
),
cell as (
  select ms.theme_id, ms.municipality_code, ms.status, count(*) as n,
    json_agg(json_build_object('id', ms.id, 'title', ms.title, 'status', upper(ms.status),
      -- each stored id in its place: Helsinki's municipality key is an alias of its county record;
      -- a merged duplicate reads the record that stays; an unknown id is a null item
      'responsibleOrganisations', (
        select coalesce(json_agg(case when r.id is null then null else json_build_object('id', r.id,
                 'allIds', array[r.id]::text[] || coalesce(mg.ids::text[], '{}'), 'name', r.name, 'kind', upper(r.kind)) end order by u.ord), '[]'::json)
        from unnest(ms.organisation_ids) with ordinality as u(org_id, ord)
        left join organisation o on o.id = case u.org_id when 'org-municipality-091' then 'org-county-90' else u.org_id end
        left join organisation s on s.id = o.merged_into
        cross join lateral (select case when o.merged_into is null then o.id else s.id end as id,
                                   case when o.merged_into is null then o.name else s.name end as name,
                                   case when o.merged_into is null then o.kind else s.kind end as kind) r
        left join merged mg on mg.id = r.id),
      'responsibleGroups', (
        select coalesce(json_agg(case when cg.id is null then null else json_build_object('id', cg.id, 'name', cg.name) end order by u.ord), '[]'::json)
        from unnest(ms.group_ids) with ordinality as u(group_id, ord) left join cooperation_group cg on cg.id = u.group_id)
    ) order by ms.title, ms.id) as measures
  from ms
  group by ms.theme_id, ms.municipality_code, ms.status
),
classification as materialized (
  -- the classification in force: the latest year loaded not in the future
  select coalesce(max(year) filter (where year <= extract(year from current_date)), max(year)) as year from municipality
)
select json_build_object('county', (select json_build_object('code', c.code, 'nameFi', c.name_fi,
  'indicatorFollowUp', (
    select coalesce(json_agg(json_build_object(
      'indicator', (select json_build_object('id', i.id, 'name', i.name, 'unit', i.unit) from indicator i where i.id = f.indicator_id),
      'baseline', case when f.b_year is not null then json_build_object('year', f.b_year, 'value', f.b_value) end,
      'latest', case when f.l_year is not null then json_build_object('year', f.l_year, 'value', f.l_value, 'registerProvenance',
                   case when f.source_register <> '' and f.source_url <> '' and f.fetched_at is not null then json_build_object(
                     'register', f.source_register, 'sourceUrl', f.source_url,
                     'fetchedAt', to_char(f.fetched_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                     'attribution', case f.source_register when 'sotkanet' then 'THL, Sotkanet'
                       when 'ytj' then 'Patentti- ja rekisterihallitus (PRH), YTJ avoin data'
                       when 'statfi' then 'Tilastokeskus (Statistics Finland), luokitukset'
                       when 'ptv' then 'Digi- ja väestötietovirasto (DVV), Palvelutietovaranto'
                       when 'hyte' then 'THL / STM, HYTE indicator sets (source per row)'
                       else f.source_register end) end) end,
      'change', f.change,
      'trend', case when f.change is null then 'UNKNOWN' when f.change > 0 then 'RISING' when f.change < 0 then 'FALLING' else 'STEADY' end,
      'countryLatest', (select json_build_object('year', k.year, 'value', k.value) from indicator_value k
                        where k.indicator_id = f.indicator_id and k.region_kind = 'country' and k.sex = 'total' and k.year = f.l_year
                        order by k.region_code limit 1),
      'hyteIndicators', (select coalesce(json_agg(json_build_object('fundingYear', h.funding_year, 'level', upper(h.level), 'kind', upper(h.kind),
                           'betterDirection', upper(h.better_direction)) order by h.funding_year desc, h.level, h.code), '[]'::json)
                         from hyte_indicator h where h.sotkanet_id = substring(f.indicator_id from '^sotkanet-([0-9]{1,9})$')::int)
    ) order by f.indicator_id), '[]'::json)
    from follow_up f),
  'measureFollowUp', (
    -- cells by theme id and municipality code by code point as the gateway sorts them (none first), then status in the enum's order
    select coalesce(json_agg(json_build_object(
      'status', upper(cell.status), 'count', cell.n,
      'theme', case when t.id is not null then json_build_object('id', t.id, 'name', t.name) end,
      'municipality', case when mu.code is not null then json_build_object('code', mu.code, 'nameFi', mu.name_fi) end,
      'measures', cell.measures
    ) order by coalesce(cell.theme_id, '') collate "C", coalesce(cell.municipality_code, '') collate "C",
               array_position(array['planned', 'in_progress', 'done', 'cancelled'], cell.status::text)), '[]'::json)
    from cell
    left join theme t on t.id = cell.theme_id
    left join lateral (select m.code, m.name_fi from municipality m, classification cl
                       where m.code = cell.municipality_code and m.year <= cl.year order by m.year desc limit 1) mu on true)
) from county c where c.code = $1 and c.kind <> 'aland')) as data`,
  },
};
