#!/usr/bin/env node
// plansite search in the browser: the built West Midlands site's search page
// in Debian's headless Chromium (playwright-core, never a downloaded browser).
//
//   node search.mjs --site DIR [--base-path /sub/] [--base-path /other/ ...]
//
// The site is served on 127.0.0.1 (free port) once per --base-path (default
// "/"); at each path:
//   - ?q=004/2014 lists decision 004/2014 first, its number marked;
//   - burglary lists the burglary commitment (reduce-acquisitive-crime), with
//     the word marked;
//   - 3,863 and £3,863 list the Community Safety Funding grant row first;
//   - domestic abuse lists the Domestic Abuse positive outcome rate metric;
//   - the polite live region (role=status) announces "N results for …";
//   - the kind filter keeps one kind, and the query and kind are in the URL;
//   - keyboard only: Tab to the search box, type, Enter, Tab to the first
//     result, Enter opens it;
//   - typing (no Enter) searches and keeps the query in the URL;
//   - an index that cannot be fetched is reported in the status region;
//   - the status line stands at least 12 px clear of the Search button;
//   - burglery shows the results for burglary, says so, and offers "Did you
//     mean burglary?", whose link works by keyboard;
//   - a query nothing matches says "No results", shows help and browse links;
//     every kind in the "Or browse" list is a link;
//   - axe-core (WCAG 2.2 AA tags) finds nothing on the page with results,
//     with the suggestion shown, or with no results;
//   - no uncaught JavaScript error.
// Output: "FAIL <base path> [check] message" lines, then
//   search: N checks passed, M failed
// Exit 0 = all passed, 1 = something failed, 2 = prerequisites missing,
// 3 = usage error.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './a11y.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.PLANSITE_CHROMIUM || '/usr/bin/chromium';
const AXE_PATH = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const PLAYWRIGHT = path.join(HERE, 'node_modules', 'playwright-core', 'package.json');
// As in a11y.mjs: root needs --no-sandbox; nothing may reach another host.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WAIT_MS = 15_000;

function usage(msg) {
  if (msg) console.error(`search: ${msg}`);
  console.error('usage: node search.mjs --site DIR [--base-path /sub/ ...]');
  process.exit(3);
}

const argv = process.argv.slice(2);
let site = null;
const basePaths = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--site') site = argv[++i];
  else if (argv[i] === '--base-path') {
    let bp = argv[++i] || usage('--base-path needs a value');
    if (!bp.startsWith('/')) bp = '/' + bp;
    if (!bp.endsWith('/')) bp += '/';
    basePaths.push(bp);
  } else usage(`unknown argument ${argv[i]}`);
}
if (!site) usage('--site DIR is required');
if (!basePaths.length) basePaths.push('/');
const missing = [];
if (!fs.existsSync(CHROMIUM)) missing.push(`Chromium not found at ${CHROMIUM}`);
for (const p of [AXE_PATH, PLAYWRIGHT]) if (!fs.existsSync(p)) missing.push(`${path.relative(HERE, p)} missing (cd tests/browser && npm ci)`);
if (missing.length) {
  console.error(`search: prerequisites missing:\n  - ${missing.join('\n  - ')}`);
  process.exit(2);
}

let passed = 0;
const failures = [];
function check(where, name, ok, msg) {
  if (ok) passed++;
  else {
    failures.push(`${where} [${name}] ${msg}`);
    console.log(`FAIL ${where} [${name}] ${msg}`);
  }
}

// The results shown: [{href (absolute), title, kind, meta, marks}].
async function results(page) {
  return page.$$eval('#search-results > li', (lis) => lis.map((li) => {
    const a = li.querySelector('a');
    return {
      href: a ? a.href : null,
      title: a ? a.textContent : '',
      kind: (li.querySelector('.search-result-kind') || {}).textContent || '',
      meta: (li.querySelector('.search-result-meta') || {}).textContent || '',
      marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
    };
  }));
}

// Waits until the status region says how many results there are.
async function settled(page) {
  await page.waitForFunction(() => /^(No|At least \d+|\d+) results? for /.test(document.getElementById('search-status').textContent)
    || /^Search is not available/.test(document.getElementById('search-status').textContent), null, { timeout: WAIT_MS });
  return page.$eval('#search-status', (s) => s.textContent);
}

async function query(page, origin, bp, q, kind) {
  const u = new URL(`${origin}${bp}search/`);
  u.searchParams.set('q', q);
  if (kind) u.searchParams.set('kind', kind);
  await page.goto(u.href, { waitUntil: 'load' });
  const status = await settled(page);
  return { status, list: await results(page) };
}

async function axeCheck(page, where, name, axeSource) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((x) => x.target.join(' ')).slice(0, 3).join('; ')})`);
  }, AXE_TAGS);
  check(where, name, violations.length === 0, violations.join(' | '));
}

async function run(context, origin, bp, axeSource) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e.message || e)));
  // The pages carry the theme's Content-Security-Policy (this context does
  // not bypass it): anything it blocks is reported on the console.
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) errors.push(`CSP: ${m.text()}`);
  });
  const root = `${origin}${bp}`;
  const where = bp;

  // Decision number, in three forms.
  for (const q of ['004/2014', '4/2014', '004-2014']) {
    const r = await query(page, origin, bp, q);
    const first = r.list[0] || {};
    check(where, `number ${q}`, first.href === `${root}decisions/004-2014/`,
      `first result for ${q} is ${first.href} (${first.title}), expected ${root}decisions/004-2014/`);
    check(where, `number ${q} shown`, first.meta && first.meta.startsWith('004/2014'), `first result's number/date line is "${first.meta}"`);
  }
  const r004 = await query(page, origin, bp, '004/2014');
  check(where, 'number marked', (r004.list[0]?.marks || []).includes('004/2014'), `marks in the first result: ${JSON.stringify(r004.list[0]?.marks)}`);

  // Live region: polite, and it states the count.
  const live = await page.$eval('#search-status', (s) => ({ role: s.getAttribute('role'), live: s.getAttribute('aria-live'), text: s.textContent }));
  const n = await page.$$eval('#search-results > li', (l) => l.length);
  const m = /^(\d+) results? for “004\/2014”/.exec(live.text);
  check(where, 'live region', live.role === 'status' && live.live === 'polite' && m && Number(m[1]) >= n,
    `status region role=${live.role} aria-live=${live.live} says "${live.text}" with ${n} results shown`);

  // Words.
  const burglary = await query(page, origin, bp, 'burglary');
  const commitment = burglary.list.find((x) => x.href === `${root}commitments/reduce-acquisitive-crime/`);
  check(where, 'burglary', !!commitment, `burglary: the commitment reduce-acquisitive-crime is not on the first page: ${burglary.list.map((x) => x.href).join(', ')}`);
  check(where, 'burglary marked', commitment && commitment.marks.some((x) => /^burglary$/i.test(x)), `marks: ${JSON.stringify(commitment?.marks)}`);
  check(where, 'burglary kind shown', commitment && commitment.kind === 'Commitment', `kind shown: ${commitment?.kind}`);

  // Money.
  for (const q of ['3,863', '£3,863']) {
    const r = await query(page, origin, bp, q);
    check(where, `amount ${q}`, r.list[0]?.href === `${root}grants/2021-22/community-safety-funding/`,
      `first result for ${q}: ${r.list[0]?.href} (${r.list[0]?.title})`);
  }

  // Two words.
  const da = await query(page, origin, bp, 'domestic abuse');
  check(where, 'domestic abuse', da.list.some((x) => x.href === `${root}metrics/domestic-abuse-positive-outcome-rate/`),
    `domestic abuse: the positive outcome rate metric is not on the first page: ${da.list.map((x) => x.href).join(', ')}`);

  // Kind filter, kept in the URL.
  const metrics = await query(page, origin, bp, 'burglary', 'metric');
  check(where, 'kind filter', metrics.list.length > 0 && metrics.list.every((x) => x.kind === 'Metric'),
    `kind=metric shows kinds ${JSON.stringify(metrics.list.map((x) => x.kind))}`);
  check(where, 'kind filter control', (await page.$eval('#search-kind', (s) => s.value)) === 'metric', 'the select does not show the kind from the URL');

  // Typing without Enter searches, and the query goes into the URL.
  await page.goto(`${root}search/`, { waitUntil: 'load' });
  await page.focus('#search-q');
  await page.keyboard.type('burgl');
  const typed = await settled(page);
  const typedUrl = new URL(page.url());
  check(where, 'type-ahead', /^\d+ results? for “burgl”/.test(typed) && typedUrl.searchParams.get('q') === 'burgl',
    `after typing "burgl": status "${typed}", URL ${page.url()}`);
  check(where, 'type-ahead prefix', (await results(page)).some((x) => x.href === `${root}commitments/reduce-acquisitive-crime/`),
    'typing "burgl" does not find the burglary commitment');
  check(where, 'focus kept while typing', await page.evaluate(() => document.activeElement && document.activeElement.id === 'search-q'),
    'focus left the search box while typing');

  // Keyboard only: Tab to the box, type, Enter, Tab to the first result, Enter.
  await page.goto(`${root}search/`, { waitUntil: 'load' });
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement && document.activeElement.id === 'search-q');
  }
  check(where, 'keyboard: reach the box', reached, 'Tab never reached the search box');
  if (reached) {
    await page.keyboard.type('004/2014');
    await page.keyboard.press('Enter');
    await settled(page);
    check(where, 'keyboard: focus after Enter', await page.evaluate(() => document.activeElement && document.activeElement.id === 'search-q'),
      'Enter moved focus away from the search box');
    let onResult = null;
    for (let i = 0; i < 10 && !onResult; i++) {
      await page.keyboard.press('Tab');
      onResult = await page.evaluate(() => {
        const a = document.activeElement;
        return a && a.localName === 'a' && document.getElementById('search-results').contains(a) ? a.href : null;
      });
    }
    check(where, 'keyboard: reach a result', onResult === `${root}decisions/004-2014/`, `Tab reached ${onResult}`);
    if (onResult) {
      await Promise.all([page.waitForURL(onResult, { timeout: WAIT_MS }), page.keyboard.press('Enter')]).catch(() => {});
      check(where, 'keyboard: open the result', page.url() === onResult, `Enter on the result left the page at ${page.url()}`);
    }
  }

  // "Show more" keeps focus on the results.
  const many = await query(page, origin, bp, 'police');
  const more = await page.$('.search-more');
  if (more) {
    await more.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('#search-results > li').length > n, many.list.length, { timeout: WAIT_MS });
    const focus = await page.evaluate(() => {
      const a = document.activeElement;
      return a && document.getElementById('search-results').contains(a) ? [...document.querySelectorAll('#search-results a')].indexOf(a) : -1;
    });
    check(where, 'show more', focus === many.list.length, `after "Show more results", focus is on result link ${focus}, expected ${many.list.length}`);
  } else {
    check(where, 'show more', false, `police: no "Show more results" button with ${many.status}`);
  }

  // A typo: the results for the nearest word, said, with a suggestion
  // link that works by keyboard.
  const typo = await query(page, origin, bp, 'burglery');
  check(where, 'typo corrected', /^\d+ results? for “burglary” \(no record has “burglery”\)/.test(typo.status) && typo.list.length > 0,
    `status for burglery: "${typo.status}" with ${typo.list.length} results`);
  // The status line stands clear of the Search button (and its shadow):
  // it sat touching the button at 320 and 1280 px.
  const gap = await page.evaluate(() => {
    const b = document.querySelector('#search-form button').getBoundingClientRect();
    return document.getElementById('search-status').getBoundingClientRect().top - b.bottom;
  });
  check(where, 'status clear of the button', gap >= 12, `the status line is ${gap.toFixed(1)}px below the Search button, under 12px`);
  const sug = await page.$eval('#search-suggestion', (p) => ({ hidden: p.hidden, text: p.textContent, link: (p.querySelector('a') || {}).textContent }));
  check(where, 'did you mean', !sug.hidden && sug.text === 'Did you mean burglary?' && sug.link === 'burglary', `suggestion: ${JSON.stringify(sug)}`);
  await axeCheck(page, where, 'axe (suggestion shown)', axeSource);
  await page.focus('#search-q');
  let onSuggestion = false;
  for (let i = 0; i < 10 && !onSuggestion; i++) {
    await page.keyboard.press('Tab');
    onSuggestion = await page.evaluate(() => document.activeElement && document.activeElement.closest('#search-suggestion') !== null);
  }
  check(where, 'keyboard: reach the suggestion', onSuggestion, 'Tab never reached the suggestion link');
  if (onSuggestion) {
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('search-q').value === 'burglary', null, { timeout: WAIT_MS }).catch(() => {});
    const st = await settled(page);
    check(where, 'keyboard: follow the suggestion', /^\d+ results? for “burglary”\.$/.test(st)
      && (await page.evaluate(() => document.activeElement && document.activeElement.id === 'search-q')),
    `after Enter on the suggestion: status "${st}", focus on ${await page.evaluate(() => document.activeElement && document.activeElement.id)}`);
  }

  // Nothing found: said, with help and browse links.
  const nothing = await query(page, origin, bp, 'zzqxjvw');
  const helpShown = await page.$eval('#search-help', (h) => !h.hidden && h.querySelectorAll('a').length >= 2);
  check(where, 'no results', /^No results for “zzqxjvw”/.test(nothing.status) && nothing.list.length === 0 && helpShown,
    `status "${nothing.status}", ${nothing.list.length} results, help shown: ${helpShown}`);
  await axeCheck(page, where, 'axe (no results)', axeSource);
  const browse = await page.$$eval('section[aria-labelledby="browse-heading"] li', (lis) => lis.map((li) => !!li.querySelector('a[href]')));
  check(where, 'browse list linked', browse.length > 0 && browse.every(Boolean), `browse items linked: ${JSON.stringify(browse)}`);

  // axe on the page with results shown.
  await query(page, origin, bp, 'burglary');
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((x) => x.target.join(' ')).slice(0, 3).join('; ')})`);
  }, AXE_TAGS);
  check(where, 'axe', violations.length === 0, violations.join(' | '));

  // An index that cannot be fetched is said, in the status region.
  await page.route('**/search/manifest.json', (route) => route.fulfill({ status: 503, body: 'unavailable' }));
  const broken = await query(page, origin, bp, 'burglary');
  check(where, 'fetch error', /^Search is not available/.test(broken.status) && broken.status.includes('503'), `status with the manifest failing: "${broken.status}"`);
  await page.unroute('**/search/manifest.json');

  check(where, 'no JS errors', errors.length === 0, errors.join(' | '));
  check(where, 'page sends a Content-Security-Policy',
    await page.evaluate(() => !!document.querySelector('meta[http-equiv="Content-Security-Policy"]')),
    'the search page has no Content-Security-Policy meta tag');
  await page.close();
}

async function main() {
  const dir = fs.realpathSync(path.resolve(site));
  const axeSource = await fsp.readFile(AXE_PATH, 'utf8');
  const { chromium } = await import('playwright-core');
  const profile = await fsp.mkdtemp(path.join(os.tmpdir(), 'plansite-search-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 }, timeout: 60_000,
  });
  try {
    for (const bp of basePaths) {
      const server = await startServer(dir, bp);
      const origin = `http://127.0.0.1:${server.address().port}`;
      try {
        await run(context, origin, bp, axeSource);
      } catch (e) {
        check(bp, 'error', false, `the run did not complete: ${String(e.message || e).split('\n')[0]}`);
      } finally {
        server.close();
      }
    }
  } finally {
    await context.close().catch(() => {});
    await fsp.rm(profile, { recursive: true, force: true }).catch(() => {});
  }
  console.log(`search: ${passed} checks passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.error(`search: internal error: ${e.stack || e}`);
  process.exit(1);
});
