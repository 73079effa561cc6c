import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EntityManager } from "@mikro-orm/postgresql";
import { forkForViewer, GroupKeys, maskValues, MASKED, openServiceDatabase, recordChange, type Orm, type Viewer } from "@yhdyspinta/core";
import { createTestDatabase, type TestDatabase } from "@yhdyspinta/core/testing";
import { Meeting, MeetingKind } from "../src/meeting/meeting.entity.ts";
import { Membership, MembershipRole } from "../src/membership/membership.entity.ts";
import { groupsService } from "../src/service.ts";

// The audit trail on a real database: the audit row is written in the same
// transaction as the change it describes, so neither exists without the other.

let db: TestDatabase;
let orm: Orm;
const viewer: Viewer = { subject: "audit-admin", scopes: new Set(["data:write"]), role: "admin", counties: new Set() };

beforeAll(async () => {
  db = await createTestDatabase("audit");
  orm = await openServiceDatabase(groupsService, { databaseUrl: db.url, seed: true, createDatabase: false });
});

afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = any;
/** Reads on a connection of its own (a fresh fork outside any transaction): what other sessions see. */
const sql = { query: async (query: string, params: unknown[] = []): Promise<{ rows: Row[] }> => ({ rows: await orm.em.fork().getConnection().execute(query.replace(/\$\d+/g, "?"), params) }) };
const count = async (query: string, params: unknown[]): Promise<number> => Number((await sql.query(query, params)).rows[0].count);
const auditRows = (entityId: string) => count(`select count(*) from change_record where entity_id = $1`, [entityId]);
const meetingRows = (id: string) => count(`select count(*) from meeting where id = $1`, [id]);

let meetings = 0;
/** A meeting of its own day (a group holds one meeting per start time). */
function meeting(em: EntityManager, id: string): Meeting {
  const startsAt = new Date(Date.UTC(2025, 0, 10 + meetings++, 10));
  return em.create(Meeting, { id, groupId: GroupKeys.pkKeskinen, kind: MeetingKind.REGULAR, title: "Audit", startsAt, endsAt: null, location: null, agenda: [] });
}

describe("audit trail in the same transaction", () => {
  it("commits the change and its audit row together, invisible to others until the commit", async () => {
    const id = "meeting-audit-commit";
    const em = forkForViewer(orm.em, viewer);
    let seenInside: [number, number] | null = null;
    await em.transactional(async (tx) => {
      meeting(tx as EntityManager, id);
      await tx.flush();
      // Another connection sees neither row before the commit: they are in this transaction.
      seenInside = [await meetingRows(id), await auditRows(id)];
    });
    expect(seenInside).toEqual([0, 0]);
    expect(await meetingRows(id)).toBe(1);
    const rows = (await sql.query(`select * from change_record where entity_id = $1`, [id])).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ entity_type: "GroupMeeting", operation: "CREATE", actor_subject: "audit-admin", actor_role: "admin", before: null });
    expect(rows[0].after).toMatchObject({ id, groupId: GroupKeys.pkKeskinen, kind: "regular", title: "Audit" });
    expect(rows[0].changed_fields).toContain("title");
  });

  it("leaves neither the change nor an audit row when the transaction fails after the flush", async () => {
    const id = "meeting-audit-rollback";
    const em = forkForViewer(orm.em, viewer);
    await expect(
      em.transactional(async (tx) => {
        meeting(tx as EntityManager, id);
        await tx.flush();
        expect(await auditRows(id)).toBe(0);
        throw new Error("refused after the flush");
      }),
    ).rejects.toThrow("refused after the flush");
    expect(await meetingRows(id)).toBe(0);
    expect(await auditRows(id)).toBe(0);
  });

  it("leaves no audit row when the database refuses the change itself (check constraint at flush)", async () => {
    const before = await count(`select count(*) from change_record where entity_type = 'GroupMembership'`, []);
    const em = forkForViewer(orm.em, viewer);
    await expect(
      em.transactional(async (tx) => {
        tx.create(Membership, {
          id: "membership-audit-bad-dates",
          groupId: GroupKeys.pkKeskinen,
          personId: "person-x",
          role: MembershipRole.MEMBER,
          startsOn: "2025-02-01",
          endsOn: "2025-01-01",
        });
      }),
    ).rejects.toThrow();
    expect(await count(`select count(*) from membership where id = 'membership-audit-bad-dates'`, [])).toBe(0);
    expect(await count(`select count(*) from change_record where entity_type = 'GroupMembership'`, [])).toBe(before);
  });

  it("records an update with the values before and after and the fields that changed", async () => {
    const id = "meeting-audit-update";
    await forkForViewer(orm.em, viewer).transactional(async (tx) => {
      meeting(tx as EntityManager, id);
    });
    await forkForViewer(orm.em, { ...viewer, subject: "audit-coordinator", role: "coordinator" }).transactional(async (tx) => {
      const m = await tx.findOneOrFail(Meeting, { id });
      m.title = "Audit, siirretty";
      m.location = "Joensuu";
    });
    const rows = (await sql.query(`select * from change_record where entity_id = $1 and operation = 'UPDATE'`, [id])).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0].actor_subject).toBe("audit-coordinator");
    expect(rows[0].before).toMatchObject({ title: "Audit", location: null });
    expect(rows[0].after).toMatchObject({ title: "Audit, siirretty", location: "Joensuu" });
    expect([...rows[0].changed_fields].sort()).toEqual(["location", "title"]);
  });

  it("records a json column as its value and a delete with the last state before it", async () => {
    const id = "meeting-audit-json-delete";
    await forkForViewer(orm.em, viewer).transactional(async (tx) => {
      meeting(tx as EntityManager, id);
    });
    await forkForViewer(orm.em, viewer).transactional(async (tx) => {
      (await tx.findOneOrFail(Meeting, { id })).decisions = ["Hyväksyttiin."];
    });
    await forkForViewer(orm.em, viewer).transactional(async (tx) => {
      tx.remove(await tx.findOneOrFail(Meeting, { id }));
    });
    const rows = (await sql.query(`select * from change_record where entity_id = $1 order by changed_at, operation desc`, [id])).rows;
    expect(rows.map((r: Row) => r.operation)).toEqual(["CREATE", "UPDATE", "DELETE"]);
    expect(rows[1].before.decisions).toEqual([]);
    expect(rows[1].after.decisions).toEqual(["Hyväksyttiin."]);
    expect(rows[1].changed_fields).toEqual(["decisions"]);
    expect(rows[2].before).toMatchObject({ id, title: "Audit", decisions: ["Hyväksyttiin."] });
    expect(rows[2].after).toBeNull();
  });

  it("records raw SQL writes with recordChange in the caller's transaction, rolled back with it", async () => {
    const em = forkForViewer(orm.em, viewer);
    await expect(
      em.transactional(async (tx) => {
        await recordChange(tx as EntityManager, { entityType: "GroupMeeting", entityId: "raw-1", operation: "DELETE", before: { id: "raw-1", email: "a@b.fi" } });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await auditRows("raw-1")).toBe(0);
    await em.transactional(async (tx) => {
      await recordChange(tx as EntityManager, { entityType: "GroupMeeting", entityId: "raw-2", operation: "DELETE", before: { id: "raw-2", email: "a@b.fi" } });
    });
    const rows = (await sql.query(`select * from change_record where entity_id = 'raw-2'`)).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ operation: "DELETE", actor_subject: "audit-admin", before: { id: "raw-2", email: MASKED }, after: null });
  });

  it("does not audit writes outside a request (start-up seeding)", async () => {
    const id = "meeting-audit-seed";
    await orm.em.fork().transactional(async (tx) => {
      meeting(tx as EntityManager, id);
    });
    expect(await meetingRows(id)).toBe(1);
    expect(await auditRows(id)).toBe(0);
  });
});

describe("masking", () => {
  it("masks contact fields and keeps empty ones empty", () => {
    expect(maskValues({ name: "Matti", email: "matti@example.fi", phone: "+358 40 1", workPhone: null, contactEmail: "", note: "x" })).toEqual({
      name: "Matti",
      email: MASKED,
      phone: MASKED,
      workPhone: null,
      contactEmail: "",
      note: "x",
    });
  });
});
