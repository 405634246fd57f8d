// The EPUB in a reading system nobody here wrote: epub.js (the library
// behind many web readers) in headless Chromium, driven by puppeteer-core,
// the book served over a local HTTP server as a web reader would fetch it.
//
//   node tests/reading/epubjs.mjs BOOK.epub PUPPETEER_MODULES EPUBJS_MODULES WORD...
//
// On a phone (390×844) it renders a chapter and measures its word spaces,
// follows a note reference and the note's backlink, checks that the contents
// page is set flush left and the title's held runs stay on one line, displays every contents
// and page-list entry, and searches each WORD in every spine document the way
// epub.js's documented search does (Section.find). Prints one JSON object
// and exits 1 when it met something wrong, 2 when it could not run. The
// browser is $TSIGNI_CHROMIUM, else /usr/bin/chromium. With
// $TSIGNI_EPUBJS_SHOTS=DIR it saves what the reader shows there.
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const [bookArg, puppeteerArg, epubjsArg, ...words] = process.argv.slice(2);
if (!bookArg || !puppeteerArg || !epubjsArg || !words.length) {
  console.error("usage: epubjs.mjs BOOK.epub PUPPETEER_MODULES EPUBJS_MODULES WORD...");
  process.exit(2);
}
const puppeteer = createRequire(join(resolve(puppeteerArg), "x.cjs"))("puppeteer-core");
const chromium = process.env.TSIGNI_CHROMIUM || "/usr/bin/chromium";
const PHONE = { width: 390, height: 844 };

const findings = [];
const report = { findings, phone: null, note: null, front: null, toc: 0, pages: 0, search: {} };
const done = (code) => {
  console.log(JSON.stringify(report));
  process.exit(code);
};
const timer = setTimeout(() => {
  findings.push("the check timed out");
  done(2);
}, 300_000);

// The reader page, the two libraries, and the book.
const files = {
  "/index.html": [
    "text/html; charset=utf-8",
    `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>html, body { margin: 0; } #viewer { width: 100vw; height: 100vh; }</style>
<script src="jszip.min.js"></script><script src="epub.min.js"></script>
</head><body><div id="viewer"></div></body></html>`,
  ],
  "/jszip.min.js": ["text/javascript", readFileSync(join(epubjsArg, "jszip/dist/jszip.min.js"))],
  "/epub.min.js": ["text/javascript", readFileSync(join(epubjsArg, "epubjs/dist/epub.min.js"))],
  "/book.epub": ["application/epub+zip", readFileSync(bookArg)],
};
const server = createServer((req, res) => {
  const file = files[new URL(req.url, "http://x").pathname];
  if (!file) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": file[0] }).end(file[1]);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

// Functions run in the reader page (puppeteer serialises each one).
const inPage = {
  async open(url) {
    window.book = ePub(url);
    window.rendition = book.renderTo("viewer", { width: "100%", height: "100%", spread: "none" });
    await book.ready;
    await book.loaded.navigation;
  },

  /** The first chapter with a note: displayed, its fonts and word spaces. */
  async chapter() {
    const findings = [];
    const hrefs = book.spine.spineItems.map((s) => s.href).filter((h) => /text\/ch/.test(h));
    let chapter = null;
    for (const href of hrefs) {
      const doc = await book.spine.get(href).load(book.load.bind(book));
      if (doc.querySelector('a[role="doc-noteref"]')) {
        chapter = href;
        break;
      }
    }
    if (!chapter) return { findings: ["no chapter has a note reference"] };
    await rendition.display(chapter);
    const contents = rendition.getContents()[0];
    const doc = contents.document;
    await doc.fonts.ready;
    const faces = Array.from(doc.fonts, (f) => f.status);
    if (!faces.includes("loaded")) findings.push(`${chapter}: no font face loaded (${faces})`);
    if (faces.includes("error")) findings.push(`${chapter}: a font face failed to load`);
    // The widest word space of each line against the font's own space.
    const canvas = doc.createElement("canvas").getContext("2d");
    const column = rendition.manager.layout.columnWidth || window.innerWidth;
    const lines = new Map();
    for (const el of doc.querySelectorAll("p, li")) {
      const walker = doc.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const node = walker.currentNode;
        const cs = doc.defaultView.getComputedStyle(node.parentElement);
        canvas.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const natural = canvas.measureText(" ").width;
        const text = node.textContent;
        for (let i = text.indexOf(" "); i !== -1; i = text.indexOf(" ", i + 1)) {
          const range = doc.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          for (const r of range.getClientRects()) {
            if (r.width <= 0) continue;
            const key = `${Math.floor(r.left / column)}:${Math.round(r.top)}`;
            lines.set(key, Math.max(lines.get(key) || 0, r.width / natural));
          }
        }
      }
    }
    const ratios = [...lines.values()];
    const wide = ratios.filter((r) => r > 3).length;
    if (!ratios.length) findings.push(`${chapter}: no word space measured`);
    const width = doc.documentElement.getBoundingClientRect().width;
    return {
      chapter,
      findings,
      lines: ratios.length,
      wideSpaces: wide,
      widest: Math.max(0, ...ratios),
      columnWidth: column,
      documentWidth: width,
    };
  },

  /** Follows the chapter's first note reference, then the note's backlink. */
  async note() {
    const findings = [];
    const contents = () => rendition.getContents()[0];
    const shown = (el) => {
      // Paginated: the section's columns side by side, the container
      // scrolled to the page shown.
      const container = rendition.manager.container;
      const r = el.getBoundingClientRect();
      const left = container.scrollLeft, right = left + container.clientWidth;
      return r.width >= 0 && r.left >= left - 1 && r.left < right && r.top < container.clientHeight;
    };
    const follow = async (link) => {
      const moved = new Promise((res) => rendition.once("relocated", res));
      link.click();
      await Promise.race([moved, new Promise((res) => setTimeout(res, 5000))]);
      await new Promise((res) => setTimeout(res, 200));
    };
    const ref = contents().document.querySelector('a[role="doc-noteref"]');
    const id = ref.getAttribute("href").split("#")[1];
    await follow(ref);
    const aside = contents().document.getElementById(id);
    const noteShown = !!aside && shown(aside);
    if (!noteShown) findings.push(`note reference to #${id}: the note is not on the page shown`);
    const back = aside && aside.querySelector('a[role="doc-backlink"]');
    let refShown = false;
    if (!back) findings.push(`note #${id} has no backlink`);
    else {
      const refId = back.getAttribute("href").split("#")[1];
      await follow(back);
      const target = contents().document.getElementById(refId);
      refShown = !!target && shown(target);
      if (!refShown) findings.push(`backlink of #${id}: the reference is not on the page shown`);
    }
    return { findings, note: id, noteShown, refShown };
  },

  /** Displays every contents and page-list entry; each must show its target. */
  async navigation() {
    const findings = [];
    const flat = (items) => items.flatMap((i) => [i, ...flat(i.subitems || [])]);
    const toc = flat(book.navigation.toc).map((i) => i.href);
    const pages = (book.pageList.pageList || []).map((p) => p.href);
    if (!toc.length) findings.push("epub.js found no contents");
    if (!pages.length) findings.push("epub.js found no page list");
    const check = async (what, href) => {
      await rendition.display(href);
      const [file, id] = href.split("#");
      const loc = rendition.currentLocation();
      if (!loc || !loc.start || loc.start.href !== file) {
        findings.push(`${what} ${href}: displayed ${loc && loc.start && loc.start.href}`);
        return;
      }
      if (!id) return;
      const contents = rendition.getContents().find((c) => c.document.getElementById(id));
      if (!contents) return findings.push(`${what} ${href}: no element #${id}`);
      const el = contents.document.getElementById(id);
      const container = rendition.manager.container;
      const r = el.getBoundingClientRect();
      const left = container.scrollLeft;
      if (r.left < left - 1 || r.left >= left + container.clientWidth) {
        findings.push(`${what} ${href}: #${id} is not on the page shown`);
      }
    };
    for (const href of toc) await check("contents", href);
    for (const href of pages) await check("page", href);
    return { findings, toc: toc.length, pages: pages.length };
  },

  /** The contents page set flush left; the title's held runs on one line. */
  async frontPages() {
    const findings = [];
    const nav = book.spine.spineItems.find((s) => s.properties.includes("nav"));
    if (!nav) return { findings: ["the navigation document is not in the spine"] };
    await rendition.display(nav.href);
    let doc = rendition.getContents()[0].document;
    const items = Array.from(doc.querySelectorAll('nav[epub\\:type="toc"] li, nav#toc li'));
    const aligns = new Set(items.map((li) => doc.defaultView.getComputedStyle(li).textAlign));
    if (!items.length) findings.push("the contents page shows no entry");
    for (const a of aligns) {
      if (a !== "left" && a !== "start") findings.push(`contents entries are set ${a}`);
    }
    const title = book.spine.spineItems.find((s) => /title/.test(s.href));
    await rendition.display(title.href);
    doc = rendition.getContents()[0].document;
    // Every number range of the title (1950-1980) on one line.
    let ranges = 0;
    const walker = doc.createTreeWalker(doc.querySelector("h1"), NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (const m of node.textContent.matchAll(/\d+[-\u2013]\d+/g)) {
        const range = doc.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects(), (c) => Math.round(c.top)));
        if (tops.size !== 1) findings.push(`the title breaks ${m[0]} over ${tops.size} lines`);
        ranges++;
      }
    }
    return { findings, contents: items.length, aligns: [...aligns], titleRanges: ranges };
  },

  /** epub.js's documented search: Section.find in each spine document. */
  async search(word) {
    const counts = {};
    for (const item of book.spine.spineItems) {
      await item.load(book.load.bind(book));
      counts[item.href] = item.find(word).length;
      item.unload();
    }
    return counts;
  },
};

/** With $TSIGNI_EPUBJS_SHOTS set, a screenshot of what the reader shows. */
async function shot(page, name) {
  const dir = process.env.TSIGNI_EPUBJS_SHOTS;
  if (dir) await page.screenshot({ path: join(dir, `epubjs-${name}.png`) });
}

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage();
  await page.setViewport(PHONE);
  page.on("pageerror", (e) => findings.push(`script error: ${e.message}`));
  await page.goto(`${base}/index.html`, { waitUntil: "load" });
  await page.evaluate(inPage.open, `${base}/book.epub`);
  report.phone = await page.evaluate(inPage.chapter);
  await shot(page, "chapter");
  report.note = await page.evaluate(inPage.note);
  report.front = await page.evaluate(inPage.frontPages);
  await shot(page, "title");
  await page.evaluate(() => rendition.display("nav.xhtml"));
  await shot(page, "contents");
  findings.push(...report.front.findings);
  const nav = await page.evaluate(inPage.navigation);
  report.toc = nav.toc;
  report.pages = nav.pages;
  findings.push(...report.phone.findings, ...report.note.findings, ...nav.findings);
  for (const word of words) {
    report.search[word] = await page.evaluate(inPage.search, word);
  }
} catch (e) {
  findings.push(`the check failed: ${e.stack || e}`);
  clearTimeout(timer);
  await browser.close();
  server.close();
  done(2);
}
clearTimeout(timer);
await browser.close();
server.close();
done(findings.length ? 1 : 0);
