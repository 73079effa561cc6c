import { LANG_NAME, LANGS, langHref, MESSAGES, pageLang, rememberLang, type Lang, type Messages } from "./i18n.ts";

type Attrs = Record<string, string | number | boolean | undefined>;
export type Child = Node | string | number | null | undefined | false;

/** Creates an element; children given as text are escaped by the DOM. */
export function h(tag: string, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === "class") el.className = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/**
 * The page's language, remembered and put in the address; the static texts
 * (`data-t` keys, `data-t-label` for aria-label), the language switch and the
 * links to the other pages (`data-lang-link`) in that language.
 */
export function setUpChrome(): { lang: Lang; t: Messages } {
  const lang = pageLang();
  rememberLang(lang);
  const t = MESSAGES[lang];
  const text = (key: string): string | undefined => {
    const value = (t as unknown as Record<string, unknown>)[key];
    return typeof value === "string" ? value : undefined;
  };
  for (const el of document.querySelectorAll<HTMLElement>("[data-t]")) {
    const value = text(el.dataset["t"] ?? "");
    if (value !== undefined) el.textContent = value;
  }
  for (const el of document.querySelectorAll<HTMLElement>("[data-t-label]")) {
    const value = text(el.dataset["tLabel"] ?? "");
    if (value !== undefined) el.setAttribute("aria-label", value);
  }
  for (const a of document.querySelectorAll<HTMLAnchorElement>("a[data-lang-link]")) {
    const url = new URL(a.getAttribute("href") ?? "/", location.href);
    url.searchParams.set("lang", lang);
    a.setAttribute("href", `${url.pathname}${url.search}`);
  }
  const switcher = document.getElementById("languages");
  if (switcher) {
    switcher.replaceChildren(
      h(
        "ul",
        {},
        LANGS.map((code) =>
          h(
            "li",
            {},
            h(
              "a",
              { href: langHref(code), lang: code, hreflang: code, "aria-current": code === lang ? "true" : undefined },
              LANG_NAME[code],
            ),
          ),
        ),
      ),
    );
    // The switch keeps the address as it is now (filters and fragment included).
    switcher.addEventListener("click", (event) => {
      const link = (event.target as Element | null)?.closest("a[hreflang]");
      if (link) link.setAttribute("href", langHref(link.getAttribute("hreflang") as Lang));
    });
  }
  return { lang, t };
}
