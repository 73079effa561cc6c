import { readFileSync } from "node:fs";
import { searchTextOf } from "../search.ts";

/**
 * Reference data shipped with the service (see `data/SOURCES.md`): the
 * Statistics Finland classification of wellbeing services counties and the
 * municipalities of each year 2023–2026.
 */
const dataDir = new URL("./data/", import.meta.url);

function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(new URL(file, dataDir), "utf8").trim().split("\n");
  const columns = (header ?? "").split(",");
  return lines.map((line) => {
    const values = line.split(",");
    return Object.fromEntries(columns.map((c, i) => [c, values[i] ?? ""]));
  });
}

export interface CountyRow {
  code: string;
  nameFi: string;
  nameSv: string;
  nameEn: string;
  kind: string;
  sotkanetRegionId: number;
}

export interface MunicipalityRow {
  code: string;
  year: number;
  nameFi: string;
  nameSv: string;
  countyCode: string;
  searchText: string;
}

export function countyRows(): CountyRow[] {
  return readCsv("counties.csv").map((r) => ({
    code: r["county_code"]!,
    nameFi: r["name_fi"]!,
    nameSv: r["name_sv"]!,
    nameEn: r["name_en"]!,
    kind: r["kind"]!,
    sotkanetRegionId: Number(r["sotkanet_region_id"]),
  }));
}

export function municipalityRows(): MunicipalityRow[] {
  return readCsv("municipalities.csv").map((r) => ({
    code: r["code"]!,
    year: Number(r["valid_year"]),
    nameFi: r["name_fi"]!,
    nameSv: r["name_sv"]!,
    countyCode: r["county_code"]!,
    searchText: searchTextOf(r["name_fi"], r["name_sv"]),
  }));
}
