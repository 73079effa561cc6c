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

const MEMBERSHIPS = (groupAlias: string, dayParam: string) => `(
  select coalesce(json_agg(json_build_object(
    'role', upper(ms.role), 'startsOn', ms.starts_on, 'endsOn', ms.ends_on,
    'person', json_build_object('id', p.id, 'name', p.name, 'title', p.title),
    'organisation', case when o.id is null then null else json_build_object('id', o.id, 'name', o.name, 'kind', upper(o.kind)) end
  ) order by ms.role, ms.starts_on, ms.id), '[]'::json)
  from membership ms
  join person p on p.id = ms.person_id
  left join organisation o on o.id = ms.organisation_id
  where ms.group_id = ${groupAlias}.id
    and (ms.starts_on is null or ms.starts_on <= ${dayParam}::date)
    and (ms.ends_on is null or ms.ends_on >= ${dayParam}::date))`;

export const REFERENCE_QUERIES: Record<ViewName, ReferenceQuery> = {
  "partnership-groups-by-municipality": {
    params: (v, c) => [v["countyCodes"], v["activeOn"] ?? c.today, c.year],
    sql: `
select json_build_object('counties', coalesce(json_agg(json_build_object(
  'code', c.code, 'nameFi', c.name_fi,
  'municipalities', (
    select coalesce(json_agg(json_build_object(
      'code', m.code, 'nameFi', m.name_fi,
      'cooperationGroups', (
        select coalesce(json_agg(json_build_object(
          'id', g.id, 'name', g.name,
          'area', (select json_build_object('id', a.id, 'name', a.name) from area a where a.id = g.area_id),
          'memberships', ${MEMBERSHIPS("g", "$2")},
          'themes', (select coalesce(json_agg(json_build_object('id', t.id, 'name', t.name) order by t.position), '[]'::json)
                     from theme t where t.group_ids @> array[g.id]::text[])
        ) order by g.name, g.id), '[]'::json)
        from group_municipality gm join cooperation_group g on g.id = gm.group_id
        where gm.municipality_code = m.code and g.kind = 'partnership_group'
          and (g.starts_on is null or g.starts_on <= $2::date) and (g.ends_on is null or g.ends_on >= $2::date))
    ) order by m.name_fi), '[]'::json)
    from municipality m where m.county_code = c.code and m.year = $3)
) order by c.code), '[]'::json)) as data
from county c where c.code = any($1::text[])`,
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
    params: (v) => [v["countyCode"], v["closedSince"]],
    sql: `
with rounds as (
  select * from nomination_round r where ($1::text is null or r.county_code = $1) and r.closes_on >= $2::date),
noms as (
  select x.*, p.name as person_name, o.name as organisation_name
  from nomination x join rounds r on r.id = x.round_id
  join person p on p.id = x.person_id left join organisation o on o.id = x.organisation_id),
per_nominator as (
  select x.nominator_id,
    min(x.submitted_on) filter (where x.status <> 'withdrawn') as answered_on,
    bool_or(x.status <> 'withdrawn' and x.submitted_on <= r.closes_on) as answered_by_deadline,
    json_agg(json_build_object('status', upper(x.status), 'asDeputy', x.as_deputy, 'submittedOn', x.submitted_on,
      'person', json_build_object('id', x.person_id, 'name', x.person_name),
      'organisation', case when x.organisation_id is null then null else json_build_object('id', x.organisation_id, 'name', x.organisation_name) end)
      order by x.submitted_on, x.id) as nominations
  from noms x join rounds r on r.id = x.round_id
  group by x.nominator_id),
current_municipality as (
  select distinct on (code) code, name_fi from municipality
  where code in (select n.municipality_code from nominator n join rounds r on r.id = n.round_id)
  order by code, year desc),
nominators as (
  select n.round_id, json_agg(json_build_object(
    'id', n.id, 'kind', upper(n.kind),
    'municipality', case when m.code is null then null else json_build_object('code', m.code, 'nameFi', m.name_fi) end,
    'category', case when oc.id is null then null else json_build_object('id', oc.id, 'name', oc.name) end,
    'answeredOn', pn.answered_on,
    'answeredByDeadline', coalesce(pn.answered_by_deadline, false),
    'nominations', coalesce(pn.nominations, '[]'::json)
  ) order by n.ordinal, n.id) as list
  from nominator n join rounds r on r.id = n.round_id
  left join current_municipality m on m.code = n.municipality_code
  left join organisation_category oc on oc.id = n.category_id
  left join per_nominator pn on pn.nominator_id = n.id
  group by n.round_id),
round_groups as (
  select rg.round_id, json_agg(json_build_object('id', g.id, 'name', g.name) order by g.name) as list
  from nomination_round_group rg join rounds r on r.id = rg.round_id join cooperation_group g on g.id = rg.group_id
  group by rg.round_id)
select json_build_object('nominationRounds', coalesce(json_agg(json_build_object(
  'id', r.id, 'name', r.name, 'opensOn', r.opens_on, 'closesOn', r.closes_on,
  'minPerNominator', r.min_per_nominator, 'maxPerNominator', r.max_per_nominator,
  'groups', coalesce(g.list, '[]'::json),
  'nominators', coalesce(n.list, '[]'::json)
) order by r.closes_on desc, r.id), '[]'::json)) as data
from rounds r left join round_groups g on g.round_id = r.id left join nominators n on n.round_id = r.id`,
  },

  "meeting-calendar": {
    params: (v) => [v["countyCode"], v["from"], v["to"]],
    sql: `
select json_build_object('meetings', coalesce(json_agg(json_build_object(
  'id', mt.id, 'kind', upper(mt.kind), 'title', mt.title,
  'startsAt', to_char(mt.starts_at at time zone 'Europe/Helsinki', 'YYYY-MM-DD"T"HH24:MI:SS'),
  'endsAt', to_char(mt.ends_at at time zone 'Europe/Helsinki', 'YYYY-MM-DD"T"HH24:MI:SS'),
  'location', mt.location,
  'group', json_build_object('id', g.id, 'name', g.name, 'kind', upper(g.kind))
) order by mt.starts_at, mt.id), '[]'::json)) as data
from meeting mt join cooperation_group g on g.id = mt.group_id
where g.county_code = $1
  and mt.starts_at >= ($2::date)::timestamp at time zone 'Europe/Helsinki'
  and mt.starts_at < ($3::date + 1)::timestamp at time zone 'Europe/Helsinki'`,
  },

  representation: {
    params: (v, c) => [v["countyCode"], v["activeOn"] ?? c.today],
    sql: `
with grp as (select * from cooperation_group where county_code = $1),
active as (
  select ms.* from membership ms join grp on grp.id = ms.group_id
  where (ms.starts_on is null or ms.starts_on <= $2::date) and (ms.ends_on is null or ms.ends_on >= $2::date)),
filled as (
  select seat_id,
    count(*) filter (where role in ('chair', 'vice_chair', 'member', 'speaking_right')) as members,
    count(*) filter (where role = 'deputy') as deputies
  from active where seat_id is not null group by seat_id),
seat_json as (
  select s.group_id,
    sum(coalesce(s.max_members, s.min_members)) as member_places, sum(s.deputies) as deputy_places,
    coalesce(sum(f.members), 0) as filled_members, coalesce(sum(f.deputies), 0) as filled_deputies,
    json_agg(json_build_object('id', s.id, 'label', s.label, 'constituency', upper(s.constituency),
      'occupancy', json_build_object(
        'memberPlaces', coalesce(s.max_members, s.min_members), 'filledMemberPlaces', coalesce(f.members, 0),
        'vacantMemberPlaces', greatest(coalesce(s.max_members, s.min_members) - coalesce(f.members, 0), 0),
        'deputyPlaces', s.deputies, 'filledDeputyPlaces', coalesce(f.deputies, 0),
        'vacantDeputyPlaces', greatest(s.deputies - coalesce(f.deputies, 0), 0))
    ) order by s.ordinal, s.id) as seats
  from group_seat s join grp on grp.id = s.group_id left join filled f on f.seat_id = s.id
  group by s.group_id),
member_json as (
  select a.group_id, json_agg(json_build_object(
    'role', upper(a.role),
    'person', json_build_object('id', p.id, 'name', p.name),
    'organisation', case when o.id is null then null else json_build_object('id', o.id, 'name', o.name, 'kind', upper(o.kind)) end
  ) order by a.role, a.starts_on, a.id) as memberships
  from active a join person p on p.id = a.person_id left join organisation o on o.id = a.organisation_id
  group by a.group_id)
select json_build_object('cooperationGroups', json_build_object(
  'totalCount', count(*),
  'edges', coalesce(json_agg(json_build_object('node', json_build_object(
    'id', g.id, 'name', g.name, 'kind', upper(g.kind),
    'seatOccupancy', json_build_object(
      'memberPlaces', sj.member_places, 'filledMemberPlaces', coalesce(sj.filled_members, 0),
      'vacantMemberPlaces', greatest(sj.member_places - sj.filled_members, 0),
      'deputyPlaces', sj.deputy_places, 'filledDeputyPlaces', coalesce(sj.filled_deputies, 0),
      'vacantDeputyPlaces', greatest(sj.deputy_places - sj.filled_deputies, 0)),
    'seats', coalesce(sj.seats, '[]'::json),
    'memberships', coalesce(mj.memberships, '[]'::json)
  )) order by g.name, g.id), '[]'::json))) as data
from grp g left join seat_json sj on sj.group_id = g.id left join member_json mj on mj.group_id = g.id`,
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
    -- cells by theme id and municipality code as the gateway sorts them (locale order, none first), then status in the enum's order
    select coalesce(json_agg(json_build_object(
      'status', upper(cell.status), 'count', cell.n,
      'theme', case when t.id is not null then json_build_object('id', t.id, 'name', t.name) end,
      'municipality', case when mu.code is not null then json_build_object('code', mu.code, 'nameFi', mu.name_fi) end,
      'measures', cell.measures
    ) order by coalesce(cell.theme_id, '') collate "und-x-icu", coalesce(cell.municipality_code, '') collate "und-x-icu",
               array_position(array['planned', 'in_progress', 'done', 'cancelled'], cell.status::text)), '[]'::json)
    from cell
    left join theme t on t.id = cell.theme_id
    left join lateral (select m.code, m.name_fi from municipality m, classification cl
                       where m.code = cell.municipality_code and m.year <= cl.year order by m.year desc limit 1) mu on true)
) from county c where c.code = $1 and c.kind <> 'aland')) as data`,
  },
};
