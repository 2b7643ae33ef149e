// The default theme on the bundled site, checked with tools nobody on the project wrote:
// the Nu HTML Checker (vnu-jar) on every page, axe-core (WCAG 2.1 A/AA) on every kind of
// page at 1280 and 320 px in Debian's headless Chromium, plus keyboard use of the status
// table, visible focus, no horizontal scrolling and no requests to other hosts.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createRequire } from "node:module";
import AxeBuilder from "@axe-core/playwright";
import { builtSite } from "./site.mjs";

const require = createRequire(import.meta.url);

export const PAGES = {
  home: "/",
  steps: "/schritte/",
  step: "/schritte/informationen-hinterlegen/",
  services: "/dienste/",
  service: "/dienste/beistandschaft/",
  form: "/dienste/beistandschaft/fragebogen/",
  status: "/status/",
  municipality: "/kommunen/gera/",
  plain: "/impressum/",
  news: "/aktuelles/",
  "news-item": "/aktuelles/fragebogen-als-formular/",
  search: "/suche/",
  "leichte-sprache": "/leichte-sprache/",
  "not-found": "/gibt-es-nicht/",
};

let out, origin, browser;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

let site;
before(async () => {
  site = await builtSite("mitnutzung-quality-");
  ({ out, origin, browser } = site);
});

after(async () => {
  await site?.close();
});

/** A page that fails the test on any request to another host. */
async function open(path, width) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const foreign = [];
  page.on("request", (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) foreign.push(r.url()); });
  await page.goto(origin + path, { waitUntil: "load" });
  return { page, foreign };
}

test("the Nu HTML Checker finds no errors on any page", () => {
  const html = files(join(out, "public")).filter((f) => f.endsWith(".html"));
  assert.ok(html.length > 20, `only ${html.length} pages`);
  const jar = require.resolve("vnu-jar/build/dist/vnu.jar");
  const run = spawnSync("java", ["-jar", jar, "--errors-only", "--format", "json", ...html], { encoding: "utf8" });
  const report = run.stderr.trim() || run.stdout.trim();
  const messages = JSON.parse(report).messages;
  const summary = messages.map((m) => `${relative(out, new URL(m.url).pathname)}:${m.lastLine}: ${m.message}`);
  assert.deepEqual(summary, [], summary.join("\n"));
});

for (const width of [1280, 320]) {
  for (const [kind, path] of Object.entries(PAGES)) {
    test(`axe finds no WCAG 2.1 A/AA violations: ${kind} at ${width} px`, async () => {
      const { page, foreign } = await open(path, width);
      try {
        if (kind === "status") {
          await page.selectOption("select[name=land]", "Thüringen").catch(() => {});
        }
        if (kind === "form") {
          // with the error summary and a message at every field shown
          await page.click("button[data-download]");
          assert.ok(await page.locator("[data-error-summary]").isVisible());
        }
        const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
        const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
        assert.deepEqual(violations, [], violations.join("\n"));
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(scroll <= 0, `horizontal scrolling by ${scroll} px`);
        assert.deepEqual(foreign, [], "requests to other hosts");
      } finally {
        await page.close();
      }
    });
  }
}

test("every focusable element shows where the focus is", async () => {
  for (const path of [PAGES.home, PAGES.service, PAGES.status]) {
    const { page } = await open(path, 1280);
    try {
      const count = await page.evaluate(() => document.querySelectorAll("a[href], button, select, input, [tabindex='0']").length);
      for (let i = 0; i < Math.min(count, 40); i++) {
        await page.keyboard.press("Tab");
        const style = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const s = getComputedStyle(el);
          return { tag: el.tagName, text: (el.textContent || "").trim().slice(0, 30), outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow };
        });
        if (!style) continue;
        const visible = (style.outline !== "none" && style.width > 0) || style.shadow !== "none";
        assert.ok(visible, `${path}: no visible focus on ${style.tag} "${style.text}"`);
      }
    } finally {
      await page.close();
    }
  }
});

test("the status table sorts and filters by keyboard and announces it", async () => {
  const { page } = await open(PAGES.status, 1280);
  try {
    const total = await page.locator("table.status-table tbody tr[data-status]").count();
    const sortButton = page.locator("table.status-table thead button").first();
    await sortButton.focus();
    await page.keyboard.press("Enter");
    const sorted = await page.locator("table.status-table thead th[aria-sort]").first().getAttribute("aria-sort");
    assert.ok(["ascending", "descending"].includes(sorted), `aria-sort is ${sorted}`);
    await page.keyboard.press("Enter");
    const flipped = await page.locator("table.status-table thead th[aria-sort]").first().getAttribute("aria-sort");
    assert.notEqual(flipped, sorted, "a second press reverses the order");
    await page.locator("select[name=land]").focus();
    await page.keyboard.press("ArrowDown");
    await page.locator("select[name=land]").selectOption({ index: 1 });
    const visible = await page.locator("table.status-table tbody tr[data-status]:visible").count();
    assert.ok(visible > 0 && visible < total, `filter shows ${visible} of ${total}`);
    // The filter's announcement comes after a pause; the sort's earlier one
    // also says "… von …", so wait for the filter's own count.
    const expected = `${visible} von ${total}`;
    await page.waitForFunction((text) => document.querySelector("[role=status]").textContent.includes(text), expected, { timeout: 3000 })
      .catch(() => {});
    const live = await page.locator("[role=status]").first().textContent();
    assert.match(live, new RegExp(expected));
  } finally {
    await page.close();
  }
});

test("CSS and JavaScript per page stay small (reported)", async () => {
  const { page } = await open(PAGES.status, 1280);
  try {
    const bytes = await page.evaluate(() => performance.getEntriesByType("resource")
      .filter((e) => /\.(css|js)(\?|$)/.test(e.name))
      .reduce((sum, e) => sum + (e.decodedBodySize || 0), 0));
    console.log(`CSS+JS on /status/: ${bytes} bytes`);
    assert.ok(bytes < 450_000, `${bytes} bytes of CSS+JS`);
  } finally {
    await page.close();
  }
});
