// The pages' texts in Finnish, Swedish and English: one typed catalogue per
// language (a missing or extra key is a type error), formatted with the
// browser's built-in Intl for dates and numbers. No i18n library: the pages
// have about a hundred strings and three languages, Intl does the locale work
// offline, and a plain object keeps the bundle small and the texts reviewable.

export const LANGS = ["fi", "sv", "en"] as const;
export type Lang = (typeof LANGS)[number];

/** Intl locale per page language: Finland's Swedish; British English (day-month-year, 24-hour clock). */
export const LOCALE: Record<Lang, string> = { fi: "fi-FI", sv: "sv-FI", en: "en-GB" };
/** Each language's name in itself, for the switch. */
export const LANG_NAME: Record<Lang, string> = { fi: "Suomi", sv: "Svenska", en: "English" };
const STORAGE_KEY = "yhdyspinta.lang";

export const isLang = (value: unknown): value is Lang => typeof value === "string" && (LANGS as readonly string[]).includes(value);

/** The page language: `?lang=` first, then the one this browser chose before, then Finnish. */
export function pageLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (isLang(fromUrl)) return fromUrl;
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage off (private mode, policy): the URL alone decides.
  }
  return isLang(stored) ? stored : "fi";
}

/** Remembers the language for this browser and writes it into the address (without reloading). */
export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // See pageLang.
  }
  const url = new URL(location.href);
  if (url.searchParams.get("lang") !== lang) {
    url.searchParams.set("lang", lang);
    history.replaceState(history.state, "", url);
  }
  document.documentElement.lang = lang;
}

/** The address of this page in another language (other parameters and the fragment kept). */
export function langHref(lang: Lang): string {
  const url = new URL(location.href);
  url.searchParams.set("lang", lang);
  return `${url.pathname}${url.search}${url.hash}`;
}

export interface Messages {
  // page
  skip: string;
  brand: string;
  titleSuffix: string;
  dashboard: string;
  controls: string;
  county: string;
  from: string;
  to: string;
  activeOn: string;
  show: string;
  sections: string;
  explorer: string;
  statement: string;
  language: string;
  footer: string;
  /** The letters for a date's day, month and year in the format hint, e.g. p, k, vvvv. */
  dateLetters: { day: string; month: string; year: string };
  dateFormat: (hint: string) => string;
  dateInvalid: (field: string, hint: string) => string;
  dateOrder: string;
  loading: string;
  loadFailed: (reason: string) => string;
  onlyIn: Record<Lang, string>;
  countyNotFound: string;
  // section titles
  coverageTitle: string;
  nominationsTitle: string;
  meetingsTitle: string;
  representationTitle: string;
  followUpTitle: string;
  // enumerations
  groupKind: Record<string, string>;
  meetingKind: Record<string, string>;
  measureStatus: Record<string, string>;
  nominationStatus: Record<string, string>;
  // coverage
  noMunicipalities: string;
  noArea: string;
  coverageCaption: (county: string, municipalities: string, areas: string, uncovered: string, oneArea: boolean) => string;
  covered: string;
  notCovered: string;
  groupKinds: string;
  themes: string;
  themesUnavailable: string;
  noThemes: string;
  tilesTitle: string;
  tilesDescription: string;
  tileLabel: (municipality: string, covered: string, kinds: string) => string;
  legendFull: string;
  legendPartial: string;
  legendNone: string;
  dataTable: string;
  scrollHint: string;
  // nominations
  noRounds: string;
  roundSummary: (deadline: string, open: boolean, answered: string, total: string, late: string, missing: string) => string;
  roundGroups: (names: string) => string;
  noNominators: string;
  nominatorsCaption: (round: string) => string;
  nominatorCols: [string, string, string, string, string];
  noAnswer: string;
  late: string;
  yes: string;
  noNominations: string;
  deputy: string;
  limits: (min: string | null, max: string | null) => string;
  noLimits: string;
  progressTitle: (round: string) => string;
  progressDescription: string;
  progressLabel: (nominator: string, count: string, limits: string) => string;
  // meetings
  noMeetings: string;
  meetingsCaption: (count: string) => string;
  meetingCols: [string, string, string, string, string];
  meetingFromCalendar: string;
  // representation
  noGroups: string;
  representationCaption: string;
  representationCols: [string, string, string, string, string, string, string];
  noMembers: string;
  placesUndefined: string;
  // follow-up
  noMeasures: string;
  followUpCaption: string;
  followUpCols: [string, string, string, string, string];
  noTheme: string;
  wholeCounty: string;
  responsible: (names: string) => string;
  indicatorsTitle: string;
  noIndicators: string;
  indicatorChartTitle: (indicator: string, unit: string | null) => string;
  indicatorDescription: (county: string) => string;
  goal: (text: string) => string;
  indicatorTableCaption: (indicator: string) => string;
  area: string;
  year: string;
  countyAsArea: string;
  // explorer
  explorerTitle: string;
  explorerIntro: string;
  explorerHeaders: string;
  explorerUiLanguage: string;
  pages: string;
}

const fi: Messages = {
  skip: "Siirry sisältöön",
  brand: "Yhdyspinnat: hyvinvointialueen yhteistyörakenteet",
  titleSuffix: "yhdyspinnat",
  dashboard: "Kojelauta",
  controls: "Valinnat",
  county: "Hyvinvointialue",
  from: "Alkaen",
  to: "Päättyen",
  activeOn: "Tilanne päivänä",
  show: "Näytä",
  sections: "Osiot",
  explorer: "GraphQL-selain",
  statement: "Saavutettavuusseloste",
  language: "Kieli",
  footer: "Tiedot: yhdyspinta-rajapinnan julkiset näkymät (views/*.graphql). Aikaväli koskee nimeämisiä ja kokouksia; tilannepäivä ryhmiä ja jäseniä.",
  dateLetters: { day: "p", month: "k", year: "vvvv" },
  dateFormat: (hint) => `muoto ${hint}`,
  dateInvalid: (field, hint) => `${field}: anna päivämäärä muodossa ${hint}, esimerkiksi 31.12.2025.`,
  dateOrder: "Päättymispäivä on ennen alkamispäivää.",
  loading: "Ladataan…",
  loadFailed: (reason) => `Tietojen haku epäonnistui: ${reason}`,
  onlyIn: { fi: "vain suomeksi", sv: "vain ruotsiksi", en: "vain englanniksi" },
  countyNotFound: "Hyvinvointialuetta ei löytynyt.",
  coverageTitle: "Yhteistyöryhmien kattavuus",
  nominationsTitle: "Nimeämisten tilanne",
  meetingsTitle: "Kokouskalenteri",
  representationTitle: "Edustus ja paikat",
  followUpTitle: "Suunnitelmien seuranta",
  groupKind: {
    COOPERATION_GROUP: "Yhteistyöryhmä",
    PARTNERSHIP_GROUP: "Kumppanuusryhmä",
    ADVISORY_BOARD: "Neuvottelukunta",
    LIAISON_NETWORK: "Yhdyshenkilöverkosto",
    PARTNERSHIP_TABLE: "Kumppanuuspöytä",
  },
  meetingKind: { ORGANISING: "Järjestäytymiskokous", REGULAR: "Kokous", ANNUAL_NEGOTIATION: "Vuosittainen neuvottelu" },
  measureStatus: { PLANNED: "Suunniteltu", IN_PROGRESS: "Käynnissä", DONE: "Toteutunut", CANCELLED: "Peruttu" },
  nominationStatus: { SUBMITTED: "ehdotettu", ACCEPTED: "hyväksytty", REJECTED: "hylätty", WITHDRAWN: "peruttu" },
  noMunicipalities: "Ei kuntia.",
  noArea: "Ei aluetta",
  coverageCaption: (county, municipalities, areas, uncovered) =>
    `Kattavuus: ${county}, ${municipalities} kuntaa ${areas} alueella. Luku = ryhmien määrä; – = ei katettu (${uncovered} ryhmätyyppisolua).`,
  covered: "katettu",
  notCovered: "ei katettu",
  groupKinds: "Ryhmätyypit",
  themes: "Teemat",
  themesUnavailable: "Teemoja ei juuri nyt saatu (palvelu ei vastannut).",
  noThemes: "Ei teemoja.",
  tilesTitle: "Kunnat alueittain: kuinka moni ryhmätyyppi kattaa kunnan",
  tilesDescription: "Jokainen ruutu on kunta; väri ja luku kertovat, kuinka moni ryhmätyyppi kattaa sen. Samat tiedot taulukkona alla.",
  tileLabel: (municipality, covered, kinds) => `${municipality}: ${covered}/${kinds} ryhmätyyppiä`,
  legendFull: "kaikki ryhmätyypit",
  legendPartial: "osa ryhmätyypeistä",
  legendNone: "ei yhtään",
  dataTable: "Tiedot taulukkona",
  scrollHint: "Taulukko on näyttöä leveämpi: vieritä sivusuunnassa.",
  noRounds: "Ei avoimia tai valitulla ajanjaksolla päättyneitä nimeämiskierroksia.",
  roundSummary: (deadline, open, answered, total, late, missing) =>
    `Määräaika ${deadline} (${open ? "avoinna" : "päättynyt"}). Vastannut ${answered}/${total}, myöhässä ${late}, vastaamatta ${missing}.`,
  roundGroups: (names) => ` Ryhmät: ${names}.`,
  noNominators: "Ei nimeäjiä.",
  nominatorsCaption: (round) => `Nimeäjät: ${round}`,
  nominatorCols: ["Nimeäjä", "Vastattu", "Määräajassa", "Nimettyjä / rajat", "Nimetyt"],
  noAnswer: "Ei vastausta",
  late: "Myöhässä",
  yes: "Kyllä",
  noNominations: "Ei nimeämisiä",
  deputy: "varajäsen",
  limits: (min, max) => (min && max ? `${min}–${max}` : min ? `vähintään ${min}` : `enintään ${max}`),
  noLimits: "ei rajoja",
  progressTitle: (round) => `Nimettyjä nimeäjittäin rajoihin nähden: ${round}`,
  progressDescription: "Palkki = voimassa olevat nimeämiset (ei hylätyt eikä perutut); viivat = vähimmäis- ja enimmäismäärä. Samat tiedot taulukossa alla.",
  progressLabel: (nominator, count, limits) => `${nominator}: ${count} nimettyä (rajat ${limits})`,
  noMeetings: "Ei kokouksia valitulla ajanjaksolla.",
  meetingsCaption: (count) => `Kokoukset (${count}), aika Suomen aikaa`,
  meetingCols: ["Aika", "Ryhmä", "Ryhmätyyppi", "Kokous", "Paikka"],
  meetingFromCalendar: "Kalenterista avattu kokous",
  noGroups: "Ei ryhmiä.",
  representationCaption: "Edustus: jäsen- ja varajäsenpaikat ryhmittäin",
  representationCols: ["Ryhmä", "Ryhmätyyppi", "Jäseniä", "Jäsenpaikat täytetty", "Jäsenpaikat vapaana", "Varajäsenpaikat täytetty", "Varajäsenpaikat vapaana"],
  noMembers: "Ei jäseniä",
  placesUndefined: "paikkamäärää ei ole määritelty",
  noMeasures: "Ei toimenpiteitä hyvinvointisuunnitelmissa.",
  followUpCaption: "Suunnitelmien toimenpiteet teemoittain, kunnittain ja tilan mukaan",
  followUpCols: ["Teema", "Kunta", "Tila", "Määrä", "Toimenpiteet"],
  noTheme: "Ei teemaa",
  wholeCounty: "Koko alue",
  responsible: (names) => ` (vastuu: ${names})`,
  indicatorsTitle: "Seurantaindikaattorit tavoitteittain",
  noIndicators: "Hyvinvointisuunnitelman tavoitteille ei ole kirjattu indikaattoreita, joilla olisi arvoja.",
  indicatorChartTitle: (indicator, unit) => `${indicator}${unit ? ` (${unit})` : ""} vuosittain`,
  indicatorDescription: (county) => `Paksu viiva: ${county}; ohuet viivat: alueen kunnat. Samat tiedot taulukossa alla.`,
  goal: (text) => `Tavoite: ${text}`,
  indicatorTableCaption: (indicator) => `${indicator}: arvot vuosittain`,
  area: "Alue",
  year: "Vuosi",
  countyAsArea: "koko hyvinvointialue",
  explorerTitle: "yhdyspinta · GraphQL-selain",
  explorerIntro: "yhdyspinta-rajapinnan GraphQL-selain: kojelaudan kuusi näkymää ovat auki välilehdillä esimerkkimuuttujineen.",
  explorerHeaders: "Yhteystiedot saa näkyviin lisäämällä Headers-kohtaan",
  explorerUiLanguage: "Selaimen käyttöliittymä on englanniksi.",
  pages: "Sivut",
};

const sv: Messages = {
  skip: "Gå till innehållet",
  brand: "Yhdyspinnat: välfärdsområdets samarbetsstrukturer",
  titleSuffix: "yhdyspinnat",
  dashboard: "Översikt",
  controls: "Val",
  county: "Välfärdsområde",
  from: "Från",
  to: "Till",
  activeOn: "Läget den",
  show: "Visa",
  sections: "Avsnitt",
  explorer: "GraphQL-utforskaren",
  statement: "Tillgänglighetsutlåtande",
  language: "Språk",
  footer: "Uppgifter: yhdyspinta-gränssnittets öppna vyer (views/*.graphql). Tidsintervallet gäller nomineringar och möten; lägesdagen grupper och medlemmar.",
  dateLetters: { day: "d", month: "m", year: "åååå" },
  dateFormat: (hint) => `format ${hint}`,
  dateInvalid: (field, hint) => `${field}: ange datumet i formatet ${hint}, till exempel 31.12.2025.`,
  dateOrder: "Slutdatumet är före startdatumet.",
  loading: "Laddar…",
  loadFailed: (reason) => `Det gick inte att hämta uppgifterna: ${reason}`,
  onlyIn: { fi: "endast på finska", sv: "endast på svenska", en: "endast på engelska" },
  countyNotFound: "Välfärdsområdet hittades inte.",
  coverageTitle: "Samarbetsgruppernas täckning",
  nominationsTitle: "Läget för nomineringar",
  meetingsTitle: "Möteskalender",
  representationTitle: "Representation och platser",
  followUpTitle: "Uppföljning av planerna",
  groupKind: {
    COOPERATION_GROUP: "Samarbetsgrupp",
    PARTNERSHIP_GROUP: "Partnerskapsgrupp",
    ADVISORY_BOARD: "Delegation",
    LIAISON_NETWORK: "Kontaktpersonsnätverk",
    PARTNERSHIP_TABLE: "Partnerskapsbord",
  },
  meetingKind: { ORGANISING: "Konstituerande möte", REGULAR: "Möte", ANNUAL_NEGOTIATION: "Årlig förhandling" },
  measureStatus: { PLANNED: "Planerad", IN_PROGRESS: "Pågår", DONE: "Genomförd", CANCELLED: "Inställd" },
  nominationStatus: { SUBMITTED: "föreslagen", ACCEPTED: "godkänd", REJECTED: "avslagen", WITHDRAWN: "återtagen" },
  noMunicipalities: "Inga kommuner.",
  noArea: "Inget område",
  coverageCaption: (county, municipalities, areas, uncovered, oneArea) =>
    `Täckning: ${county}, ${municipalities} kommuner i ${areas} ${oneArea ? "område" : "områden"}. Tal = antal grupper; – = inte täckt (${uncovered} celler för grupptyper).`,
  covered: "täckt",
  notCovered: "inte täckt",
  groupKinds: "Grupptyper",
  themes: "Teman",
  themesUnavailable: "Teman kunde inte hämtas just nu (tjänsten svarade inte).",
  noThemes: "Inga teman.",
  tilesTitle: "Kommuner per område: hur många grupptyper täcker kommunen",
  tilesDescription: "Varje ruta är en kommun; färgen och talet visar hur många grupptyper som täcker den. Samma uppgifter som tabell nedan.",
  tileLabel: (municipality, covered, kinds) => `${municipality}: ${covered}/${kinds} grupptyper`,
  legendFull: "alla grupptyper",
  legendPartial: "en del av grupptyperna",
  legendNone: "ingen",
  dataTable: "Uppgifterna som tabell",
  scrollHint: "Tabellen är bredare än skärmen: rulla i sidled.",
  noRounds: "Inga öppna nomineringsomgångar eller omgångar som avslutats under den valda perioden.",
  roundSummary: (deadline, open, answered, total, late, missing) =>
    `Sista dag ${deadline} (${open ? "öppen" : "avslutad"}). Svarat ${answered}/${total}, försenade ${late}, inte svarat ${missing}.`,
  roundGroups: (names) => ` Grupper: ${names}.`,
  noNominators: "Inga nominerande.",
  nominatorsCaption: (round) => `Nominerande: ${round}`,
  nominatorCols: ["Nominerande", "Svarat", "I tid", "Nominerade / gränser", "Nominerade"],
  noAnswer: "Inget svar",
  late: "Försenat",
  yes: "Ja",
  noNominations: "Inga nomineringar",
  deputy: "ersättare",
  limits: (min, max) => (min && max ? `${min}–${max}` : min ? `minst ${min}` : `högst ${max}`),
  noLimits: "inga gränser",
  progressTitle: (round) => `Nominerade per nominerande i förhållande till gränserna: ${round}`,
  progressDescription: "Stapel = gällande nomineringar (inte avslagna eller återtagna); linjer = minimi- och maximiantal. Samma uppgifter i tabellen nedan.",
  progressLabel: (nominator, count, limits) => `${nominator}: ${count} nominerade (gränser ${limits})`,
  noMeetings: "Inga möten under den valda perioden.",
  meetingsCaption: (count) => `Möten (${count}), finsk tid`,
  meetingCols: ["Tid", "Grupp", "Grupptyp", "Möte", "Plats"],
  meetingFromCalendar: "Mötet som öppnades från kalendern",
  noGroups: "Inga grupper.",
  representationCaption: "Representation: medlems- och ersättarplatser per grupp",
  representationCols: ["Grupp", "Grupptyp", "Medlemmar", "Medlemsplatser besatta", "Medlemsplatser lediga", "Ersättarplatser besatta", "Ersättarplatser lediga"],
  noMembers: "Inga medlemmar",
  placesUndefined: "antalet platser har inte fastställts",
  noMeasures: "Inga åtgärder i välfärdsplanerna.",
  followUpCaption: "Planernas åtgärder per tema, kommun och status",
  followUpCols: ["Tema", "Kommun", "Status", "Antal", "Åtgärder"],
  noTheme: "Inget tema",
  wholeCounty: "Hela området",
  responsible: (names) => ` (ansvar: ${names})`,
  indicatorsTitle: "Uppföljningsindikatorer per mål",
  noIndicators: "För välfärdsplanens mål har inga indikatorer med värden registrerats.",
  indicatorChartTitle: (indicator, unit) => `${indicator}${unit ? ` (${unit})` : ""} per år`,
  indicatorDescription: (county) => `Tjock linje: ${county}; tunna linjer: områdets kommuner. Samma uppgifter i tabellen nedan.`,
  goal: (text) => `Mål: ${text}`,
  indicatorTableCaption: (indicator) => `${indicator}: värden per år`,
  area: "Område",
  year: "År",
  countyAsArea: "hela välfärdsområdet",
  explorerTitle: "yhdyspinta · GraphQL-utforskaren",
  explorerIntro: "GraphQL-utforskaren för yhdyspinta: översiktens sex vyer är öppna som flikar med exempelvariabler.",
  explorerHeaders: "Kontaktuppgifterna syns när du under Headers lägger till",
  explorerUiLanguage: "Utforskarens användargränssnitt är på engelska.",
  pages: "Sidor",
};

const en: Messages = {
  skip: "Skip to content",
  brand: "Yhdyspinnat: cooperation structures of a wellbeing services county",
  titleSuffix: "yhdyspinnat",
  dashboard: "Dashboard",
  controls: "Choices",
  county: "Wellbeing services county",
  from: "From",
  to: "To",
  activeOn: "Situation on",
  show: "Show",
  sections: "Sections",
  explorer: "GraphQL explorer",
  statement: "Accessibility statement",
  language: "Language",
  footer: "Data: the public views of the yhdyspinta API (views/*.graphql). The date range applies to nominations and meetings; the situation date to groups and members.",
  dateLetters: { day: "dd", month: "mm", year: "yyyy" },
  dateFormat: (hint) => `format ${hint}`,
  dateInvalid: (field, hint) => `${field}: enter the date as ${hint}, for example 31/12/2025.`,
  dateOrder: "The end date is before the start date.",
  loading: "Loading…",
  loadFailed: (reason) => `Could not load the data: ${reason}`,
  onlyIn: { fi: "in Finnish only", sv: "in Swedish only", en: "in English only" },
  countyNotFound: "The wellbeing services county was not found.",
  coverageTitle: "Coverage of the cooperation groups",
  nominationsTitle: "Nominations",
  meetingsTitle: "Meeting calendar",
  representationTitle: "Representation and seats",
  followUpTitle: "Plan follow-up",
  groupKind: {
    COOPERATION_GROUP: "Cooperation group",
    PARTNERSHIP_GROUP: "Partnership group",
    ADVISORY_BOARD: "Advisory board",
    LIAISON_NETWORK: "Liaison network",
    PARTNERSHIP_TABLE: "Partnership table",
  },
  meetingKind: { ORGANISING: "Organising meeting", REGULAR: "Meeting", ANNUAL_NEGOTIATION: "Annual negotiation" },
  measureStatus: { PLANNED: "Planned", IN_PROGRESS: "In progress", DONE: "Done", CANCELLED: "Cancelled" },
  nominationStatus: { SUBMITTED: "submitted", ACCEPTED: "accepted", REJECTED: "rejected", WITHDRAWN: "withdrawn" },
  noMunicipalities: "No municipalities.",
  noArea: "No area",
  coverageCaption: (county, municipalities, areas, uncovered, oneArea) =>
    `Coverage: ${county}, ${municipalities} municipalities in ${areas} ${oneArea ? "area" : "areas"}. Number = groups; – = not covered (${uncovered} group-kind cells).`,
  covered: "covered",
  notCovered: "not covered",
  groupKinds: "Group kinds",
  themes: "Themes",
  themesUnavailable: "The themes could not be loaded just now (the service did not answer).",
  noThemes: "No themes.",
  tilesTitle: "Municipalities by area: how many group kinds cover each",
  tilesDescription: "Each tile is a municipality; its colour and number tell how many group kinds cover it. The same data as a table below.",
  tileLabel: (municipality, covered, kinds) => `${municipality}: ${covered} of ${kinds} group kinds`,
  legendFull: "every group kind",
  legendPartial: "some group kinds",
  legendNone: "none",
  dataTable: "The data as a table",
  scrollHint: "The table is wider than the screen: scroll sideways.",
  noRounds: "No nomination rounds open or closed in the chosen period.",
  roundSummary: (deadline, open, answered, total, late, missing) =>
    `Deadline ${deadline} (${open ? "open" : "closed"}). Answered ${answered}/${total}, late ${late}, not answered ${missing}.`,
  roundGroups: (names) => ` Groups: ${names}.`,
  noNominators: "No nominators.",
  nominatorsCaption: (round) => `Nominators: ${round}`,
  nominatorCols: ["Nominator", "Answered", "On time", "Nominated / limits", "Nominees"],
  noAnswer: "No answer",
  late: "Late",
  yes: "Yes",
  noNominations: "No nominations",
  deputy: "deputy",
  limits: (min, max) => (min && max ? `${min}–${max}` : min ? `at least ${min}` : `at most ${max}`),
  noLimits: "no limits",
  progressTitle: (round) => `Nominees per nominator against the limits: ${round}`,
  progressDescription: "Bar = nominations in force (not rejected or withdrawn); lines = the minimum and maximum. The same data in the table below.",
  progressLabel: (nominator, count, limits) => `${nominator}: ${count} nominated (limits ${limits})`,
  noMeetings: "No meetings in the chosen period.",
  meetingsCaption: (count) => `Meetings (${count}), Finnish time`,
  meetingCols: ["Time", "Group", "Group kind", "Meeting", "Place"],
  meetingFromCalendar: "The meeting opened from the calendar",
  noGroups: "No groups.",
  representationCaption: "Representation: member and deputy seats by group",
  representationCols: ["Group", "Group kind", "Members", "Member places filled", "Member places vacant", "Deputy places filled", "Deputy places vacant"],
  noMembers: "No members",
  placesUndefined: "number of places not set",
  noMeasures: "No measures in the wellbeing plans.",
  followUpCaption: "The plans' measures by theme, municipality and status",
  followUpCols: ["Theme", "Municipality", "Status", "Count", "Measures"],
  noTheme: "No theme",
  wholeCounty: "Whole county",
  responsible: (names) => ` (responsible: ${names})`,
  indicatorsTitle: "Monitoring indicators by goal",
  noIndicators: "No indicators with values are recorded for the wellbeing plan's goals.",
  indicatorChartTitle: (indicator, unit) => `${indicator}${unit ? ` (${unit})` : ""} by year`,
  indicatorDescription: (county) => `Thick line: ${county}; thin lines: its municipalities. The same data in the table below.`,
  goal: (text) => `Goal: ${text}`,
  indicatorTableCaption: (indicator) => `${indicator}: values by year`,
  area: "Area",
  year: "Year",
  countyAsArea: "whole county",
  explorerTitle: "yhdyspinta · GraphQL explorer",
  explorerIntro: "The yhdyspinta GraphQL explorer: the dashboard's six views are open as tabs with example variables.",
  explorerHeaders: "To read contact data, add under Headers",
  explorerUiLanguage: "The explorer's own interface is in English.",
  pages: "Pages",
};

export const MESSAGES: Record<Lang, Messages> = { fi, sv, en };

/** Date and number formatting for one page language; every time a person reads is Helsinki time. */
export function formats(lang: Lang) {
  const locale = LOCALE[lang];
  const day = new Intl.DateTimeFormat(locale, { timeZone: "UTC", day: "numeric", month: "numeric", year: "numeric" });
  const moment = new Intl.DateTimeFormat(locale, {
    timeZone: "Europe/Helsinki",
    weekday: "short",
    day: "numeric",
    month: "numeric",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const letters = MESSAGES[lang].dateLetters;
  const sample = day.formatToParts(new Date(Date.UTC(2025, 11, 31)));
  /** The day-month-year order and separators of this locale's numeric date, e.g. p.k.vvvv. */
  const hint = sample
    .map((part) => (part.type === "day" ? letters.day : part.type === "month" ? letters.month : part.type === "year" ? letters.year : part.value))
    .join("");
  const order = sample.map((p) => p.type).filter((t) => t === "day" || t === "month" || t === "year");
  return {
    locale,
    /** A calendar day (YYYY-MM-DD) in the locale's numeric format. */
    date: (iso: string) => {
      const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
      return day.format(new Date(Date.UTC(y!, m! - 1, d!)));
    },
    moment: (iso: string) => moment.format(new Date(iso)),
    number: (n: number) => number.format(n),
    dateHint: hint,
    /** Reads a date typed in the locale's format (or ISO); null when it is no calendar day. */
    parseDate: (text: string): string | null => {
      const trimmed = text.trim();
      let y: number, m: number, d: number;
      const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
      if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
      else {
        const nums = trimmed.split(/[^\d]+/).filter(Boolean).map(Number);
        if (nums.length !== 3) return null;
        const at = (type: string) => nums[order.indexOf(type as (typeof order)[number])]!;
        [y, m, d] = [at("year"), at("month"), at("day")];
      }
      if (y < 1000 || y > 9999) return null;
      const date = new Date(Date.UTC(y, m - 1, d));
      if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
      return date.toISOString().slice(0, 10);
    },
  };
}
export type Formats = ReturnType<typeof formats>;
