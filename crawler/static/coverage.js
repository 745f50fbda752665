"use strict";
const DATA = JSON.parse(document.getElementById("data").textContent);
const SVG = "http://www.w3.org/2000/svg";
const COLOURS = ["#1565c0", "#2e7d32", "#c62828", "#6a1b9a", "#ef6c00"];

function el(tag, attrs, text) {
  const node = tag.startsWith("svg:")
    ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function shade(cell) {
  const found = cell.found || 0, missing = cell.missing || 0, failed = cell.failed || 0;
  const all = found + missing + failed;
  if (!all) return "";
  const share = found / all;
  if (failed && share < 0.5) return "background:#e57373";
  if (!found) return "background:#fff3b0";  // missing only
  const light = Math.round(92 - share * 55);
  return `background:hsl(122,45%,${light}%);color:${light < 60 ? "#fff" : "#222"}`;
}

function heatmap() {
  const table = document.getElementById("heatmap");
  const head = el("tr");
  head.append(el("th", {}, "province"), el("th", {}, "counties"));
  for (const year of DATA.years) head.append(el("th", {}, String(year)));
  table.append(head);
  for (const row of DATA.heat) {
    const tr = el("tr");
    tr.append(el("th", {class: "province"}, row.province), el("td", {}, String(row.sites)));
    row.cells.forEach((cell, i) => {
      const td = el("td", {class: "cell", style: shade(cell),
        title: `${row.province} ${DATA.years[i]}: found ${cell.found || 0}, ` +
               `missing ${cell.missing || 0}, failed ${cell.failed || 0}`},
        cell.found ? String(cell.found) : (cell.missing || cell.failed ? "0" : ""));
      tr.append(td);
    });
    table.append(tr);
  }
  const t = DATA.totals;
  document.getElementById("totals").textContent =
    `${t.sites} registered counties; publisher-years found ${t.found}, missing ${t.missing}; ` +
    `documents that failed ${t.failed}.`;
}

function provinces() {
  const root = document.getElementById("provinces");
  for (const [province, counties] of Object.entries(DATA.tables)) {
    const found = counties.reduce((n, c) => n + c.years.reduce((m, y) => m + (y.found || 0), 0), 0);
    const details = el("details", {class: "province"});
    details.append(el("summary", {}, `${province} — ${counties.length} counties, ${found} reports`));
    const table = el("table", {class: "county"});
    const head = el("tr");
    head.append(el("th", {}, "county"));
    for (const year of DATA.years) head.append(el("th", {}, String(year)));
    table.append(head);
    for (const county of counties) {
      const tr = el("tr");
      tr.append(el("td", {class: "name", title: county.site_id}, county.name));
      county.years.forEach((y, i) => {
        const state = y.failed ? "failed" : y.missing && !y.found ? "missing" : y.found ? "found" : "";
        tr.append(el("td", {class: state, title: `${DATA.years[i]}: ${JSON.stringify(y)}`},
          y.found ? String(y.found) : state ? "·" : ""));
      });
      table.append(tr);
    }
    details.append(table);
    for (const county of counties) {
      for (const f of county.failed) {
        details.append(el("div", {class: "failure"}, `${county.name}: ${f.url} — ${f.reason}`));
      }
    }
    root.append(details);
  }
}

function chart() {
  const svg = document.getElementById("chart");
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const site = DATA.charts[document.getElementById("county").value];
  const publisher = site && site.publishers[document.getElementById("publisher").value];
  if (!publisher) { svg.append(el("svg:text", {x: 20, y: 30}, "no report")); return; }
  const years = Object.keys(publisher.years).map(Number).sort((a, b) => a - b);
  const W = 760, H = 320, L = 50, R = 150, T = 20, B = 40;
  let max = 1;
  for (const y of years) for (const s of DATA.series) max = Math.max(max, publisher.years[y][s.key] || 0);
  const x = i => years.length < 2 ? L + (W - L - R) / 2 : L + i * (W - L - R) / (years.length - 1);
  const y = v => H - B - v / max * (H - T - B);
  svg.append(el("svg:line", {x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#999"}));
  svg.append(el("svg:line", {x1: L, y1: T, x2: L, y2: H - B, stroke: "#999"}));
  svg.append(el("svg:text", {x: 4, y: T + 4}, String(max)));
  svg.append(el("svg:text", {x: 30, y: H - B}, "0"));
  years.forEach((year, i) => svg.append(el("svg:text", {x: x(i) - 14, y: H - B + 18}, String(year))));
  DATA.series.forEach((s, k) => {
    const points = years.map((year, i) => [i, publisher.years[year][s.key]])
      .filter(([, v]) => v !== null && v !== undefined);
    if (!points.length) return;
    svg.append(el("svg:polyline", {class: "series", "data-key": s.key, stroke: COLOURS[k],
      points: points.map(([i, v]) => `${x(i)},${y(v)}`).join(" ")}));
    for (const [i, v] of points) {
      const dot = el("svg:circle", {class: "point", cx: x(i), cy: y(v), r: 3, fill: COLOURS[k]});
      dot.append(el("svg:title", {}, `${s.label} ${years[i]}: ${v}`));
      svg.append(dot);
    }
    svg.append(el("svg:text", {class: "legend", x: W - R + 10, y: T + 16 * k + 10,
      style: `fill:${COLOURS[k]}`}, s.label));
  });
}

function choosers() {
  const county = document.getElementById("county");
  const publisher = document.getElementById("publisher");
  const ids = Object.keys(DATA.charts).sort();
  for (const id of ids) county.append(el("option", {value: id}, `${DATA.charts[id].name} (${id})`));
  // Shown first: the county whose government has the most years of reports.
  const span = id => Math.max(...Object.values(DATA.charts[id].publishers)
    .map(p => Object.keys(p.years).length));
  if (ids.length) county.value = ids.reduce((a, b) => (span(b) > span(a) ? b : a));
  function publishers() {
    while (publisher.firstChild) publisher.removeChild(publisher.firstChild);
    const site = DATA.charts[county.value];
    if (!site) return;
    const keys = Object.keys(site.publishers).sort((a, b) =>
      (site.publishers[b].level === "county_government") - (site.publishers[a].level === "county_government")
      || Object.keys(site.publishers[b].years).length - Object.keys(site.publishers[a].years).length);
    for (const key of keys) publisher.append(el("option", {value: key}, key));
  }
  county.addEventListener("change", () => { publishers(); chart(); });
  publisher.addEventListener("change", chart);
  publishers();
}

heatmap();
provinces();
choosers();
chart();
