#!/usr/bin/env node
// Runs queries through the search client (themes/default/static/search.js)
// against a built site's index files, reading them from disk the way the
// browser would fetch them, and prints what it found and what it fetched.
//
//   node tests/search/query.cjs SITE_DIR [--kind KIND] [--no-prefix] [--client FILE] QUERY...
//
// Output: one JSON array, an element per query (each run on a cold client,
// so `fetched` is what one query costs a first-time visitor):
//   {query, count, cut, any, corrections: [{raw, term}], corrected (the
//    query as corrected, or null), results: [{url, title, kind, number, date,
//    snippet, shown, marks}] (the first page), fetched: [{path, bytes, gzip}]}
// `shown` is the part of the snippet the page shows; `marks` are the
// highlighted parts of the title and of `shown`.
// Used by tests/search.rs and benches/search_bench.sh.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { pathToFileURL, fileURLToPath } = require('node:url');

function usage(msg) {
  if (msg) console.error(`query.cjs: ${msg}`);
  console.error('usage: node query.cjs SITE_DIR [--kind KIND] [--no-prefix] [--client FILE] QUERY...');
  process.exit(3);
}

const args = process.argv.slice(2);
let site = null;
let kind = '';
let prefix = true;
let client = path.join(__dirname, '..', '..', 'themes', 'default', 'static', 'search.js');
const queries = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--kind') kind = args[++i] ?? usage('--kind needs a value');
  else if (a === '--no-prefix') prefix = false;
  else if (a === '--client') client = args[++i] ?? usage('--client needs a value');
  else if (site === null) site = a;
  else queries.push(a);
}
if (!site) usage('SITE_DIR is required');
const api = require(path.resolve(client));

const manifestUrl = pathToFileURL(path.resolve(site, 'search', 'manifest.json')).href;

async function one(query) {
  const fetched = [];
  const fetchJson = async (url) => {
    const file = fileURLToPath(url);
    const bytes = await fs.promises.readFile(file);
    fetched.push({
      path: path.relative(site, file).split(path.sep).join('/'),
      bytes: bytes.length,
      gzip: zlib.gzipSync(bytes).length,
    });
    return JSON.parse(bytes.toString('utf8'));
  };
  const manifest = await fetchJson(manifestUrl);
  const index = new api.Index(manifest, manifestUrl, fetchJson);
  const found = await index.search(query, { prefix, kind });
  const page = found.docs.slice(0, api.PAGE).map((d) => d[0]);
  const frags = await index.fragments(page);
  const marks = (text) => api.highlights(text, found.query, prefix).map((r) => text.slice(r[0], r[1]));

  return {
    query,
    count: found.docs.length,
    cut: found.cut,
    any: found.any,
    corrections: found.corrections,
    corrected: found.corrections.length ? api.correctedText(query, found, frags) : null,
    results: frags.map((f) => {
      // The part of the snippet the page shows, and what is marked in it.
      const shown = api.shownSnippet(f, found.query, prefix);
      return {
        url: f.url,
        title: f.title,
        kind: f.kind,
        number: f.number,
        date: f.date,
        snippet: f.snippet,
        shown: shown.text,
        marks: marks(f.title).concat(shown.ranges.map((r) => shown.text.slice(r[0], r[1]))),
      };
    }),
    fetched,
  };
}

(async () => {
  const out = [];
  for (const q of queries) out.push(await one(q));
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
})().catch((e) => {
  console.error(`query.cjs: ${e.stack || e}`);
  process.exit(1);
});
