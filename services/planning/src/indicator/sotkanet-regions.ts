/**
 * Sotkanet region ids of the wellbeing services counties (category
 * HYVINVOINTIALUE) → Statistics Finland county code. Copied from the shared
 * reference data `counties.csv:sotkanet_region_id`, whose source is
 * rOpenGov/sotkanet commit 2f3648d7905f3975f0735e0203f9b7e3a4f06df2,
 * `inst/extdata/sotkanet_hyvinvointialueet.csv` (`uusi_id` → `uusi_code`).
 * Sotkanet also has an older county series (ids 877–898) with other codes:
 * it is deliberately not mapped.
 */
export const SOTKANET_COUNTY_REGIONS: Readonly<Record<number, string>> = {
  961: "01",
  966: "02",
  969: "03",
  977: "04",
  978: "05",
  976: "06",
  963: "07",
  970: "08",
  975: "09",
  967: "10",
  957: "11",
  959: "12",
  974: "13",
  972: "14",
  965: "15",
  958: "16",
  971: "17",
  964: "18",
  973: "19",
  962: "20",
  968: "21",
  960: "90",
  956: "91",
};
