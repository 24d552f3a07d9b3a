#!/usr/bin/env node
// plansite browser test suite: accessibility and HTML validity of a built site.
//
//   node a11y.mjs --site DIR [--site DIR2 ...] [--base-path /sub/] [--concurrency N]
//
// A --base-path (the path the site is published under, from its base URL)
// applies to the --site arguments after it; a site with none before it takes
// the last one given, else "/".
//
// For every site directory it starts a small static server on 127.0.0.1 (free
// port), finds every .html file, and for each page that is not a redirect page
// (<meta http-equiv="refresh">) checks, in Debian's headless Chromium driven by
// playwright-core (never a downloaded browser):
//   - axe-core, tags wcag2a wcag2aa wcag21a wcag21aa wcag22aa: every violation fails;
//   - the first Tab from a fresh load focuses a skip link to <main>, and Enter
//     on it moves focus onto/into <main> (so <main> needs tabindex="-1");
//   - exactly one h1, and heading levels never skip downward (h2 -> h4);
//   - reflow: at a 320x800 viewport, documentElement.scrollWidth <= 320;
//   - text spacing (WCAG 1.4.12): with line height 1.5, paragraph spacing 2em,
//     letter spacing 0.12em and word spacing 0.16em forced on every element,
//     the page still fits 320 px and no text is clipped by overflow:hidden;
//   - dark mode: with prefers-color-scheme: dark, axe's contrast rules pass;
//   - the page loads with HTTP 200, and none of its same-site resources fail
//     to load (a missing stylesheet or script is reported, not ignored);
//   - no uncaught JavaScript error.
// Then it runs the Nu HTML Checker (vnu-jar, --errors-only) on every HTML file,
// redirect pages included; every error fails the page it is in.
//
// Output: one line per failure ("FAIL <page> [check] ..."), a line saying how
// many pages were checked and how many HTML files validated, and last
//   a11y: N passed, M failed
// counting pages (every HTML file; a page fails if any check fails on it).
// Exit 0 = all passed, 1 = something failed, 2 = Chromium, Java or the npm
// packages are missing (install hint printed), 3 = usage error.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NODE_MODULES = path.join(HERE, 'node_modules');
const AXE_PATH = path.join(NODE_MODULES, 'axe-core', 'axe.min.js');
const PLAYWRIGHT_PKG = path.join(NODE_MODULES, 'playwright-core', 'package.json');
const VNU_JAR = path.join(NODE_MODULES, 'vnu-jar', 'build', 'dist', 'vnu.jar');
const CHROMIUM = process.env.PLANSITE_CHROMIUM || '/usr/bin/chromium';
const JAVA = process.env.PLANSITE_JAVA || 'java';

// As root on this machine Chromium needs --no-sandbox; without the
// background-networking flags it tries to reach Google's hosts at every start,
// which the closed network refuses. --host-resolver-rules makes any host other
// than the local test server fail at once, so a page that depends on a
// third-party resource is reported instead of hanging.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const REFLOW_WIDTH = 320;
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: REFLOW_WIDTH, height: 800 };
const NAV_TIMEOUT_MS = 30_000;
const MAX_NODES_PER_RULE = 10; // per page; the rest are counted, not listed
const VNU_BATCH = 1000; // files per vnu invocation (argv length)

const INSTALL_HINT = [
  'Install them (Debian, as root), then the pinned npm packages:',
  '    apt-get update && apt-get install -y chromium default-jre-headless',
  '    cd tests/browser && npm ci',
  '(npm ci installs playwright-core, axe-core and vnu-jar from package-lock.json;',
  ' nothing downloads a browser: Debian\'s /usr/bin/chromium is used.)',
].join('\n');

// ---------------------------------------------------------------- arguments

function usage(msg) {
  if (msg) console.error(`a11y: ${msg}`);
  console.error('usage: node a11y.mjs [--base-path /sub/] --site DIR [[--base-path /sub2/] --site DIR2 ...] [--concurrency N]\n  (a --base-path applies to the --site arguments after it; a site with none before it takes the last one given, else /)');
  process.exit(3);
}

function normaliseBasePath(bp) {
  bp = bp.trim();
  if (!bp.startsWith('/')) bp = '/' + bp;
  if (!bp.endsWith('/')) bp += '/';
  return bp;
}

// A --base-path applies to the --site arguments after it; a site with no
// --base-path before it takes the last one given (so `--site DIR --base-path
// /sub/` works), or "/".
function parseArgs(argv) {
  const opts = { sites: [], concurrency: 0 };
  let current = null;
  let last = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (name === '--site') opts.sites.push({ dir: value(), basePath: current });
    else if (name === '--base-path') current = last = normaliseBasePath(value());
    else if (name === '--concurrency') opts.concurrency = Number(value());
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (opts.sites.length === 0) usage('at least one --site DIR is required');
  for (const s of opts.sites) s.basePath ??= last ?? '/';
  if (!opts.concurrency) {
    const env = Number(process.env.A11Y_CONCURRENCY);
    opts.concurrency = env > 0 ? env : Math.min(4, Math.max(2, (os.availableParallelism?.() ?? os.cpus().length) + 1));
  }
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) usage('--concurrency must be a positive integer');
  return opts;
}

// ------------------------------------------------------------ prerequisites

function isExecutable(p) {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function checkPrerequisites() {
  const missing = [];
  if (!isExecutable(CHROMIUM)) missing.push(`Chromium not found at ${CHROMIUM} (Debian package "chromium")`);
  const java = spawnSync(JAVA, ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) missing.push(`java not found on PATH (Debian package "default-jre-headless"; needed by vnu-jar)`);
  for (const [p, what] of [[PLAYWRIGHT_PKG, 'playwright-core'], [AXE_PATH, 'axe-core'], [VNU_JAR, 'vnu-jar']]) {
    if (!fs.existsSync(p)) missing.push(`npm package ${what} not installed (${path.relative(process.cwd(), p) || p} missing)`);
  }
  if (missing.length === 0) return;
  const bar = '='.repeat(76);
  console.error(bar);
  console.error('a11y: CANNOT RUN THE BROWSER TESTS: missing prerequisites');
  for (const m of missing) console.error(`  - ${m}`);
  console.error(INSTALL_HINT);
  console.error(bar);
  process.exit(2);
}

// ------------------------------------------------------------------- files

async function listHtmlFiles(root) {
  const out = [];
  async function walk(dir) {
    const entries = await fsp.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && /\.html?$/i.test(e.name)) out.push(p);
    }
  }
  await walk(root);
  return out;
}

const REDIRECT_RE = /<meta\b[^>]*\bhttp-equiv\s*=\s*["']?\s*refresh\b/i;

function urlPathFor(site, file) {
  const rel = path.relative(site.root, file).split(path.sep).map(encodeURIComponent).join('/');
  const p = rel === 'index.html' ? '' : rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel;
  return site.basePath + p;
}

// ------------------------------------------------------------ static server

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8',
  '.xsl': 'application/xslt+xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.zip': 'application/zip',
};

function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

export function startServer(root, basePath = '/') {
  const send = (res, status, headers, body) => {
    res.writeHead(status, { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
    res.end(body);
  };
  const notFound = async (req, res) => {
    let body = 'Not found\n';
    let type = 'text/plain; charset=utf-8';
    try {
      body = await fsp.readFile(path.join(root, '404.html'));
      type = CONTENT_TYPES['.html'];
    } catch { /* no 404 page in the site */ }
    send(res, 404, { 'Content-Type': type }, req.method === 'HEAD' ? undefined : body);
  };
  const server = http.createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(res, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, 'Method not allowed\n');
      }
      const url = new URL(req.url, 'http://127.0.0.1');
      let pathname;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        return send(res, 400, { 'Content-Type': 'text/plain' }, 'Bad request\n');
      }
      if (pathname + '/' === basePath) return send(res, 301, { Location: basePath + url.search }, '');
      if (!pathname.startsWith(basePath) || pathname.includes('\0')) return notFound(req, res);
      const abs = path.resolve(root, '.' + path.sep + pathname.slice(basePath.length));
      if (abs !== root && !abs.startsWith(root + path.sep)) return notFound(req, res);
      let file = abs;
      let st;
      try {
        st = await fsp.stat(file);
        if (st.isDirectory()) {
          if (!url.pathname.endsWith('/')) {
            return send(res, 301, { Location: url.pathname + '/' + url.search }, '');
          }
          file = path.join(abs, 'index.html');
          st = await fsp.stat(file);
        }
      } catch {
        return notFound(req, res);
      }
      if (!st.isFile()) return notFound(req, res);
      res.writeHead(200, {
        'Content-Type': contentType(file),
        'Content-Length': st.size,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
    } catch (e) {
      if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, `Server error: ${e.message}\n`);
      else res.destroy();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ------------------------------------------------------- in-page functions
// These run inside the page (page.evaluate), so they must be self-contained.

function describeElementInPage() {
  // Installed as window.__a11yDescribe for the other in-page helpers.
  window.__a11yDescribe = (el) => {
    if (!el) return '(nothing)';
    if (el === document.body) return '<body> (nothing focused)';
    if (el === document.documentElement) return '<html>';
    let s = el.localName;
    if (el.id) s += '#' + el.id;
    for (const c of [...el.classList].slice(0, 3)) s += '.' + c;
    const href = el.getAttribute && el.getAttribute('href');
    if (href !== null && href !== undefined) s += `[href="${href}"]`;
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return text ? `${s} "${text}"` : s;
  };
}

function firstTabTargetInPage() {
  const a = document.activeElement;
  const main = document.querySelector('main') || document.querySelector('[role="main"]');
  let isSkip = false;
  if (a && a.localName === 'a' && a.hasAttribute('href')) {
    const raw = a.getAttribute('href').trim();
    if (raw === '#main') isSkip = true;
    else if (main && main.id) {
      try {
        const u = new URL(a.href);
        const here = new URL(location.href);
        const frag = decodeURIComponent(u.hash.slice(1));
        isSkip = u.origin === here.origin && u.pathname === here.pathname && u.search === here.search && frag === main.id;
      } catch { /* not a URL */ }
    }
  }
  return { isSkip, focused: window.__a11yDescribe(a), hasMain: !!main, mainId: main ? main.id : '' };
}

function focusInMainInPage() {
  const main = document.querySelector('main') || document.querySelector('[role="main"]');
  const a = document.activeElement;
  return !!(main && a && (a === main || main.contains(a)));
}

function headingsInPage() {
  const out = [];
  for (const el of document.querySelectorAll('h1,h2,h3,h4,h5,h6,[role="heading"]')) {
    const role = (el.getAttribute('role') || '').trim().toLowerCase();
    const isNative = /^h[1-6]$/.test(el.localName);
    if (role && role !== 'heading') continue; // role=presentation/none etc.
    if (el.closest('[aria-hidden="true"], [hidden], template')) continue;
    // Hidden by CSS (display:none, visibility:hidden) is not read either, but
    // keep headings that are merely inside a closed <details>.
    const visible = typeof el.checkVisibility === 'function'
      ? el.checkVisibility({ visibilityProperty: true })
      : el.getClientRects().length > 0;
    if (!visible && !el.closest('details')) continue;
    let level = isNative && !role ? Number(el.localName[1]) : 2;
    const aria = parseInt(el.getAttribute('aria-level') || '', 10);
    if (aria >= 1) level = aria;
    out.push({ level, text: (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60) });
  }
  return out;
}

function reflowInPage(width) {
  return new Promise((resolve) => {
    requestAnimationFrame(() => requestAnimationFrame(() => {
      const sw = document.documentElement.scrollWidth;
      const culprits = [];
      if (sw > width) {
        // Elements that stick out past the viewport, deepest first: those are
        // usually the cause, their ancestors only carry the overflow.
        const over = [...document.body.querySelectorAll('*')].filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.right > width + 0.5;
        });
        const leaves = over.filter((el) => !over.some((o) => o !== el && el.contains(o)));
        for (const el of leaves.slice(0, 3)) {
          culprits.push(`${window.__a11yDescribe(el)} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`);
        }
      }
      resolve({ scrollWidth: sw, culprits });
    }));
  });
}

// ------------------------------------------------------------- page checks

function flattenTarget(target) {
  return (target || []).map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' ');
}

// `sink.events` collects what the page's listeners (JS errors, failed
// requests) report while this task runs; `ruleCounts` tallies axe rules.
async function checkPage(page, task, axeSource, ruleCounts, sink) {
  const fails = []; // { check, msg }
  const fail = (check, msg) => fails.push({ check, msg });
  sink.events = [];

  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(DESKTOP);
  const resp = await page.goto(task.url, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
  if (!resp) fail('http', 'no response');
  else if (resp.status() !== 200) fail('http', `HTTP ${resp.status()} for ${task.url}`);

  await page.evaluate(describeElementInPage);

  // Keyboard: the first Tab from a fresh load lands on the skip link, Enter
  // on it moves focus to <main>.
  await page.keyboard.press('Tab');
  const first = await page.evaluate(firstTabTargetInPage);
  if (!first.hasMain) fail('landmark', 'no <main> element');
  if (!first.isSkip) {
    fail('skip-link', `first Tab focused ${first.focused}; expected a skip link (<a href="#main">) to <main>` +
      `${first.mainId ? ` (id "${first.mainId}")` : ''} as the first focusable element`);
  } else {
    await page.keyboard.press('Enter');
    const moved = await page.waitForFunction(focusInMainInPage, null, { timeout: 10000, polling: 50 })
      .then(() => true, () => false);
    if (!moved) {
      const now = await page.evaluate(() => window.__a11yDescribe(document.activeElement));
      fail('skip-link', `Enter on the skip link left focus on ${now}, not on/in <main> ` +
        '(the target needs to be focusable: <main id="main" tabindex="-1">)');
    }
  }

  // axe-core. page.evaluate(string) goes through the DevTools protocol, so a
  // Content-Security-Policy on the page does not block it.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  }, AXE_TAGS);
  for (const v of violations) {
    ruleCounts.set(v.id, (ruleCounts.get(v.id) || 0) + 1);
    for (const n of v.nodes.slice(0, MAX_NODES_PER_RULE)) {
      fail(`axe ${v.id}`, `(${v.impact}) ${flattenTarget(n.target)}: ${v.help} <${v.helpUrl}>`);
    }
    if (v.nodes.length > MAX_NODES_PER_RULE) {
      fail(`axe ${v.id}`, `(${v.impact}) ... and ${v.nodes.length - MAX_NODES_PER_RULE} more elements`);
    }
  }

  // Headings: one h1, no skipped levels going down.
  const heads = await page.evaluate(headingsInPage);
  const h1s = heads.filter((h) => h.level === 1);
  if (h1s.length !== 1) {
    fail('headings', `${h1s.length} h1 elements, expected exactly one` +
      (h1s.length ? `: ${h1s.map((h) => JSON.stringify(h.text)).join(', ')}` : ''));
  }
  for (let i = 1; i < heads.length; i++) {
    if (heads[i].level > heads[i - 1].level + 1) {
      fail('headings', `heading level skips from h${heads[i - 1].level} ${JSON.stringify(heads[i - 1].text)} ` +
        `to h${heads[i].level} ${JSON.stringify(heads[i].text)}`);
    }
  }

  // Reflow at 320 CSS px (WCAG 1.4.10).
  await page.setViewportSize(MOBILE);
  const reflow = await page.evaluate(reflowInPage, REFLOW_WIDTH);
  if (reflow.scrollWidth > REFLOW_WIDTH) {
    fail('reflow', `at ${REFLOW_WIDTH}px wide the page scrolls horizontally: scrollWidth ${reflow.scrollWidth}px` +
      (reflow.culprits.length ? `; overflowing: ${reflow.culprits.join('; ')}` : ''));
  }

  // Text spacing (WCAG 1.4.12) at 320 px: nothing overflows or is clipped.
  await page.addStyleTag({ content: TEXT_SPACING_CSS });
  const spaced = await page.evaluate(reflowInPage, REFLOW_WIDTH);
  if (spaced.scrollWidth > REFLOW_WIDTH) {
    fail('text-spacing', `with WCAG text spacing at ${REFLOW_WIDTH}px the page scrolls horizontally: ` +
      `scrollWidth ${spaced.scrollWidth}px` + (spaced.culprits.length ? `; overflowing: ${spaced.culprits.join('; ')}` : ''));
  }
  for (const c of await page.evaluate(clippedTextInPage)) {
    fail('text-spacing', `with WCAG text spacing, text is clipped in ${c}`);
  }

  // Dark mode: the contrast rules again under prefers-color-scheme: dark.
  await page.setViewportSize(DESKTOP);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(task.url, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.evaluate(axeSource);
  const dark = await page.evaluate(async (rules) => {
    const r = await window.axe.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, why: (n.any[0] || {}).message || '' })) }));
  }, DARK_RULES);
  for (const v of dark) {
    ruleCounts.set(`${v.id} (dark)`, (ruleCounts.get(`${v.id} (dark)`) || 0) + 1);
    for (const n of v.nodes.slice(0, MAX_NODES_PER_RULE)) {
      fail(`axe ${v.id} (dark mode)`, `${flattenTarget(n.target)}: ${v.help}: ${n.why}`);
    }
  }

  for (const e of sink.events) fail(e.check, e.msg);
  sink.events = null;
  return fails;
}

// The WCAG 1.4.12 text-spacing values, forced on every element.
const TEXT_SPACING_CSS = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }`;

const DARK_RULES = ['color-contrast', 'link-in-text-block'];

// Elements that clip their own text (overflow hidden or clip, content larger
// than the box). Visually hidden text (a 1px box, the usual clip pattern) is
// meant to be clipped and is skipped.
function clippedTextInPage() {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const cs = getComputedStyle(el);
    const clips = /hidden|clip/.test(cs.overflowX + cs.overflowY);
    if (!clips || el.clientWidth <= 1 || el.clientHeight <= 1) continue;
    if (!(el.textContent || '').trim()) continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
      out.push(window.__a11yDescribe(el));
      if (out.length >= 3) break;
    }
  }
  return out;
}

// --------------------------------------------------------------- vnu checks

function runVnuBatch(files) {
  return new Promise((resolve) => {
    const args = ['-Xss4m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar', VNU_JAR,
      '--errors-only', '--format', 'json', ...files];
    const child = spawn(JAVA, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', (e) => resolve({ fatal: `could not run java: ${e.message}`, messages: [] }));
    child.on('close', (code) => {
      // vnu writes its JSON report to stderr.
      const text = (err.trim().startsWith('{') ? err : out).trim();
      try {
        const json = JSON.parse(text);
        resolve({ messages: json.messages || [], code });
      } catch {
        resolve({ fatal: `vnu exited ${code} without a JSON report:\n${(err + out).slice(0, 4000)}`, messages: [] });
      }
    });
  });
}

async function runVnu(files) {
  const started = Date.now();
  const messages = [];
  const fatal = [];
  for (let i = 0; i < files.length; i += VNU_BATCH) {
    const r = await runVnuBatch(files.slice(i, i + VNU_BATCH));
    if (r.fatal) fatal.push(r.fatal);
    messages.push(...r.messages);
  }
  const errors = messages
    .filter((m) => m.type === 'error' || m.type === 'non-document-error')
    .map((m) => {
      let file = null;
      try { file = fileURLToPath(new URL(m.url)); } catch { /* leave null */ }
      return { file, url: m.url, line: m.lastLine ?? m.firstLine, col: m.firstColumn ?? m.lastColumn, message: m.message, type: m.type };
    });
  return { errors, fatal, ms: Date.now() - started };
}

// -------------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  checkPrerequisites();
  const started = Date.now();

  // Sites, pages and servers.
  const sites = [];
  for (const [i, { dir, basePath }] of opts.sites.entries()) {
    const root = path.resolve(dir);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) usage(`--site ${dir}: not a directory`);
    sites.push({ index: i + 1, dir, root: fs.realpathSync(root), basePath });
  }
  const pages = []; // every HTML file: { site, file, label, redirect, url, fails: [] }
  for (const site of sites) {
    site.server = await startServer(site.root, site.basePath);
    site.origin = `http://127.0.0.1:${site.server.address().port}`;
    const files = await listHtmlFiles(site.root);
    site.count = files.length;
    for (const file of files) {
      const head = await fsp.readFile(file, 'utf8');
      const upath = urlPathFor(site, file);
      pages.push({
        site,
        file,
        label: opts.sites.length > 1 ? `site${site.index}:${upath}` : upath,
        redirect: REDIRECT_RE.test(head),
        url: site.origin + upath,
        fails: [],
      });
    }
  }
  if (opts.sites.length > 1) {
    for (const s of sites) console.log(`site${s.index} = ${s.dir} (${s.count} HTML files) at ${s.origin}${s.basePath}`);
  } else {
    console.log(`a11y: ${sites[0].dir}: ${sites[0].count} HTML file${sites[0].count === 1 ? '' : 's'}, served at ${sites[0].origin}${sites[0].basePath}`);
  }
  const empty = sites.filter((s) => s.count === 0);
  const byFile = new Map(pages.map((p) => [p.file, p]));
  const browserPages = pages.filter((p) => !p.redirect);

  // The validator runs alongside the browser: one JVM for all files.
  const vnuPromise = runVnu(pages.map((p) => p.file));

  // Browser checks.
  const axeSource = await fsp.readFile(AXE_PATH, 'utf8');
  const { chromium } = await import('playwright-core');
  const userDataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'plansite-a11y-profile-'));
  const browserStarted = Date.now();
  let context;
  const infraErrors = [];
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: DESKTOP,
      timeout: 60_000,
      // The audit adds its own style sheet (text spacing) and the planted-
      // defects test its own <style>; the theme's Content-Security-Policy
      // would block both. search.mjs runs with the policy in force.
      bypassCSP: true,
    });
  } catch (e) {
    console.error(`a11y: Chromium (${CHROMIUM}) failed to start:\n${e.message}`);
    await fsp.rm(userDataDir, { recursive: true, force: true });
    for (const s of sites) s.server.close();
    await vnuPromise;
    process.exit(1);
  }

  const ruleCounts = new Map();
  const timings = [];
  let next = 0;
  let done = 0;
  const progress = process.stderr.isTTY;

  async function newWorkerPage() {
    const page = await context.newPage();
    const ws = { events: null };
    page.on('pageerror', (err) => {
      ws.events?.push({ check: 'js-error', msg: `uncaught JavaScript error: ${String(err.message || err).split('\n')[0]}` });
    });
    page.on('requestfailed', (req) => {
      const why = req.failure()?.errorText || 'failed';
      if (why === 'net::ERR_ABORTED') return;
      ws.events?.push({ check: 'resource', msg: `request failed (${why}): ${req.url()}` });
    });
    page.on('response', (resp) => {
      const req = resp.request();
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) return; // reported as 'http'
      if (resp.status() >= 400) ws.events?.push({ check: 'resource', msg: `HTTP ${resp.status()} for ${resp.url()}` });
    });
    return { page, ws };
  }

  async function worker() {
    let w = await newWorkerPage();
    while (next < browserPages.length) {
      const task = browserPages[next++];
      const t0 = Date.now();
      try {
        task.fails.push(...await checkPage(w.page, task, axeSource, ruleCounts, w.ws));
      } catch (e) {
        w.ws.events = null;
        task.fails.push({ check: 'error', msg: `check did not complete: ${String(e.message || e).split('\n')[0]}` });
        // Start the next page on a clean tab.
        await w.page.close().catch(() => {});
        w = await newWorkerPage();
      }
      timings.push(Date.now() - t0);
      done++;
      if (task.fails.length) {
        for (const f of task.fails) console.log(`FAIL ${task.label} [${f.check}] ${f.msg}`);
      }
      if (progress) process.stderr.write(`\r${done}/${browserPages.length} pages`);
    }
    await w.page.close().catch(() => {});
  }

  try {
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, browserPages.length) }, worker));
  } catch (e) {
    infraErrors.push(`browser run aborted: ${e.message}`);
  }
  if (progress) process.stderr.write('\r\x1b[K');
  const browserMs = Date.now() - browserStarted;
  await context.close().catch(() => {});
  await fsp.rm(userDataDir, { recursive: true, force: true }).catch(() => {});
  for (const s of sites) s.server.close();

  // Validator results.
  const vnu = await vnuPromise;
  const orphanVnu = [];
  for (const e of vnu.errors) {
    const page = e.file && byFile.get(e.file);
    const where = e.line ? `line ${e.line}${e.col ? `:${e.col}` : ''}: ` : '';
    const msg = { check: 'html', msg: `${where}${e.message}` };
    if (page) {
      page.fails.push(msg);
      console.log(`FAIL ${page.label} [html] ${msg.msg}`);
    } else {
      orphanVnu.push(`${e.url}: ${msg.msg}`);
    }
  }
  for (const o of orphanVnu) console.log(`FAIL [html] ${o}`);
  for (const f of vnu.fatal) console.log(`FAIL [html] ${f}`);
  for (const s of empty) console.log(`FAIL [site] no HTML files found under ${s.dir}`);
  for (const e of infraErrors) console.log(`FAIL [error] ${e}`);

  // Summary.
  if (ruleCounts.size) {
    const rules = [...ruleCounts.entries()].sort((a, b) => b[1] - a[1]);
    console.log(`axe rules violated (pages): ${rules.map(([r, n]) => `${r} ${n}`).join(', ')}`);
  }
  const failed = pages.filter((p) => p.fails.length).length;
  const passed = pages.length - failed;
  const redirects = pages.length - browserPages.length;
  const avg = timings.length ? Math.round(timings.reduce((a, b) => a + b, 0) / timings.length) : 0;
  const totalS = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `a11y: checked ${browserPages.length} page${browserPages.length === 1 ? '' : 's'} in Chromium (${redirects} redirect page${redirects === 1 ? '' : 's'} not loaded) ` +
    `and validated ${pages.length} HTML file${pages.length === 1 ? '' : 's'} with the Nu HTML Checker; ` +
    `${totalS} s in all (browser ${(browserMs / 1000).toFixed(1)} s at concurrency ${opts.concurrency}, ` +
    `${avg} ms per page per tab; validator ${(vnu.ms / 1000).toFixed(1)} s)`,
  );
  console.log(`a11y: ${passed} passed, ${failed} failed`);
  const bad = failed > 0 || orphanVnu.length || vnu.fatal.length || empty.length || infraErrors.length;
  process.exit(bad ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e) => {
    console.error(`a11y: internal error: ${e.stack || e}`);
    process.exit(1);
  });
}
