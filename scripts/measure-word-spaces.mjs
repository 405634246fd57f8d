// The figures behind the EPUB's text setting (README, "Reading systems"):
// for each variant, the widest word space of every line against the font's
// natural space, and how often a text-node search (as epub.js's
// Section.find) finds ჩინეთის, in Chromium at WIDTH px.
//
//   node scripts/measure-word-spaces.mjs DIR PUPPETEER_MODULES [WIDTH] [VARIANTS]
//
// DIR is an unpacked EPUB built with `[epub] hyphenate = true` (soft hyphens
// are removed or kept per variant in the page); FILES=a,b overrides the
// documents measured (EPUB/text/ch01..06.xhtml). A variant is SHY-SETTING:
// SHY is `shy` (as stored), `none`, or `longN` (kept only in words of N
// letters or more); SETTING is `justify` (as the style sheet says), `auto`
// (hyphens: auto) or `ragged` (text-align: start).
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
const [dir, modules, widthArg, variantsArg] = process.argv.slice(2);
const require = createRequire(join(resolve(modules), "x.cjs"));
const puppeteer = require("puppeteer-core");
const width = Number(widthArg || 390);
const files = (process.env.FILES || "EPUB/text/ch01.xhtml,EPUB/text/ch02.xhtml,EPUB/text/ch03.xhtml,EPUB/text/ch04.xhtml,EPUB/text/ch05.xhtml,EPUB/text/ch06.xhtml").split(",");
const variants = (variantsArg || "shy-justify,none-justify,none-auto,none-ragged,long8-justify,long10-justify,long12-justify,long14-justify").split(",");
const browser = await puppeteer.launch({ executablePath: process.env.TSIGNI_CHROMIUM || "/usr/bin/chromium", headless: true, args: ["--no-sandbox","--disable-gpu","--disable-dev-shm-usage"] });
const page = await browser.newPage();
await page.setViewport({ width, height: 844 });
for (const v of variants) {
  const tot = { lines: 0, over3: 0, over2: 0, ratios: [], hits: 0, words: 0, shyWords: 0, hyphenEnds: 0 };
  for (const f of files) {
    await page.goto(pathToFileURL(join(resolve(dir), f)).href, { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const r = await page.evaluate((v) => {
      const [shy, align] = v.split("-");
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const nodes = []; while (walker.nextNode()) nodes.push(walker.currentNode);
      const minLen = shy.startsWith("long") ? Number(shy.slice(4)) : null;
      for (const n of nodes) {
        if (shy === "none") n.textContent = n.textContent.replace(/\u00AD/g, "");
        else if (minLen) n.textContent = n.textContent.replace(/[\p{L}\u00AD]+/gu, (w) => w.replace(/\u00AD/g, "").length >= minLen ? w : w.replace(/\u00AD/g, ""));
      }
      const st = document.createElement("style");
      if (align === "auto") st.textContent = "p, li { hyphens: auto !important; -webkit-hyphens: auto !important; }";
      if (align === "ragged") st.textContent = "p, li { text-align: start !important; }";
      document.head.appendChild(st);
      document.body.offsetHeight;
      let hits = 0, words = 0, shyWords = 0;
      for (const n of nodes) {
        const t = n.textContent.toLowerCase(); let p = -1;
        while ((p = t.indexOf("ჩინეთის", p + 1)) !== -1) hits++;
        for (const w of n.textContent.match(/[\p{L}\u00AD]+/gu) || []) { words++; if (w.includes("\u00AD")) shyWords++; }
      }
      const canvas = document.createElement("canvas").getContext("2d");
      const out = []; let hyphenEnds = 0;
      for (const el of document.querySelectorAll("p, li")) {
        if (el.querySelector("p")) continue;
        const lines = new Map();
        const tw = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        while (tw.nextNode()) {
          const n = tw.currentNode; const cs = getComputedStyle(n.parentElement);
          canvas.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
          const natural = canvas.measureText(" ").width;
          const s = n.textContent;
          for (let i = 0; i < s.length; i++) {
            if (s[i] !== " ") continue;
            const range = document.createRange(); range.setStart(n, i); range.setEnd(n, i + 1);
            for (const rc of range.getClientRects()) {
              if (rc.width <= 0) continue;
              const key = Math.round(rc.top);
              const ratio = rc.width / natural;
              lines.set(key, Math.max(lines.get(key) || 0, ratio));
            }
          }
        }
        // lines without spaces still count
        const all = new Set();
        const rg = document.createRange(); rg.selectNodeContents(el);
        const rights = new Map();
        for (const rc of rg.getClientRects()) if (rc.height > 0) { const k = Math.round(rc.top); all.add(k); rights.set(k, Math.max(rights.get(k) || 0, rc.right)); }
        const box = el.getBoundingClientRect(); const keys = [...rights.keys()].sort((a,b)=>a-b); keys.pop();
        const gaps = keys.map(k => (box.right - rights.get(k)) / box.width);
        out.push({ n: all.size, ratios: [...lines.values()], gaps });
      }
      return { out, hits, words, shyWords };
    }, v);
    tot.hits += r.hits; tot.words += r.words; tot.shyWords += r.shyWords;
    for (const o of r.out) { tot.gaps = (tot.gaps||[]).concat(o.gaps); tot.lines += o.n; for (const x of o.ratios) { tot.ratios.push(x); if (x > 3) tot.over3++; if (x > 2) tot.over2++; } }
  }
  tot.ratios.sort((a,b)=>a-b);
  const q = (p) => tot.ratios[Math.floor(p * (tot.ratios.length - 1))]?.toFixed(2);
  tot.gaps.sort((a,b)=>a-b); const g=(p)=> (100*tot.gaps[Math.floor(p*(tot.gaps.length-1))]).toFixed(1);
  console.log(`ragged-edge(non-last lines) median=${g(0.5)}% p95=${g(0.95)}% max=${g(1)}%`);
  console.log(`${v.padEnd(16)} lines=${tot.lines} over3=${tot.over3} over2=${tot.over2} median=${q(0.5)} p95=${q(0.95)} max=${q(1)} search(ჩინეთის in ch)=${tot.hits} words-with-SHY=${tot.shyWords}/${tot.words}`);
}
await browser.close();
