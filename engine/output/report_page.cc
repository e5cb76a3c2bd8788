#include "engine/output/report_page.h"

namespace syndex {

absl::string_view ReportPageStyle() {
  return R"css(
:root { --ink: #1d2330; --muted: #5d6677; --line: #dde2ea; --bg: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI",
       Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
       background: var(--bg); }
header { background: #1f2a44; color: #fff; padding: 14px 24px; display: flex;
         align-items: center; gap: 24px; flex-wrap: wrap; }
header h1 { font-size: 19px; margin: 0; font-weight: 600; }
header .summary { color: #c7d0e3; font-size: 13px; }
header .controls { margin-left: auto; display: flex; gap: 10px; }
input#filter { width: 280px; padding: 6px 10px; border-radius: 6px;
               border: 1px solid #8b96ad; font: inherit; }
select#rank { padding: 5px; border-radius: 6px; font: inherit; }
main { display: grid; grid-template-columns: minmax(0, 1fr) 440px; gap: 18px;
       padding: 18px 24px; align-items: start; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px;
        padding: 14px 16px; margin-bottom: 16px;
        box-shadow: 0 1px 2px rgba(20, 30, 50, .05); }
.card h2 { font-size: 16px; margin: 0 0 2px; }
.card h2 .sid { color: var(--muted); font-weight: 400; font-size: 13px; }
.meta { color: var(--muted); font-size: 12.5px; margin-bottom: 6px; }
svg.timeline { display: block; width: 100%; height: auto; }
svg text { font: 11px system-ui, "DejaVu Sans", sans-serif; fill: #333; }
svg .axis { stroke: #b9c1ce; } svg .grid { stroke: #eef1f5; }
svg .outlet { fill: #3c4558; } svg .lagtext { fill: #667; font-size: 10px; }
svg .dot { cursor: pointer; } svg .dot.dim { opacity: .15; }
svg .dot.selected { stroke: #e8590c; stroke-width: 3; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px;
          color: var(--muted); margin-top: 6px; }
.swatch { display: inline-block; width: 10px; height: 10px;
          border-radius: 50%; margin-right: 4px; vertical-align: -1px; }
.undated { font-size: 12.5px; margin-top: 8px; padding: 6px 10px;
           background: #fff8e6; border: 1px solid #f1dfae; border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eef0f4;
         vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.hidden, .card.hidden { display: none; }
a.pick { color: #1c5fb8; cursor: pointer; text-decoration: none;
         white-space: nowrap; }
aside table { font-size: 12px; }
aside .card { overflow-x: auto; }
aside th, aside td { padding: 3px 4px; }
aside td.outlet { max-width: 105px; overflow: hidden; text-overflow: ellipsis;
                  white-space: nowrap; }
aside .meta { overflow-wrap: anywhere; }
a.pick:hover { text-decoration: underline; }
details summary { cursor: pointer; color: var(--muted); font-size: 12.5px;
                  margin-top: 8px; }
aside { position: sticky; top: 12px; }
aside h3 { font-size: 14px; margin: 12px 0 4px; }
aside .title { font-weight: 600; font-size: 15px; }
.rel { display: inline-block; padding: 0 6px; border-radius: 8px;
       font-size: 11.5px; background: #eef1f6; }
.rel.original { background: #dcefdc; } .rel.exact { background: #f7d9d9; }
.rel.syndicated { background: #fbe5c8; } .rel.partial { background: #efe2f7; }
.rel.related { background: #dde9f8; }
footer { color: var(--muted); font-size: 12px; padding: 0 24px 24px; }
)css";
}

absl::string_view ReportPageBody() {
  return R"html(<header>
<h1>syndex story report</h1>
<div class="summary" id="summary"></div>
<div class="controls">
<input id="filter" type="search" placeholder="filter by id, title or outlet">
<select id="rank"><option value="size">rank by articles</option>
<option value="outlets">rank by outlets</option></select>
</div>
</header>
<main>
<section id="stories"></section>
<aside>
<div class="card" id="article"></div>
<div class="card"><h2>Outlets</h2>
<div class="meta">Copies: articles in a copy group of two or more. Originals:
of those, the first to publish the text (the canonical). Lag: how long after
the canonical a copy appeared.</div>
<table id="outlets"></table></div>
</aside>
</main>
<footer>Ringed dots mark each copy group's canonical article; lines and
labels give every copy's lag behind it. Grey dots are articles with a text
of their own. Times are UTC.</footer>
)html";
}

absl::string_view ReportPageScript() {
  return R"js(
"use strict";
const data = JSON.parse(document.getElementById("report-data").textContent);
const SVG = "http://www.w3.org/2000/svg";
const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                 "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#2f4b7c"];
const SINGLE = "#aab2bf";
const byDoc = new Map(data.docs.map((doc, i) => [doc, i]));
const byId = new Map(data.articles.map((a, i) => [a.id, i]));
let selected = -1;

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
function duration(seconds) {
  const m = Math.round(seconds / 60);
  if (m < 60) return m + "m";
  const h = Math.floor(m / 60), d = Math.floor(h / 24);
  if (d > 0) return d + "d" + (h % 24 ? (h % 24) + "h" : "");
  return h + "h" + (m % 60 ? String(m % 60).padStart(2, "0") + "m" : "");
}
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                "Sep", "Oct", "Nov", "Dec"];
function when(t) {
  const d = new Date(t * 1000);
  return MONTHS[d.getUTCMonth()] + " " + d.getUTCDate() + " " +
         String(d.getUTCHours()).padStart(2, "0") + ":" +
         String(d.getUTCMinutes()).padStart(2, "0");
}
function outletName(s) { return s === "" ? "(no source)" : s; }
function matches(a, q) {
  return q === "" || a.id.toLowerCase().includes(q) ||
         a.title.toLowerCase().includes(q) ||
         a.source.toLowerCase().includes(q);
}
function relBadge(r) { return el("span", {class: "rel " + r}, r); }
function pick(i, label) {
  const a = el("a", {class: "pick", "data-article": data.articles[i].id},
               label === undefined ? data.articles[i].id : label);
  a.addEventListener("click", () => select(i));
  return a;
}

// Copy groups of two or more in a story get colours in order of their
// canonical's publication.
function groupColours(story) {
  const colours = new Map();
  for (const i of story.articles) {
    const a = data.articles[i];
    if (a.group_size > 1 && !colours.has(a.group)) {
      colours.set(a.group, PALETTE[colours.size % PALETTE.length]);
    }
  }
  return colours;
}

function timeline(story, colours) {
  const dated = story.articles.slice(0, story.dated).map(i => data.articles[i]);
  const outlets = [];
  for (const a of dated) if (!outlets.includes(a.source)) outlets.push(a.source);
  const left = 175, right = 56, top = 26, row = 22;
  const width = 820, height = top + row * outlets.length + 10;
  let t0 = Math.min(...dated.map(a => a.t)), t1 = Math.max(...dated.map(a => a.t));
  if (t1 - t0 < 3600) { t0 -= 1800; t1 += 1800; }
  const pad = (t1 - t0) * 0.03;
  t0 -= pad; t1 += pad;
  const x = t => left + (t - t0) / (t1 - t0) * (width - left - right);
  const y = s => top + row * outlets.indexOf(s) + row / 2;
  const g = svg("svg", {class: "timeline", viewBox: `0 0 ${width} ${height}`,
                        width: width, height: height,
                        "data-story": data.articles[byDoc.get(story.story)].id});
  const steps = [3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400,
                 7 * 86400, 30 * 86400, 365 * 86400];
  const step = steps.find(s => (t1 - t0) / s <= 6) || steps[steps.length - 1];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    g.appendChild(svg("line", {class: "grid", x1: x(t), x2: x(t), y1: top - 4,
                               y2: height - 6}));
    g.appendChild(svg("text", {x: x(t), y: 12, "text-anchor": "middle"},
                      when(t)));
  }
  outlets.forEach((s, k) => {
    g.appendChild(svg("line", {class: "axis", x1: left, x2: width - right,
                               y1: y(s), y2: y(s), "stroke-dasharray": "1 3"}));
    g.appendChild(svg("text", {class: "outlet", x: left - 8, y: y(s) + 4,
                               "text-anchor": "end"}, outletName(s)));
  });
  // Lag lines first, under the dots.
  for (const a of dated) {
    if (a.lag === null) continue;
    const c = data.articles[byDoc.get(a.group)];
    if (c.t === null) continue;
    g.appendChild(svg("line", {x1: x(c.t), y1: y(c.source), x2: x(a.t),
                               y2: y(a.source), stroke: colours.get(a.group),
                               "stroke-opacity": .45, "stroke-width": 1.5}));
  }
  for (const a of dated) {
    const i = byId.get(a.id);
    const canonical = a.relation === "original" && a.group_size > 1;
    const colour = a.group_size > 1 ? colours.get(a.group) : SINGLE;
    const dot = svg("circle", {class: "dot", cx: x(a.t), cy: y(a.source),
                               r: canonical ? 7 : 5, fill: colour,
                               stroke: canonical ? "#1d2330" : "#fff",
                               "stroke-width": canonical ? 2.5 : 1,
                               "data-article": a.id});
    const lag = a.lag === null ? "" : ", +" + duration(a.lag) + " after " +
        data.articles[byDoc.get(a.group)].id;
    dot.appendChild(svg("title", {}, `${a.id} (${outletName(a.source)}, ` +
                        `${when(a.t)}): ${a.relation}${lag}\n${a.title}`));
    dot.addEventListener("click", () => select(i));
    g.appendChild(dot);
    if (a.lag !== null) {
      g.appendChild(svg("text", {class: "lagtext", x: x(a.t) + 8,
                                 y: y(a.source) + 3.5}, "+" + duration(a.lag)));
    }
  }
  return g;
}

function storyCard(story) {
  const first = data.articles[byDoc.get(story.story)];
  const arts = story.articles.map(i => data.articles[i]);
  const card = el("div", {class: "card story", "data-story": first.id,
                          "data-size": arts.length,
                          "data-outlets": story.outlets});
  const h = el("h2", {}, first.title || first.id);
  h.appendChild(document.createTextNode(" "));
  h.appendChild(el("span", {class: "sid"}, "story " + first.id));
  card.appendChild(h);
  let meta = `${arts.length} article${arts.length === 1 ? "" : "s"} · ` +
      `${story.outlets} outlet${story.outlets === 1 ? "" : "s"} · ` +
      `${story.copy_groups} copy group${story.copy_groups === 1 ? "" : "s"}`;
  if (story.dated > 0) {
    const ts = arts.slice(0, story.dated).map(a => a.t);
    meta += ` · from ${when(Math.min(...ts))} UTC`;
    if (ts.length > 1) meta += `, over ${duration(Math.max(...ts) - Math.min(...ts))}`;
  }
  card.appendChild(el("div", {class: "meta"}, meta));
  const colours = groupColours(story);
  if (story.dated > 0) card.appendChild(timeline(story, colours));
  if (colours.size > 0) {
    const legend = el("div", {class: "legend"});
    for (const [doc, colour] of colours) {
      const c = data.articles[byDoc.get(doc)];
      const item = el("span", {});
      item.appendChild(el("span", {class: "swatch", style: "background:" + colour}));
      item.appendChild(document.createTextNode(
          `copy group of ${c.group_size}, canonical `));
      item.appendChild(pick(byDoc.get(doc)));
      legend.appendChild(item);
    }
    card.appendChild(legend);
  }
  if (story.dated < arts.length) {
    const box = el("div", {class: "undated"});
    box.appendChild(el("b", {}, "Undated (not on the timeline): "));
    story.articles.slice(story.dated).forEach((i, k) => {
      if (k > 0) box.appendChild(document.createTextNode(", "));
      box.appendChild(pick(i));
      box.appendChild(document.createTextNode(
          ` (${outletName(data.articles[i].source)}, ${data.articles[i].relation})`));
    });
    card.appendChild(box);
  }
  const details = el("details", {});
  details.appendChild(el("summary", {}, "articles"));
  const table = el("table", {class: "articles"});
  table.appendChild(header(["id", "outlet", "published (UTC)", "relation",
                            "lag", "title"]));
  for (const i of story.articles) {
    const a = data.articles[i];
    const tr = el("tr", {"data-article": a.id});
    tr.appendChild(el("td")).appendChild(pick(i));
    tr.appendChild(el("td", {}, outletName(a.source)));
    tr.appendChild(el("td", {}, a.t === null ? "undated" : when(a.t)));
    tr.appendChild(el("td")).appendChild(relBadge(a.relation));
    tr.appendChild(el("td", {class: "num"}, a.lag === null ? "" : "+" + duration(a.lag)));
    tr.appendChild(el("td", {}, a.title));
    table.appendChild(tr);
  }
  details.appendChild(table);
  card.appendChild(details);
  return card;
}

function header(names, numeric) {
  const tr = el("tr");
  names.forEach((n, k) => tr.appendChild(
      el("th", numeric && numeric.includes(k) ? {class: "num"} : {}, n)));
  return tr;
}

function outletTable() {
  const table = document.getElementById("outlets");
  table.appendChild(header(["outlet", "articles", "copies", "originals",
                            "median lag"], [1, 2, 3, 4]));
  for (const o of data.outlets) {
    const tr = el("tr", {"data-outlet": o.source});
    tr.appendChild(el("td", {}, outletName(o.source)));
    tr.appendChild(el("td", {class: "num"}, o.articles));
    tr.appendChild(el("td", {class: "num"}, o.copies));
    tr.appendChild(el("td", {class: "num"}, o.originals));
    tr.appendChild(el("td", {class: "num"},
                      o.median_lag === null ? "" : duration(o.median_lag)));
    table.appendChild(tr);
  }
}

function select(i) {
  selected = i;
  const a = data.articles[i];
  const box = document.getElementById("article");
  box.replaceChildren();
  box.appendChild(el("h2", {}, "Article " + a.id));
  box.appendChild(el("div", {class: "title"}, a.title));
  box.appendChild(el("div", {class: "meta"}, `${outletName(a.source)} · ` +
      (a.t === null ? "undated" : when(a.t) + " UTC") +
      (a.url ? " · " + a.url : "")));
  box.appendChild(el("h3", {}, "Copy group"));
  const group = data.articles.filter(b => b.group === a.group);
  const gt = el("table", {id: "copies"});
  gt.appendChild(header(["id", "outlet", "relation", "jaccard", "contain.",
                         "lag"], [3, 4, 5]));
  for (const b of group) {
    const tr = el("tr");
    tr.appendChild(el("td")).appendChild(pick(byId.get(b.id)));
    tr.appendChild(el("td", {class: "outlet", title: b.source}, outletName(b.source)));
    tr.appendChild(el("td")).appendChild(relBadge(b.relation));
    tr.appendChild(el("td", {class: "num"}, b.jaccard.toFixed(2)));
    tr.appendChild(el("td", {class: "num"}, b.containment.toFixed(2)));
    tr.appendChild(el("td", {class: "num"}, b.lag === null ? "" : "+" + duration(b.lag)));
    gt.appendChild(tr);
  }
  box.appendChild(gt);
  box.appendChild(el("h3", {}, "Copies and related articles"));
  const mt = el("table", {id: "matches"});
  mt.appendChild(header(["id", "relation", "jaccard", "contain.", "cosine",
                         "outlet"], [2, 3, 4]));
  for (const m of a.matches) {
    const tr = el("tr");
    const td = tr.appendChild(el("td"));
    if (byId.has(m.id)) td.appendChild(pick(byId.get(m.id))); else td.textContent = m.id;
    tr.appendChild(el("td")).appendChild(relBadge(m.relation));
    tr.appendChild(el("td", {class: "num"}, m.jaccard.toFixed(2)));
    tr.appendChild(el("td", {class: "num"}, m.containment.toFixed(2)));
    tr.appendChild(el("td", {class: "num"}, m.cosine.toFixed(2)));
    tr.appendChild(el("td", {class: "outlet", title: m.source}, outletName(m.source)));
    mt.appendChild(tr);
  }
  if (a.matches.length === 0) box.appendChild(el("div", {class: "meta"}, "none"));
  box.appendChild(mt);
  for (const d of document.querySelectorAll("circle.dot")) {
    d.classList.toggle("selected", d.getAttribute("data-article") === a.id);
  }
}

function applyFilter() {
  const q = document.getElementById("filter").value.trim().toLowerCase();
  for (const card of document.querySelectorAll(".card.story")) {
    let any = false;
    for (const node of card.querySelectorAll("[data-article]")) {
      const a = data.articles[byId.get(node.getAttribute("data-article"))];
      const hit = matches(a, q);
      any = any || hit;
      const tag = node.tagName.toLowerCase();
      if (tag === "tr") node.classList.toggle("hidden", !hit);
      if (tag === "circle") node.classList.toggle("dim", !hit);
    }
    card.classList.toggle("hidden", !any);
  }
  for (const tr of document.querySelectorAll("#outlets tr[data-outlet]")) {
    const s = tr.getAttribute("data-outlet").toLowerCase();
    tr.classList.toggle("hidden", q !== "" && !s.includes(q) &&
        !data.articles.some(a => a.source.toLowerCase() === s && matches(a, q)));
  }
}

function rankStories() {
  const key = document.getElementById("rank").value === "outlets"
      ? ["data-outlets", "data-size"] : ["data-size", "data-outlets"];
  const list = document.getElementById("stories");
  const cards = [...list.querySelectorAll(".card.story")];
  cards.sort((p, q) => (+q.getAttribute(key[0]) - +p.getAttribute(key[0])) ||
                       (+q.getAttribute(key[1]) - +p.getAttribute(key[1])));
  for (const c of cards) list.appendChild(c);
}

document.getElementById("rank").value = data.rank;
const stories = document.getElementById("stories");
for (const s of data.stories) stories.appendChild(storyCard(s));
if (data.stories.length === 0) stories.appendChild(el("div", {class: "card"}, "No stories."));
document.getElementById("summary").textContent =
    `${data.title}: ${data.stories.length} of ${data.index_stories} stories, ` +
    `${data.articles.length} of ${data.index_articles} articles`;
outletTable();
if (data.stories.length > 0) select(byDoc.get(data.stories[0].story));
document.getElementById("filter").addEventListener("input", applyFilter);
document.getElementById("rank").addEventListener("change", rankStories);
)js";
}

}  // namespace syndex
