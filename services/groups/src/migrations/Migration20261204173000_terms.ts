import { Migration } from '@mikro-orm/migrations';
import { REFERENCE_TERMS } from '../term/reference-terms.ts';

const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * Terms as data (issue 26): the council terms as reference rows, each
 * group's composition per term (`group_term`), seats and memberships tied to
 * the term they serve, carry-over on memberships. Every group's `councilTerm`
 * text is read into a group term; a text that cannot be read stays where it
 * is and is listed in `council_term_migration_issue` (and printed as a
 * NOTICE), so no value is lost.
 */
export class Migration20261204173000_terms extends Migration {

  override name = 'Migration20261204173000_terms';

  override up(): void | Promise<void> {
    this.addSql(`create table "term" ("id" varchar(255) not null, "kind" varchar(255) not null, "label" varchar(255) not null, "county_code" varchar(2) null, "municipality_code" varchar(3) null, "group_id" varchar(255) null, "parent_id" varchar(255) null, "starts_on" date not null, "ends_on" date null, "elected_on" date null, "source" text null, primary key ("id"));`);
    this.addSql(`create index "term_county_code_index" on "term" ("county_code");`);
    this.addSql(`create index "term_group_id_index" on "term" ("group_id");`);
    this.addSql(`alter table "term" add constraint "term_dates_in_order" check ("ends_on" is null or "ends_on" >= "starts_on");`);

    this.addSql(`create table "group_term" ("id" varchar(255) not null, "group_id" varchar(255) not null, "term_id" varchar(255) not null, "previous_id" varchar(255) null, "starts_on" date not null, "ends_on" date null, "appointed_on" date null, "round_id" varchar(255) null, "migrated_from" varchar(255) null, primary key ("id"));`);
    this.addSql(`create index "group_term_group_id_index" on "group_term" ("group_id");`);
    this.addSql(`create unique index "group_term_group_term_unique" on "group_term" ("group_id", "term_id");`);
    this.addSql(`alter table "group_term" add constraint "group_term_dates_in_order" check ("ends_on" is null or "ends_on" >= "starts_on");`);

    this.addSql(`create table "council_term_migration_issue" ("group_id" varchar(255) not null, "council_term" varchar(255) not null, "reason" text not null, primary key ("group_id"));`);

    this.addSql(`alter table "membership" add "group_term_id" varchar(255) null, add "carry_over" boolean not null default false, add "carry_over_ends_on" date null;`);
    this.addSql(`create index "membership_group_term_id_index" on "membership" ("group_term_id");`);
    this.addSql(`alter table "group_seat" add "group_term_id" varchar(255) null;`);
    this.addSql(`create index "group_seat_group_term_id_index" on "group_seat" ("group_term_id");`);

    for (const t of REFERENCE_TERMS) {
      this.addSql(`insert into "term" ("id", "kind", "label", "starts_on", "ends_on", "elected_on", "source") values (${quote(t.id)}, ${quote(t.kind)}, ${quote(t.label)}, ${quote(t.startsOn)}, ${quote(t.endsOn)}, ${quote(t.electedOn)}, ${quote(t.source)});`);
    }

    // Every councilTerm text into a group term. Groups are the county's bodies:
    // 2021/2022–2025 is the first county council term, 2025–2029 the second;
    // other year pairs become a period of the group's own.
    this.addSql(`do $$
declare
  g record;
  m text[];
  a int;
  b int;
  tid text;
  t_start date;
  t_end date;
  g_start date;
  g_end date;
  gtid text;
  why text;
begin
  for g in select id, county_code, council_term, term_ends_on, starts_on from cooperation_group where council_term is not null order by id loop
    why := null;
    m := regexp_match(g.council_term, '^\\s*(\\d{4})\\s*[-–—]\\s*(\\d{4})\\s*$');
    if m is null then
      why := 'not of the form YYYY–YYYY';
    else
      a := m[1]::int;
      b := m[2]::int;
      if b < a or a < 1000 then why := 'the end year is before the start year'; end if;
    end if;
    if why is null then
      if b = 2025 and a in (2021, 2022) then
        tid := 'county-council-2022-2025';
      elsif a = 2025 and b = 2029 then
        tid := 'county-council-2025-2029';
      else
        tid := 'term-' || g.id || '-' || a || '-' || b;
        insert into term (id, kind, label, county_code, group_id, starts_on, ends_on, source)
          values (tid, 'custom', 'Kausi ' || a || '–' || b, g.county_code, g.id, make_date(a, 1, 1), make_date(b, 12, 31),
                  'Migrated from the group''s councilTerm "' || g.council_term || '"');
      end if;
      select starts_on, ends_on into t_start, t_end from term where id = tid;
      g_start := case when g.starts_on is not null and g.starts_on > t_start and (t_end is null or g.starts_on <= t_end) then g.starts_on else t_start end;
      g_end := coalesce(g.term_ends_on, t_end);
      if g_end is not null and g_end < g_start then
        why := 'termEndsOn ' || g.term_ends_on || ' is before the term starts (' || g_start || ')';
      end if;
    end if;
    if why is not null then
      insert into council_term_migration_issue (group_id, council_term, reason) values (g.id, g.council_term, why);
      raise notice 'terms migration: group % councilTerm "%" left as text: %', g.id, g.council_term, why;
      continue;
    end if;
    gtid := 'group-term-' || g.id || '-' || a || '-' || b;
    insert into group_term (id, group_id, term_id, starts_on, ends_on, migrated_from) values (gtid, g.id, tid, g_start, g_end, g.council_term);
    update membership set group_term_id = gtid where group_id = g.id and (starts_on is null or g_end is null or starts_on <= g_end);
    update group_seat set group_term_id = gtid where group_id = g.id;
  end loop;
end $$;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "group_seat" drop column "group_term_id";`);
    this.addSql(`alter table "membership" drop column "group_term_id", drop column "carry_over", drop column "carry_over_ends_on";`);
    this.addSql(`drop table if exists "council_term_migration_issue" cascade;`);
    this.addSql(`drop table if exists "group_term" cascade;`);
    this.addSql(`drop table if exists "term" cascade;`);
  }

}
