/**
 * Mends GraphiQL's markup where axe-core finds WCAG 2.1 failures that its
 * props cannot change, and keeps it mended as React re-renders:
 * - nested-interactive: each tab is an element with role="tab" holding two
 *   buttons (select, close). The tabs become a plain list of buttons: the
 *   list loses role="tablist", each item role="tab" (and aria-selected moves
 *   to the select button as aria-current).
 */
export function keepAccessible(root: HTMLElement): void {
  const mend = () => {
    for (const list of root.querySelectorAll('[role="tablist"]')) {
      if (!list.querySelector('[role="tab"] button, [role="tab"] a, [role="tab"] [tabindex]')) continue;
      list.removeAttribute("role");
    }
    for (const tab of root.querySelectorAll('[role="tab"]')) {
      if (!tab.querySelector("button, a, [tabindex]")) continue;
      const selected = tab.getAttribute("aria-selected") === "true";
      tab.removeAttribute("role");
      tab.removeAttribute("aria-selected");
      const select = tab.querySelector("button");
      if (select) {
        if (selected) select.setAttribute("aria-current", "true");
        else select.removeAttribute("aria-current");
      }
    }
  };
  mend();
  new MutationObserver(mend).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["role", "aria-selected"] });
}
