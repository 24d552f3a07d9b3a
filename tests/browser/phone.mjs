#!/usr/bin/env node
// plansite on a phone: every table and chart of a built site at 320 px wide,
// in Debian's headless Chromium (playwright-core, never a downloaded browser).
//
//   node phone.mjs --site DIR [--site DIR2 ...]
//
// Each site is served on 127.0.0.1 (free port). Every page holding a <table>
// or a chart (<svg class="chart ...">) is opened in a 320x800 viewport, and:
//   - every cell (th, td) that has text shows it inside the viewport
//     (0 <= left, right <= 320) and visibly: rendered, not clipped away by a
//     scrolling table wrapper, not transparent; a column header that is
//     visually hidden counts only when every data cell of its table that has
//     text (a footer's row header aside) carries a data-label naming its
//     column instead;
//   - the page itself does not scroll sideways;
//   - every piece of text in a shown chart renders at 12 px or more:
//     its computed font size times the SVG's scale (rendered width over the
//     viewBox width).
// The same pages are then opened at 1280 px (a desktop), where a table is laid
// out in columns, and:
//   - no short cell of a table's body or footer (three words or fewer, up to
//     30 characters: a funder, an amount, a period) breaks over two lines,
//     as "Ministry of / Justice" did when an unwrappable note in the amount
//     column squeezed the funder column.
// Output: "FAIL <page> [check] message" lines, then
//   phone: N passed, M failed
// counting pages at each width. Exit 0 = all passed, 1 = something failed, 2 = Chromium or
// playwright-core missing, 3 = usage error.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './a11y.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.PLANSITE_CHROMIUM || '/usr/bin/chromium';
const PLAYWRIGHT = path.join(HERE, 'node_modules', 'playwright-core', 'package.json');
// As in a11y.mjs: root needs --no-sandbox; nothing may reach another host.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];
const WIDTH = 320;
const DESKTOP_WIDTH = 1280;
const MIN_CHART_TEXT_PX = 12;

function usage(msg) {
  if (msg) console.error(`phone: ${msg}`);
  console.error('usage: node phone.mjs --site DIR [--site DIR2 ...]');
  process.exit(3);
}

const sites = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--site' && argv[i + 1]) sites.push(argv[++i]);
  else usage(`unknown argument ${argv[i]}`);
}
if (sites.length === 0) usage('at least one --site DIR is required');
if (!fs.existsSync(CHROMIUM) || !fs.existsSync(PLAYWRIGHT)) {
  console.error(`phone: CANNOT RUN: needs Chromium at ${CHROMIUM} and playwright-core (cd tests/browser && npm ci)`);
  process.exit(2);
}

async function pagesWithTablesOrCharts(root) {
  const out = [];
  async function walk(dir) {
    const entries = await fsp.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.html')) {
        const html = await fsp.readFile(p, 'utf8');
        if (/<table\b|<svg class="chart\b/.test(html)) out.push(path.relative(root, p));
      }
    }
  }
  await walk(root);
  return out;
}

// Runs in the page: what a phone reader cannot see.
function problemsInPage({ width, minChartPx }) {
  const problems = [];
  const short = (s) => s.replace(/\s+/g, ' ').trim().slice(0, 60);
  const shown = (el) => {
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const cs = getComputedStyle(n);
      if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) return false;
    }
    return true;
  };
  const visuallyHidden = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return true;
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const cs = getComputedStyle(n);
      if (cs.clipPath && cs.clipPath !== 'none') return true;
      if (cs.clip && cs.clip !== 'auto') return true;
    }
    return false;
  };
  // A cell scrolled out of its wrapper is not visible even when on screen.
  const clippedByAncestor = (el, r) => {
    for (let n = el.parentElement; n && n !== document.body; n = n.parentElement) {
      const cs = getComputedStyle(n);
      if (cs.overflowX !== 'visible') {
        const b = n.getBoundingClientRect();
        if (r.left < b.left - 0.5 || r.right > b.right + 0.5) return true;
      }
    }
    return false;
  };
  const doc = document.documentElement;
  if (doc.scrollWidth > width) problems.push(['reflow', `the page is ${doc.scrollWidth}px wide`]);
  document.querySelectorAll('table').forEach((table, t) => {
    if (!shown(table)) return;
    const headers = [...table.querySelectorAll('thead th')];
    const headersHidden = headers.length > 0 && headers.every(visuallyHidden);
    for (const cell of table.querySelectorAll('th, td')) {
      const text = cell.innerText.trim();
      if (!text) continue;
      if (cell.closest('thead')) {
        if (headersHidden) continue;
      } else if (headersHidden && !cell.dataset.label && (cell.localName === 'td' || cell.closest('tbody'))) {
        problems.push(['label', `table ${t + 1}: the column headers are hidden but the cell “${short(text)}” has no data-label`]);
      }
      const r = cell.getBoundingClientRect();
      if (!shown(cell) || visuallyHidden(cell)) {
        problems.push(['hidden', `table ${t + 1}: the cell “${short(text)}” is not shown`]);
      } else if (r.left < -0.5 || r.right > width + 0.5) {
        problems.push(['offscreen', `table ${t + 1}: the cell “${short(text)}” spans ${Math.round(r.left)}–${Math.round(r.right)}px, outside 0–${width}px`]);
      } else if (clippedByAncestor(cell, r)) {
        problems.push(['scrolled', `table ${t + 1}: the cell “${short(text)}” is scrolled out of view inside its wrapper`]);
      }
    }
  });
  let charts = 0;
  for (const svg of document.querySelectorAll('svg.chart')) {
    if (!shown(svg)) continue;
    charts += 1;
    const box = svg.viewBox.baseVal;
    const r = svg.getBoundingClientRect();
    if (!box || !box.width) {
      problems.push(['chart', 'a chart has no viewBox']);
      continue;
    }
    if (r.right > width + 0.5) problems.push(['chart', `a chart reaches ${Math.round(r.right)}px`]);
    const scale = r.width / box.width;
    for (const text of svg.querySelectorAll('text')) {
      const px = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (px < minChartPx - 0.01) {
        problems.push(['chart-text', `chart text “${short(text.textContent)}” renders at ${px.toFixed(1)}px, under ${minChartPx}px`]);
      }
    }
  }
  if (document.querySelector('svg.chart') && charts === 0) {
    problems.push(['chart', 'the page has a chart but none is shown at this width']);
  }
  return problems;
}

// Runs in the page at desktop width: short cells split over lines.
function wrappedShortCells() {
  const problems = [];
  document.querySelectorAll('table').forEach((table, t) => {
    for (const cell of table.querySelectorAll('tbody th, tbody td, tfoot th, tfoot td')) {
      const text = cell.innerText.replace(/\s+/g, ' ').trim();
      if (!text || text.split(' ').length > 3 || text.length > 30) continue;
      const range = document.createRange();
      range.selectNodeContents(cell);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) {
        const w = Math.round(cell.getBoundingClientRect().width);
        problems.push(['wrap', `table ${t + 1}: the cell “${text}” breaks over ${lines.size} lines in a ${w}px column`]);
      }
    }
  });
  return problems;
}

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
let passed = 0;
let failed = 0;
try {
  for (const dir of sites) {
    const root = path.resolve(dir);
    const server = await startServer(root, '/');
    const origin = `http://127.0.0.1:${server.address().port}`;
    const files = await pagesWithTablesOrCharts(root);
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 800 } });
    const page = await context.newPage();
    for (const file of files) {
      const rel = file.split(path.sep).join('/');
      const urlPath = rel === 'index.html' ? '' : rel.replace(/index\.html$/, '');
      const label = `${path.basename(root)}/${urlPath}`;
      await page.goto(`${origin}/${urlPath}`, { waitUntil: 'load' });
      const problems = await page.evaluate(problemsInPage, { width: WIDTH, minChartPx: MIN_CHART_TEXT_PX });
      for (const [check, msg] of problems.slice(0, 20)) console.log(`FAIL ${label} [${check}] ${msg}`);
      if (problems.length > 20) console.log(`FAIL ${label} … and ${problems.length - 20} more`);
      if (problems.length) failed += 1;
      else passed += 1;
    }
    await context.close();
    const desktop = await browser.newContext({ viewport: { width: DESKTOP_WIDTH, height: 800 } });
    const wide = await desktop.newPage();
    for (const file of files) {
      const rel = file.split(path.sep).join('/');
      const urlPath = rel === 'index.html' ? '' : rel.replace(/index\.html$/, '');
      const label = `${path.basename(root)}/${urlPath} at ${DESKTOP_WIDTH}px`;
      await wide.goto(`${origin}/${urlPath}`, { waitUntil: 'load' });
      const problems = await wide.evaluate(wrappedShortCells);
      for (const [check, msg] of problems.slice(0, 20)) console.log(`FAIL ${label} [${check}] ${msg}`);
      if (problems.length) failed += 1;
      else passed += 1;
    }
    await desktop.close();
    console.log(`phone: ${root}: ${files.length} pages with tables or charts checked at ${WIDTH}px and ${DESKTOP_WIDTH}px`);
    server.close();
  }
} finally {
  await browser.close();
}
console.log(`phone: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
