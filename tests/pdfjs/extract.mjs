// Extracts every page's text of a PDF with pdf.js (pdfjs-dist), as a
// reader that copies or searches it sees it: the text items of each page in
// content order, a line break where pdf.js reports the end of a line, and a
// form feed between pages (each page's last line ended too). Prints a JSON object { pages, text, version }.
//
// usage: node extract.mjs PDFJS_DIST_DIR BOOK.pdf
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dist, file] = process.argv.slice(2);
if (!dist || !file) {
  console.error("usage: node extract.mjs PDFJS_DIST_DIR BOOK.pdf");
  process.exit(2);
}
const pdfjs = await import(pathToFileURL(join(dist, "legacy/build/pdf.mjs")).href);
const data = new Uint8Array(await readFile(file));
const doc = await pdfjs.getDocument({ data, isEvalSupported: false, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const content = await page.getTextContent();
  let text = "";
  for (const item of content.items) {
    if (typeof item.str !== "string") continue;
    text += item.str;
    if (item.hasEOL) text += "\n";
  }
  // A page's last line ends there too.
  pages.push(text.endsWith("\n") ? text : text + "\n");
}
console.log(JSON.stringify({ version: pdfjs.version, pages: doc.numPages, text: pages.join("\f") }));
