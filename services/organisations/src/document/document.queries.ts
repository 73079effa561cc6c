import type { EntityManager } from "@mikro-orm/postgresql";
import { mapRows, readRows } from "@yhdyspinta/core";
import { Document } from "./document.entity.ts";

/**
 * documentsOfCounties: documents concerning each county, those of the county
 * and those linked to it as subject, with the county they were read for (a
 * document may come twice for one county). One statement for the batch.
 */
export async function documentsOfCounties(em: EntityManager, codes: readonly string[]): Promise<{ key: string; doc: Document }[]> {
  const rows: Record<string, unknown>[] = await readRows(em,
    `/* documentsOfCounties */ select d.*, d.county_code as _key from document d where d.county_code in (?)
     union select d.*, s.subject_id as _key from document d join document_subject s on s.document_id = d.id
       where s.subject_type = 'county' and s.subject_id in (?)`,
    [[...codes], [...codes]],
  );
  const docs = mapRows(em, Document, rows.map(({ _key, ...row }) => row));
  return rows.map((row, i) => ({ key: String(row["_key"]), doc: docs[i]! }));
}
