// The web edition in a real browser: headless Chromium driven by
// puppeteer-core loads every page from file:// on a phone (390×844) and on a
// desk (1280×900) and reports what a reader would meet that is wrong.
//
//   node tests/web/check.mjs SITE_DIR NODE_MODULES_DIR
//
// Prints one JSON object { pages, checks, findings } and exits 1 when there
// are findings, 2 when the check itself could not run. The browser is
// $TSIGNI_CHROMIUM, else $PUPPETEER_EXECUTABLE_PATH, else /usr/bin/chromium.
import { createRequire } from "node:module";
import { readdirSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [siteArg, modulesArg] = process.argv.slice(2);
if (!siteArg || !modulesArg) {
  console.error("usage: check.mjs SITE_DIR NODE_MODULES_DIR");
  process.exit(2);
}
const site = resolve(siteArg);
const require = createRequire(join(resolve(modulesArg), "check.cjs"));
const puppeteer = require("puppeteer-core");
const chromium =
  process.env.TSIGNI_CHROMIUM || process.env.PUPPETEER_EXECUTABLE_PATH || "/usr/bin/chromium";

const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
];
// A Georgian stem whose inflected forms the book uses (ჩინეთის, ჩინეთმა…).
const QUERY = "ჩინეთ";
const GEORGIAN = /[\u10A0-\u10FF\u1C90-\u1CBF]/;

const findings = [];
const checks = {};
const count = (name) => { checks[name] = (checks[name] || 0) + 1; };
const finding = (where, what) => findings.push(`${where}: ${what}`);

const timer = setTimeout(() => {
  console.log(JSON.stringify({ findings: [...findings, "the check timed out"] }));
  process.exit(2);
}, 300_000);

const files = readdirSync(site).filter((f) => f.endsWith(".html")).sort();
const url = (file) => pathToFileURL(join(site, file)).href;

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});

/** A page that reports console errors and failed requests as findings. */
async function open(where, viewport) {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  page.on("console", (m) => {
    if (m.type() === "error") finding(where, `console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => finding(where, `script error: ${e.message}`));
  page.on("requestfailed", (r) =>
    finding(where, `failed request ${r.url()}: ${r.failure()?.errorText}`),
  );
  return page;
}

async function load(page, file) {
  await page.goto(url(file), { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/** Ids of every page and the links on it, gathered once. */
const ids = {};
const links = {};

async function checkFonts(page, where) {
  const faces = await page.evaluate(() =>
    Array.from(document.fonts, (f) => ({ family: f.family.replace(/"/g, ""), status: f.status })),
  );
  for (const f of faces.filter((f) => f.status === "error")) {
    finding(where, `font ${f.family} failed to load`);
  }
  const declared = new Set(faces.map((f) => f.family));
  if (!faces.some((f) => f.status === "loaded")) finding(where, "no font face loaded");
  // The face the browser really draws a Georgian paragraph with.
  const client = await page.createCDPSession();
  await client.send("DOM.enable");
  await client.send("CSS.enable");
  const { root } = await client.send("DOM.getDocument", { depth: -1 });
  const { nodeIds } = await client.send("DOM.querySelectorAll", {
    nodeId: root.nodeId,
    selector: "main p, main h1",
  });
  for (const nodeId of nodeIds) {
    const { node } = await client.send("DOM.describeNode", { nodeId, depth: -1 });
    const text = JSON.stringify(node);
    if (!GEORGIAN.test(text)) continue;
    const { fonts } = await client.send("CSS.getPlatformFontsForNode", { nodeId });
    const used = fonts.filter((f) => f.glyphCount > 0);
    if (!used.some((f) => f.isCustomFont && declared.has(f.familyName))) {
      finding(where, `Georgian text is drawn with ${JSON.stringify(used)}, not the book's faces`);
    }
    count("georgian font");
    break;
  }
  await client.detach();
}

async function checkPage(file, viewport) {
  const where = `${file} @${viewport.width}`;
  const page = await open(where, viewport);
  await load(page, file);
  const seen = await page.evaluate(() => ({
    ids: Array.from(document.querySelectorAll("[id]"), (e) => e.id),
    links: Array.from(document.querySelectorAll("a[href]"), (a) => a.getAttribute("href")),
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  }));
  ids[file] = seen.ids;
  links[file] = seen.links;
  if (seen.overflow > 0) finding(where, `the page is ${seen.overflow}px wider than the screen`);
  count("page");
  await checkFonts(page, where);
  await page.close();
}

function checkLinks() {
  for (const [file, hrefs] of Object.entries(links)) {
    for (const href of hrefs) {
      if (/^[a-z]+:/i.test(href)) continue; // the manuscript's own web links
      const [target, anchor] = href.split("#");
      const doc = target === "" ? file : target;
      if (!files.includes(doc)) {
        if (!existsSync(join(site, doc))) finding(file, `link ${href}: no such file`);
        continue;
      }
      if (anchor && !ids[doc].includes(decodeURIComponent(anchor))) {
        finding(file, `link ${href}: no element #${anchor}`);
      }
      count("link");
    }
  }
}

async function checkSearch(viewport) {
  const where = `search @${viewport.width}`;
  const page = await open(where, viewport);
  await load(page, "index.html");
  await page.type("#search", QUERY);
  try {
    await page.waitForSelector("#search-results:not([hidden]) a", { timeout: 5000 });
  } catch {
    finding(where, `typing ${QUERY} showed no result`);
    await page.close();
    return;
  }
  const hits = await page.evaluate(() => ({
    hrefs: Array.from(document.querySelectorAll("#search-results a"), (a) => a.getAttribute("href")),
    marks: Array.from(document.querySelectorAll("#search-results mark"), (m) => m.textContent),
  }));
  if (!hits.marks.some((m) => m.toLowerCase().startsWith(QUERY) && m.length > QUERY.length)) {
    finding(where, `no inflected form of ${QUERY} among the results: ${hits.marks.slice(0, 10)}`);
  }
  for (const href of hits.hrefs.slice(0, 5)) {
    const [file, anchor] = href.split("#");
    await load(page, file);
    const text = await page.evaluate((id) => {
      const e = document.getElementById(id);
      return e ? e.textContent.toLowerCase() : null;
    }, anchor);
    if (text === null) finding(where, `result ${href} links to no element`);
    else if (!text.includes(QUERY)) finding(where, `result ${href} does not hold ${QUERY}`);
    count("search result");
  }
  await page.close();
}

async function checkNotes(viewport) {
  const file = files.find((f) => /^ch/.test(f) && (ids[f] || []).some((id) => /^fnref\d+$/.test(id)));
  const where = `notes ${file} @${viewport.width}`;
  if (!file) return finding("notes", "no chapter has a note reference");
  const page = await open(where, viewport);
  await load(page, file);
  const ref = 'a[role="doc-noteref"]';
  const note = await page.$eval(ref, (a) => {
    const aside = document.getElementById(a.getAttribute("href").split("#")[1]);
    const r = a.getBoundingClientRect(), n = aside.getBoundingClientRect();
    const m = document.getElementById("main").getBoundingClientRect();
    return {
      text: aside.textContent.replace(/^\s*\d+\s*/, "").trim().slice(0, 40),
      refTop: r.top, noteTop: n.top, noteLeft: n.left, mainRight: m.right,
    };
  });
  if (viewport.width >= 1100) {
    // Beside the text, level with the reference or just below the note above.
    if (note.noteLeft < note.mainRight - 1) finding(where, "the note is not in the margin");
    if (note.noteTop < note.refTop - 20) finding(where, "the note stands above its reference");
  }
  await page.click(ref);
  await new Promise((r) => setTimeout(r, 300));
  const shown = await page.evaluate(() => {
    const p = document.querySelector(".popup");
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    const visible = (e) => {
      if (!e) return false;
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight;
    };
    return {
      popup: p && !p.hidden && visible(p) ? p.textContent : null,
      target: visible(target) ? target.textContent : null,
    };
  });
  const opened = shown.popup ?? shown.target;
  if (!opened || !opened.includes(note.text)) {
    finding(where, `clicking the note reference did not show the note (${JSON.stringify(shown)})`);
  }
  count("note");
  await page.close();
}

try {
  for (const viewport of VIEWPORTS) {
    for (const file of files) await checkPage(file, viewport);
    await checkSearch(viewport);
    await checkNotes(viewport);
  }
  checkLinks();
} catch (e) {
  finding("check", `could not finish: ${e.stack || e}`);
} finally {
  await browser.close();
  clearTimeout(timer);
}
console.log(JSON.stringify({ pages: files.length, checks, findings }, null, 1));
process.exit(findings.length ? 1 : 0);
