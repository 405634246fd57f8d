// The web edition's tables on a phone (390×844) and a desk (1280×900) in
// headless Chromium: the page itself never gets wider than the screen, a
// table too wide for it scrolls sideways inside its region, and every
// column of every table stays drawn (none squeezed to nothing).
//
//   node tests/web/tables.mjs SITE_DIR NODE_MODULES_DIR
//
// Prints { tables, scrolling, findings } and exits 1 when there are findings.
import { createRequire } from "node:module";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [siteArg, modulesArg] = process.argv.slice(2);
const site = resolve(siteArg);
const require = createRequire(join(resolve(modulesArg), "check.cjs"));
const puppeteer = require("puppeteer-core");
const chromium =
  process.env.TSIGNI_CHROMIUM || process.env.PUPPETEER_EXECUTABLE_PATH || "/usr/bin/chromium";
const timer = setTimeout(() => {
  console.log(JSON.stringify({ findings: ["the check timed out"] }));
  process.exit(2);
}, 120_000);

const findings = [];
let tables = 0;
let scrolling = 0;
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 900 }]) {
    for (const file of readdirSync(site).filter((f) => f.endsWith(".html")).sort()) {
      const page = await browser.newPage();
      await page.setViewport(viewport);
      await page.goto(pathToFileURL(join(site, file)).href, { waitUntil: "load" });
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const seen = await page.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        tables: Array.from(document.querySelectorAll("div.table"), (d) => ({
          scrolls: d.scrollWidth > d.clientWidth,
          overflowX: getComputedStyle(d).overflowX,
          narrowest: Math.min(
            ...Array.from(d.querySelectorAll("th, td"), (c) => c.getBoundingClientRect().width),
          ),
        })),
      }));
      const where = `${file} at ${viewport.width}px`;
      if (seen.overflow > 0) findings.push(`${where}: the page is ${seen.overflow}px wider than the screen`);
      for (const t of seen.tables) {
        tables++;
        if (t.scrolls) scrolling++;
        if (t.scrolls && t.overflowX !== "auto") findings.push(`${where}: a wide table does not scroll`);
        if (t.narrowest < 8) findings.push(`${where}: a column is ${t.narrowest}px wide`);
      }
      await page.close();
    }
  }
} catch (e) {
  findings.push(`could not finish: ${e.stack || e}`);
} finally {
  await browser.close();
  clearTimeout(timer);
}
console.log(JSON.stringify({ tables, scrolling, findings }));
process.exit(findings.length ? 1 : 0);
