// Hand-made SVG charts. Two chart kinds (lines over years, bars against
// limits) and one HTML tile map are all the dashboard draws: about 150 lines
// here against 200+ kB for a general chart library (Chart.js draws on canvas,
// which a screen reader cannot read; Vega and Observable Plot are larger
// still). Each chart is a <figure> with a caption, an SVG with role="img" and
// a text summary, and its data as a table next to it (the figure's
// aria-describedby and data-table name the table); colours come from the
// Suomi.fi tokens and are never the only carrier of a value.

import { h } from "../chrome.ts";

const SVG = "http://www.w3.org/2000/svg";

function s(tag: string, attrs: Record<string, string | number> = {}, ...children: (SVGElement | string)[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  for (const child of children) el.append(child);
  return el;
}

let nextId = 0;
const uid = (prefix: string) => `${prefix}-${++nextId}`;

/** A chart figure: caption, the drawing, the description, and a pointer to its data table. */
export function figure(kind: string, caption: string, description: string, drawing: Element, tableId: string): HTMLElement {
  const captionId = uid("chart-caption");
  const descId = uid("chart-desc");
  drawing.setAttribute("aria-labelledby", captionId);
  drawing.setAttribute("aria-describedby", descId);
  return h(
    "figure",
    { class: "chart", "data-chart": kind, "data-table": tableId },
    h("figcaption", { id: captionId }, caption),
    drawing,
    h("p", { class: "chart-desc", id: descId }, description),
  );
}

export interface Series {
  label: string;
  emphasis: boolean;
  points: { year: number; value: number }[];
}

/** Values over years: one line per series, the emphasised one thick and dark. */
export function lineChart(series: Series[], summary: string, format: (n: number) => string): SVGElement {
  const width = 640;
  const height = 260;
  const pad = { left: 56, right: 16, top: 12, bottom: 32 };
  const points = series.flatMap((x) => x.points);
  const years = [...new Set(points.map((p) => p.year))].sort((a, b) => a - b);
  const values = points.map((p) => p.value);
  // The values' own range with a margin (rates near 60 % drawn from 0 would look flat), never below 0 for non-negative data.
  const spread = Math.max(...values) - Math.min(...values) || Math.abs(values[0] ?? 1) || 1;
  const lo = Math.min(...values) >= 0 ? Math.max(0, Math.min(...values) - spread * 0.25) : Math.min(...values) - spread * 0.25;
  const hi = Math.max(...values) + spread * 0.25;
  const x = (year: number) =>
    years.length === 1 ? (pad.left + width - pad.right) / 2 : pad.left + ((year - years[0]!) / (years.at(-1)! - years[0]!)) * (width - pad.left - pad.right);
  const y = (value: number) => height - pad.bottom - ((value - lo) / (hi - lo)) * (height - pad.top - pad.bottom);
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "line-chart", "aria-label": summary });
  const ticks = [lo, lo + (hi - lo) / 2, hi];
  for (const tick of ticks) {
    svg.append(s("line", { x1: pad.left, x2: width - pad.right, y1: y(tick), y2: y(tick), class: "grid" }));
    svg.append(s("text", { x: pad.left - 6, y: y(tick) + 4, "text-anchor": "end", class: "tick" }, format(tick)));
  }
  for (const year of years) svg.append(s("text", { x: x(year), y: height - 10, "text-anchor": "middle", class: "tick" }, String(year)));
  // The thin lines first, the emphasised one on top.
  for (const line of [...series].sort((a, b) => Number(a.emphasis) - Number(b.emphasis))) {
    const sorted = [...line.points].sort((a, b) => a.year - b.year);
    if (sorted.length === 0) continue;
    const d = sorted.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.year).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
    const g = s("g", { class: line.emphasis ? "series main" : "series" }, s("title", {}, line.label));
    g.append(s("path", { d }));
    for (const p of sorted) g.append(s("circle", { cx: x(p.year), cy: y(p.value), r: line.emphasis ? 4 : 2.5 }));
    svg.append(g);
  }
  return svg;
}

export interface Bar {
  label: string;
  count: number;
  min: number | null;
  max: number | null;
}

/** One bar per row against its minimum and maximum (dashed marks), count written at the bar's end. */
export function barChart(bars: Bar[], summary: string, format: (n: number) => string): SVGElement {
  const width = 640;
  const row = 26;
  const labelWidth = 200;
  const height = bars.length * row + 8;
  const scale = Math.max(1, ...bars.flatMap((b) => [b.count, b.min ?? 0, b.max ?? 0]));
  const x = (n: number) => labelWidth + (n / scale) * (width - labelWidth - 48);
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "bar-chart", "aria-label": summary });
  bars.forEach((bar, i) => {
    const top = 4 + i * row;
    const below = bar.min !== null && bar.count < bar.min;
    const above = bar.max !== null && bar.count > bar.max;
    const name = bar.label.length > 30 ? `${bar.label.slice(0, 29)}…` : bar.label;
    const g = s("g", { class: `bar${below ? " below" : ""}${above ? " above" : ""}` }, s("title", {}, bar.label));
    g.append(s("text", { x: labelWidth - 8, y: top + 16, "text-anchor": "end", class: "label" }, name));
    g.append(s("rect", { x: labelWidth, y: top + 4, width: Math.max(0, x(bar.count) - labelWidth), height: row - 10, class: "fill" }));
    for (const limit of [bar.min, bar.max]) {
      if (limit !== null) g.append(s("line", { x1: x(limit), x2: x(limit), y1: top, y2: top + row - 2, class: "limit" }));
    }
    g.append(s("text", { x: x(bar.count) + 6, y: top + 16, class: "value" }, format(bar.count)));
    svg.append(g);
  });
  return svg;
}

export interface Tile {
  label: Node | string;
  title: string;
  covered: number;
  of: number;
}

/** Municipalities as tiles grouped by area; the tile's colour and its number say how many group kinds cover it. */
export function tileMap(areas: { name: Node | string; tiles: Tile[] }[], legend: { full: string; partial: string; none: string }): HTMLElement {
  const level = (t: Tile) => (t.of > 0 && t.covered === t.of ? "full" : t.covered > 0 ? "partial" : "none");
  return h(
    "div",
    { class: "tile-map" },
    h(
      "ul",
      { class: "legend" },
      h("li", {}, h("span", { class: "swatch full", "aria-hidden": "true" }), legend.full),
      h("li", {}, h("span", { class: "swatch partial", "aria-hidden": "true" }), legend.partial),
      h("li", {}, h("span", { class: "swatch none", "aria-hidden": "true" }), legend.none),
    ),
    areas.map((area) => {
      const id = uid("tile-area");
      return h(
        "div",
        { class: "tile-area" },
        h("p", { class: "tile-area-name", id }, area.name),
        h(
          "ul",
          { class: "tiles", "aria-labelledby": id },
          area.tiles.map((tile) =>
            h("li", { class: `tile ${level(tile)}`, title: tile.title }, h("span", { class: "tile-name" }, tile.label), h("span", { class: "tile-count" }, `${tile.covered}/${tile.of}`)),
          ),
        ),
      );
    }),
  );
}
