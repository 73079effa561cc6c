/**
 * The accessibility statement (saavutettavuusseloste) the act on the
 * provision of digital services (306/2019, 15–16 §) requires of a public
 * body's web service, in Finnish, Swedish and English: the service and its
 * scope, its state of compliance with WCAG 2.1 AA (EN 301 549), the content
 * that is not accessible and why, how it was assessed, how to give feedback
 * and ask for content in an accessible form, and the supervisory authority to
 * turn to. Since 1 January 2026 the supervision that the Regional State
 * Administrative Agency for Southern Finland did is the national Lupa- ja
 * valvontavirasto's (the AVIs were merged into it); its accessibility pages
 * stay at saavutettavuusvaatimukset.fi.
 *
 * Built as static pages (readable without script). The feedback address is
 * the operator's: ACCESSIBILITY_FEEDBACK_EMAIL when the pages are built.
 */

export const STATEMENT_LANGS = ["fi", "sv", "en"] as const;
export type StatementLang = (typeof STATEMENT_LANGS)[number];

/** When the statement was prepared and last reviewed (ISO dates). */
const PREPARED = "2026-12-04";

/** The operator's address for accessibility feedback, fixed at build time. */
export function feedbackEmail(): string {
  return process.env["ACCESSIBILITY_FEEDBACK_EMAIL"]?.trim() || "saavutettavuus@example.invalid";
}

const esc = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const day = (lang: StatementLang, iso: string) =>
  new Intl.DateTimeFormat({ fi: "fi-FI", sv: "sv-FI", en: "en-GB" }[lang], { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" }).format(new Date(`${iso}T00:00:00Z`));

interface Statement {
  title: string;
  skip: string;
  languages: string;
  links: string;
  dashboard: string;
  explorer: string;
  intro: string;
  statusTitle: string;
  status: string;
  nonAccessibleTitle: string;
  nonAccessible: string[];
  assessmentTitle: string;
  assessment: string;
  feedbackTitle: string;
  feedback: string;
  feedbackEmail: string;
  enforcementTitle: string;
  enforcement: string;
  authority: string[];
  authorityUrl: string;
  prepared: (date: string) => string;
}

const TEXTS: Record<StatementLang, Statement> = {
  fi: {
    title: "Saavutettavuusseloste",
    skip: "Siirry sisältöön",
    languages: "Kieli",
    links: "Palvelun sivut",
    dashboard: "Kojelauta",
    explorer: "GraphQL-selain",
    intro:
      "Tämä saavutettavuusseloste koskee yhdyspinta-palvelun verkkosivuja: hyvinvointialueen kojelautaa (/dashboard/), GraphQL-selainta (/) ja tätä selostetta. Palvelua koskee laki digitaalisten palvelujen tarjoamisesta (306/2019), joka edellyttää, että julkiset verkkopalvelut ovat saavutettavia.",
    statusTitle: "Digipalvelun saavutettavuuden tila",
    status: "Palvelu täyttää WCAG 2.1 -kriteeristön A- ja AA-tason vaatimukset osittain. Puutteet on lueteltu alla.",
    nonAccessibleTitle: "Ei-saavutettava sisältö",
    nonAccessible: [
      "GraphQL-selaimen oma käyttöliittymä (GraphiQL-kirjasto) on vain englanniksi (osa on kielimerkitty englanniksi, WCAG 3.1.2). Selaimen ympäröivä sivu on suomeksi, ruotsiksi ja englanniksi.",
      "GraphQL-selaimen koodieditorissa sarkainnäppäin lisää sarkaimen; editorista pääsee pois näppäimillä Ctrl+M ja sitten sarkain (WCAG 2.1.2). Kyselyt voi tehdä myös kojelaudalta ilman editoria.",
      "Osa aineistosta on olemassa vain suomeksi (ryhmien, teemojen, nimeämiskierrosten ja toimenpiteiden nimet). Ruotsin- ja englanninkielisillä sivuilla ne on merkitty suomenkielisiksi (kielimerkintä ja näkyvä FI-tunnus).",
    ],
    assessmentTitle: "Miten saavutettavuutta on arvioitu",
    assessment:
      "Arvio on tehty itse. Jokainen sivu tarkistetaan kaikilla kolmella kielellä automaattisesti axe-core-työkalulla (WCAG 2.1 A ja AA) ja näppäimistöllä käytettävyys testataan Chromium-selaimella jokaisen muutoksen yhteydessä. Ulkopuolista auditointia ei ole tehty.",
    feedbackTitle: "Palaute ja yhteystiedot",
    feedback:
      "Huomasitko saavutettavuuspuutteen tai tarvitsetko sisältöä saavutettavassa muodossa? Kerro siitä meille. Vastaamme 14 päivän kuluessa.",
    feedbackEmail: "Sähköposti",
    enforcementTitle: "Valvontaviranomainen",
    enforcement:
      "Jos huomaat sivustolla saavutettavuusongelmia, anna ensin palautetta meille. Jos et ole tyytyväinen saamaasi vastaukseen tai et saa vastausta kahden viikon aikana, voit tehdä ilmoituksen valvontaviranomaiselle.",
    authority: ["Lupa- ja valvontavirasto", "Saavutettavuuden valvonta"],
    authorityUrl: "https://www.saavutettavuusvaatimukset.fi",
    prepared: (date) => `Seloste on laadittu ja tarkistettu ${date}.`,
  },
  sv: {
    title: "Tillgänglighetsutlåtande",
    skip: "Gå till innehållet",
    languages: "Språk",
    links: "Tjänstens sidor",
    dashboard: "Översikt",
    explorer: "GraphQL-utforskaren",
    intro:
      "Detta tillgänglighetsutlåtande gäller webbsidorna i tjänsten yhdyspinta: välfärdsområdets översikt (/dashboard/), GraphQL-utforskaren (/) och detta utlåtande. Tjänsten omfattas av lagen om tillhandahållande av digitala tjänster (306/2019), som kräver att offentliga webbtjänster är tillgängliga.",
    statusTitle: "Digitala tjänstens tillgänglighetsstatus",
    status: "Tjänsten uppfyller delvis kraven på nivå A och AA i WCAG 2.1. Bristerna räknas upp nedan.",
    nonAccessibleTitle: "Innehåll som inte är tillgängligt",
    nonAccessible: [
      "GraphQL-utforskarens eget gränssnitt (biblioteket GraphiQL) finns endast på engelska (delen är språkmärkt som engelska, WCAG 3.1.2). Sidan runt utforskaren finns på finska, svenska och engelska.",
      "I utforskarens kodredigerare infogar tabbtangenten ett tabbtecken; man kommer ut ur redigeraren med Ctrl+M och sedan tabb (WCAG 2.1.2). Frågorna kan också göras i översikten utan redigeraren.",
      "En del av uppgifterna finns endast på finska (namn på grupper, teman, nomineringsomgångar och åtgärder). På de svenska och engelska sidorna är de märkta som finska (språkmärkning och en synlig FI-markering).",
    ],
    assessmentTitle: "Hur tillgängligheten har bedömts",
    assessment:
      "Bedömningen är gjord av oss själva. Varje sida kontrolleras på alla tre språken automatiskt med verktyget axe-core (WCAG 2.1 A och AA) och användningen med tangentbord testas i webbläsaren Chromium vid varje ändring. Ingen extern granskning har gjorts.",
    feedbackTitle: "Respons och kontaktuppgifter",
    feedback:
      "Märkte du en brist i tillgängligheten eller behöver du innehåll i tillgänglig form? Berätta det för oss. Vi svarar inom 14 dagar.",
    feedbackEmail: "E-post",
    enforcementTitle: "Tillsynsmyndighet",
    enforcement:
      "Om du märker problem med tillgängligheten, ge först respons till oss. Om du inte är nöjd med svaret eller inte får svar inom två veckor kan du göra en anmälan till tillsynsmyndigheten.",
    authority: ["Tillstånds- och tillsynsverket (Lupa- ja valvontavirasto)", "Tillsynen av tillgänglighet"],
    authorityUrl: "https://www.tillganglighetskrav.fi",
    prepared: (date) => `Utlåtandet har utarbetats och granskats ${date}.`,
  },
  en: {
    title: "Accessibility statement",
    skip: "Skip to content",
    languages: "Language",
    links: "Pages of the service",
    dashboard: "Dashboard",
    explorer: "GraphQL explorer",
    intro:
      "This accessibility statement covers the web pages of the yhdyspinta service: the county dashboard (/dashboard/), the GraphQL explorer (/) and this statement. The service falls under the Act on the Provision of Digital Services (306/2019), which requires public web services to be accessible.",
    statusTitle: "Compliance status",
    status: "The service partially meets the level A and AA requirements of WCAG 2.1. The shortcomings are listed below.",
    nonAccessibleTitle: "Non-accessible content",
    nonAccessible: [
      "The GraphQL explorer's own interface (the GraphiQL library) is in English only (that part is marked as English, WCAG 3.1.2). The page around the explorer is in Finnish, Swedish and English.",
      "In the explorer's code editor the Tab key inserts a tab; Ctrl+M and then Tab leave the editor (WCAG 2.1.2). The same queries can be made from the dashboard without the editor.",
      "Some data exist in Finnish only (names of groups, themes, nomination rounds and measures). On the Swedish and English pages they are marked as Finnish (language markup and a visible FI tag).",
    ],
    assessmentTitle: "How accessibility was assessed",
    assessment:
      "The assessment is our own. Every page is checked in all three languages with the axe-core tool (WCAG 2.1 A and AA) and keyboard use is tested in the Chromium browser on every change. No external audit has been made.",
    feedbackTitle: "Feedback and contact",
    feedback: "Did you notice an accessibility problem, or do you need content in an accessible form? Tell us. We answer within 14 days.",
    feedbackEmail: "E-mail",
    enforcementTitle: "Enforcement",
    enforcement:
      "If you notice accessibility problems, first give feedback to us. If you are not satisfied with the answer or get none within two weeks, you can report it to the supervisory authority.",
    authority: ["Lupa- ja valvontavirasto (the Finnish Permit and Supervisory Agency)", "Accessibility supervision"],
    authorityUrl: "https://www.webaccessibility.fi",
    prepared: (date) => `This statement was prepared and reviewed on ${date}.`,
  },
};

const LANG_NAME: Record<StatementLang, string> = { fi: "Suomi", sv: "Svenska", en: "English" };

/** The statement as a complete page in one language, with the language switch and links back to the service. */
export function statementHtml(lang: StatementLang): string {
  const t = TEXTS[lang];
  const email = feedbackEmail();
  const switcher = STATEMENT_LANGS.map(
    (code) =>
      `<li><a href="/accessibility/?lang=${code}" lang="${code}" hreflang="${code}"${code === lang ? ' aria-current="true"' : ""}>${LANG_NAME[code]}</a></li>`,
  ).join("");
  return `<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${esc(t.title)} · yhdyspinnat</title>
    <link rel="stylesheet" href="/dashboard/tokens.css" />
    <link rel="stylesheet" href="/dashboard/dashboard.css" />
  </head>
  <body class="statement">
    <a class="skip" href="#main">${esc(t.skip)}</a>
    <header>
      <div class="topline">
        <p class="brand">yhdyspinnat</p>
        <nav class="languages" aria-label="${esc(t.languages)}"><ul>${switcher}</ul></nav>
      </div>
      <h1>${esc(t.title)}</h1>
      <nav class="sections" aria-label="${esc(t.links)}">
        <ul>
          <li><a href="/dashboard/?lang=${lang}">${esc(t.dashboard)}</a></li>
          <li><a href="/?lang=${lang}">${esc(t.explorer)}</a></li>
        </ul>
      </nav>
    </header>
    <main id="main" tabindex="-1">
      <p>${esc(t.intro)}</p>
      <section aria-labelledby="status">
        <h2 id="status">${esc(t.statusTitle)}</h2>
        <p>${esc(t.status)}</p>
      </section>
      <section aria-labelledby="non-accessible">
        <h2 id="non-accessible">${esc(t.nonAccessibleTitle)}</h2>
        <ul>${t.nonAccessible.map((item) => `<li>${esc(item)}</li>`).join("")}</ul>
      </section>
      <section aria-labelledby="assessment">
        <h2 id="assessment">${esc(t.assessmentTitle)}</h2>
        <p>${esc(t.assessment)}</p>
      </section>
      <section aria-labelledby="feedback">
        <h2 id="feedback">${esc(t.feedbackTitle)}</h2>
        <p>${esc(t.feedback)}</p>
        <p>${esc(t.feedbackEmail)}: <a href="mailto:${esc(email)}">${esc(email)}</a></p>
      </section>
      <section aria-labelledby="enforcement">
        <h2 id="enforcement">${esc(t.enforcementTitle)}</h2>
        <p>${esc(t.enforcement)}</p>
        <p>${t.authority.map(esc).join("<br />")}<br /><a href="${t.authorityUrl}">${t.authorityUrl.replace("https://", "")}</a></p>
      </section>
      <p>${esc(t.prepared(day(lang, PREPARED)))}</p>
    </main>
  </body>
</html>
`;
}
