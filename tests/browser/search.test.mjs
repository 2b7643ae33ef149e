// The site search (Pagefind's UI on /suche/, index built by `build`), in Debian's
// headless Chromium: on the bundled site and on the fixture `search` (laid over
// `minimal`), the latter under the sub-path /portal/. A German inflected form finds
// its page (stemming), a filter narrows the results, result links work under the
// sub-path, results are announced, axe finds no WCAG 2.1 A/AA violations and the Nu
// HTML Checker no errors in the page with results (1280 and 320 px), and nothing is
// requested outside the site (no other host, no missing file).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { extname, join, resolve, sep } from "node:path";
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import { BIN, ROOT, CHROMIUM, CHROMIUM_ARGS } from "./site.mjs";

const require = createRequire(import.meta.url);
const FIXTURES = process.env.MITNUTZUNG_FIXTURES;
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".woff2": "font/woff2", ".json": "application/json", ".xml": "application/xml" };

/** Serve `publicDir` under `prefix` (`/` or `/portal/`); every request path is kept. */
async function serve(publicDir, prefix) {
  const requested = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requested.push(path);
    let file = null;
    if (path.startsWith(prefix)) {
      const rel = path.slice(prefix.length) + (path.endsWith("/") ? "index.html" : "");
      const f = resolve(publicDir, "./" + rel);
      if (f.startsWith(publicDir + sep)) file = f;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end("nicht gefunden");
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { server, requested, origin: `http://127.0.0.1:${server.address().port}` };
}

let tmp, browser, bundled, fixture;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), "mitnutzung-search-"));
  const bundledOut = join(tmp, "bundled");
  execFileSync(BIN, ["build", "--root", ROOT, "--output", bundledOut], { stdio: "pipe" });
  bundled = { ...(await serve(bundledOut, "/")), out: bundledOut, prefix: "/" };
  // The fixture: `minimal` with the `search` overlay, built for a sub-path.
  const site = join(tmp, "site");
  cpSync(join(FIXTURES, "minimal"), site, { recursive: true });
  cpSync(join(FIXTURES, "search", "overlay"), site, { recursive: true });
  const fixtureOut = join(tmp, "fixture");
  execFileSync(BIN, ["build", "--root", site, "--output", fixtureOut,
    "--base-url", "https://portal.example.de/portal/"], { stdio: "pipe" });
  fixture = { ...(await serve(fixtureOut, "/portal/")), out: fixtureOut, prefix: "/portal/" };
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  bundled?.server.close();
  fixture?.server.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** /suche/?q=… of `site` at `width`, once Pagefind's results are there. */
async function search(site, query, width = 1280) {
  const ctx = await browser.newContext({ viewport: { width, height: width <= 320 ? 568 : 900 } });
  const page = await ctx.newPage();
  const foreign = [];
  const errors = [];
  page.on("request", (r) => { if (!r.url().startsWith(site.origin + "/")) foreign.push(r.url()); });
  page.on("response", (r) => { if (r.status() >= 400) foreign.push(`${r.status()} ${r.url()}`); });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${site.origin}${site.prefix}suche/?q=${encodeURIComponent(query)}`, { waitUntil: "load" });
  await page.locator("#suche-ergebnisse:not([hidden]) .pagefind-ui__message").waitFor({ timeout: 10000 });
  // The message says "… wird gesucht" first and the count once the results are known;
  // each result's link comes when its fragment has loaded (Pagefind shows five at first).
  await page.waitForFunction(() => {
    const text = document.querySelector(".pagefind-ui__message")?.textContent || "";
    const count = /^\s*(\d+|Ein) Ergebnis/.exec(text);
    if (!count) return /Keine Ergebnisse/.test(text);
    const links = document.querySelectorAll(".pagefind-ui__result-link").length;
    return links >= Math.min(count[1] === "Ein" ? 1 : Number(count[1]), 5);
  }, null, { timeout: 10000 });
  await page.waitForTimeout(300);
  return { ctx, page, foreign, errors };
}

async function resultUrls(page) {
  return page.locator(".pagefind-ui__result-link").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
}

test("bundled site: an inflected form finds its page (German stemming), from the address's ?q=", async () => {
  // "Organisationseinheiten" stands nowhere in the content; step 2 says "Organisationseinheit".
  const { ctx, page, foreign, errors } = await search(bundled, "Organisationseinheiten");
  try {
    const urls = await resultUrls(page);
    assert.ok(urls.includes("/schritte/informationen-hinterlegen/"), `results: ${urls.join(", ")}`);
    const html = readFileSync(join(bundled.out, "schritte/informationen-hinterlegen/index.html"), "utf8");
    assert.ok(!/Organisationseinheiten/i.test(html) && /Organisationseinheit/.test(html), "the query's own form is on the page");
    assert.equal(await page.locator(".pagefind-ui__search-input").inputValue(), "Organisationseinheiten");
    assert.deepEqual(errors, []);
    assert.deepEqual(foreign, [], "requests outside the site");
  } finally {
    await ctx.close();
  }
});

test("bundled site: a filter (Art: Schritt) narrows the results to steps", async () => {
  const { ctx, page, foreign } = await search(bundled, "Kommune");
  try {
    const before = await resultUrls(page);
    assert.ok(before.some((u) => !u.startsWith("/schritte/")), `only steps before filtering: ${before}`);
    const box = page.locator(".pagefind-ui__filter-checkbox[id*='Schritt'], .pagefind-ui__filter-value:has-text('Schritt') input").first();
    if (!(await box.isVisible())) {
      await page.locator(".pagefind-ui__filter-name:has-text('Art')").first().click();
    }
    await box.check();
    await page.waitForFunction((n) => document.querySelectorAll(".pagefind-ui__result").length < n, before.length);
    await page.waitForTimeout(300);
    const after = await resultUrls(page);
    assert.ok(after.length > 0, "no step left");
    assert.ok(after.every((u) => u.startsWith("/schritte/")), `not only steps: ${after}`);
    assert.deepEqual(foreign, []);
  } finally {
    await ctx.close();
  }
});

test("bundled site: the filter Dienst narrows the results to that service's pages", async () => {
  const { ctx, page, foreign } = await search(bundled, "Jugendamt");
  try {
    const count = () => page.evaluate(() => Number((/^\s*(\d+)/.exec(document.querySelector(".pagefind-ui__message")?.textContent || "") || [0, 1])[1]));
    const before = await resultUrls(page);
    const total = await count();
    assert.ok(before.includes("/dienste/beistandschaft/"), `the other service is not found before filtering: ${before}`);
    const box = page.locator(".pagefind-ui__filter-value:has-text('Hilfen zur Erziehung') input").first();
    if (!(await box.isVisible())) {
      await page.locator(".pagefind-ui__filter-name:has-text('Dienst')").first().click();
    }
    await box.check();
    await page.waitForFunction((n) => {
      const m = /^\s*(\d+|Ein) Ergebnis/.exec(document.querySelector(".pagefind-ui__message")?.textContent || "");
      return m && (m[1] === "Ein" ? 1 : Number(m[1])) < n;
    }, total);
    await page.waitForTimeout(300);
    const after = await resultUrls(page);
    assert.ok(after.includes("/dienste/hilfen-zur-erziehung/"), `the service page is gone: ${after}`);
    assert.ok(after.every((u) => !u.startsWith("/schritte/") && !u.startsWith("/dienste/beistandschaft/")), `other pages left: ${after}`);
    assert.deepEqual(foreign, []);
  } finally {
    await ctx.close();
  }
});

test("bundled site: the repeated steps of a service page are not indexed there", async () => {
  const { ctx, page } = await search(bundled, "Testantrag");
  try {
    const urls = await resultUrls(page);
    // A step's text is found on the step's own page, not again on each service page
    // (whose four steps repeat it, marked data-pagefind-ignore).
    assert.ok(urls.some((u) => u.startsWith("/schritte/")), `results: ${urls}`);
    const service = readFileSync(join(bundled.out, "dienste/beistandschaft/index.html"), "utf8");
    assert.ok(service.includes("Testantrag"), "the service page repeats the steps");
    assert.deepEqual(urls.filter((u) => /^\/dienste\/[^/]+\/$/.test(u)), [], `a service page: ${urls}`);
  } finally {
    await ctx.close();
  }
});

test("fixture under /portal/: stemming, result links with the sub-path, results announced, nothing else requested", async () => {
  const { ctx, page, foreign, errors } = await search(fixture, "Kooperationsverträgen");
  try {
    const urls = await resultUrls(page);
    assert.deepEqual(urls, ["/portal/kooperation/"]);
    const text = await page.locator(".pagefind-ui__result-excerpt").first().textContent();
    assert.match(text, /Wie Länder und Kommunen/, "the description is the result text");
    const tags = await page.locator(".pagefind-ui__result-tag").allTextContents();
    assert.deepEqual(tags.filter((t) => /description/i.test(t)), [], "the description shown a second time as a tag");
    const status = page.locator(".search-results__status[role=status]");
    // While Pagefind loads, the region may first say "… wird gesucht"; the count follows.
    await page.waitForFunction(() => /Ergebnis/.test(document.querySelector(".search-results__status")?.textContent || ""), null, { timeout: 10000 });
    assert.match(await status.textContent(), /(1|Ein) Ergebnis für Kooperationsverträgen/);
    await page.locator(".pagefind-ui__result-link").first().click();
    await page.waitForURL(`${fixture.origin}/portal/kooperation/`);
    assert.match(await page.locator("h1").textContent(), /Zusammenarbeit der Länder/);
    assert.deepEqual(errors, []);
    assert.deepEqual(foreign, [], "requests outside the site or missing files");
    assert.ok(fixture.requested.every((p) => p.startsWith("/portal/")), "a request outside the sub-path");
  } finally {
    await ctx.close();
  }
});

test("keyboard: the search field has a label, takes a new query and Tab reaches the results", async () => {
  const { ctx, page } = await search(fixture, "Onlinedienst");
  try {
    const input = page.locator(".pagefind-ui__search-input");
    const name = await input.evaluate((el) => el.labels?.[0]?.textContent || el.getAttribute("aria-label") || "");
    assert.ok(name.trim(), "the search field has no accessible name");
    await input.focus();
    await input.fill("");
    await page.keyboard.type("Kooperationsvertrag");
    await page.waitForFunction(() => [...document.querySelectorAll(".pagefind-ui__result-link")].some((a) => a.getAttribute("href") === "/portal/kooperation/"));
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.classList.contains("pagefind-ui__result-link"));
    }
    assert.ok(reached, "Tab does not reach a result");
  } finally {
    await ctx.close();
  }
});

for (const width of [1280, 320]) {
  test(`axe: no WCAG 2.1 A/AA violations and vnu: no errors on /suche/ with results at ${width} px`, async () => {
    const { ctx, page, foreign } = await search(bundled, "Kommune", width);
    try {
      const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
      assert.deepEqual(violations, [], violations.join("\n"));
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(scroll <= 0, `horizontal scrolling by ${scroll} px`);
      const file = join(tmp, `suche-${width}.html`);
      writeFileSync(file, "<!DOCTYPE html>\n" + (await page.evaluate(() => document.documentElement.outerHTML)));
      const jar = require.resolve("vnu-jar/build/dist/vnu.jar");
      const run = spawnSync("java", ["-jar", jar, "--errors-only", "--format", "json", file], { encoding: "utf8" });
      const messages = JSON.parse(run.stderr.trim() || run.stdout.trim()).messages;
      const summary = messages.map((m) => `${m.lastLine}: ${m.message} ${m.extract || ""}`);
      assert.deepEqual(summary, [], summary.join("\n"));
      assert.deepEqual(foreign, []);
    } finally {
      await ctx.close();
    }
  });
}
