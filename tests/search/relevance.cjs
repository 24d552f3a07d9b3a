#!/usr/bin/env node
// The relevance test: runs every query of a query file (relevance.tsv)
// through the search client (themes/default/static/search.js) against a
// built site, as the search page runs a submitted query, and checks that
// the expected record is among the first five results (or first, for
// queries marked rank 1).
//
//   node tests/search/relevance.cjs SITE_DIR [--queries FILE] [--client FILE]
//
// Prints each failure, a line per category, then
//   success@1 A/N (x%), success@5 B/N (y%), passed P/N
// Exit 0 when every query passes, 1 when one fails, 3 on a usage error.
// Used by tests/search.rs.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL, fileURLToPath } = require('node:url');

function usage(msg) {
  if (msg) console.error(`relevance.cjs: ${msg}`);
  console.error('usage: node relevance.cjs SITE_DIR [--queries FILE] [--client FILE]');
  process.exit(3);
}

const args = process.argv.slice(2);
let site = null;
let queriesFile = path.join(__dirname, 'relevance.tsv');
let client = path.join(__dirname, '..', '..', 'themes', 'default', 'static', 'search.js');
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--queries') queriesFile = args[++i] ?? usage('--queries needs a value');
  else if (args[i] === '--client') client = args[++i] ?? usage('--client needs a value');
  else if (site === null) site = args[i];
  else usage(`unexpected argument ${args[i]}`);
}
if (!site) usage('SITE_DIR is required');
const api = require(path.resolve(client));

const cases = [];
fs.readFileSync(queriesFile, 'utf8').split('\n').forEach((line, i) => {
  if (!line.trim() || line.startsWith('#')) return;
  const cols = line.split('\t');
  if (cols.length !== 4 || !['1', '5'].includes(cols[3])) {
    console.error(`${queriesFile}:${i + 1}: expected 4 tab-separated columns (category, query, URL, rank 1 or 5)`);
    process.exit(3);
  }
  cases.push({ line: i + 1, category: cols[0], query: cols[1], want: cols[2], rank: Number(cols[3]) });
});

const manifestUrl = pathToFileURL(path.resolve(site, 'search', 'manifest.json')).href;
const fetchJson = async (url) => JSON.parse(await fs.promises.readFile(fileURLToPath(url), 'utf8'));

(async () => {
  const index = new api.Index(await fetchJson(manifestUrl), manifestUrl, fetchJson);
  const byCategory = new Map();
  let at1 = 0;
  let at5 = 0;
  let passed = 0;
  for (const c of cases) {
    const found = await index.search(c.query, { prefix: true });
    const top = await index.fragments(found.docs.slice(0, 5).map((d) => d[0]));
    const urls = top.map((f) => f.url);
    const pos = urls.indexOf(c.want) + 1;
    if (pos === 1) at1++;
    if (pos >= 1) at5++;
    const ok = pos >= 1 && pos <= c.rank;
    if (ok) passed++;
    else {
      const via = found.corrections && found.corrections.length ? ` (corrected to ${found.corrections.map((x) => x.term).join(", ")})` : "";
      console.log(`FAIL ${c.category} “${c.query}”${via}: ${c.want} ${pos ? `at ${pos}` : 'not in the top five'}, ` +
        `wanted ${c.rank === 1 ? 'first' : 'top five'}; got ${urls.join(', ') || 'nothing'}`);
    }
    const k = byCategory.get(c.category) || { n: 0, ok: 0 };
    k.n++;
    if (ok) k.ok++;
    byCategory.set(c.category, k);
  }
  for (const [k, v] of byCategory) console.log(`  ${k.padEnd(10)} ${v.ok}/${v.n}`);
  const pct = (x) => `${((100 * x) / cases.length).toFixed(0)}%`;
  console.log(`success@1 ${at1}/${cases.length} (${pct(at1)}), success@5 ${at5}/${cases.length} (${pct(at5)}), passed ${passed}/${cases.length}`);
  process.exit(passed === cases.length ? 0 : 1);
})().catch((e) => {
  console.error(`relevance.cjs: ${e.stack || e}`);
  process.exit(1);
});
