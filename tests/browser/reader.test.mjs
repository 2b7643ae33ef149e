// The bundled site as a reader uses it, in Debian's headless Chromium: the per-service
// checklist (ticks kept per service across a reload, reset), the step navigator's links,
// phones at 320 px (no sideways scrolling, Status visible in both tables), the status
// filter in the address (shared address, back button), umlaut folding in the search,
// the empty state, and the step page's service chooser and contents list.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { builtSite, ROOT } from "./site.mjs";

const SERVICE = "/dienste/beistandschaft/";
const OTHER_SERVICE = "/dienste/hilfen-zur-erziehung/";
const STATUS = "/status/";
const STEP = "/schritte/informationen-hinterlegen/";

let out, origin, browser;

let site;
before(async () => {
  site = await builtSite("mitnutzung-reader-");
  ({ out, origin, browser } = site);
});

after(async () => {
  await site?.close();
});

/** A fresh browser profile (own localStorage) with one page at the given width. */
async function context(width, height = width <= 320 ? 568 : 900) {
  const ctx = await browser.newContext({ viewport: { width, height } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { ctx, page, errors };
}

/** The municipality names of the bundled data (content/kommunen/*.yaml). */
function municipalities() {
  const dir = join(ROOT, "content", "kommunen");
  return readdirSync(dir).filter((f) => f.endsWith(".yaml")).map((f) => {
    const m = readFileSync(join(dir, f), "utf8").match(/^name:\s*["']?(.+?)["']?\s*$/m);
    return m ? m[1] : "";
  });
}

test("checklist: ticks survive a reload, are kept per service, and reset clears them; nothing is sent", async () => {
  const { ctx, page, errors } = await context(1280);
  try {
    await page.goto(origin + SERVICE, { waitUntil: "load" });
    const boxes = page.locator("section.step input[type=checkbox]");
    const total = await boxes.count();
    assert.ok(total >= 3, `only ${total} checkboxes`);
    assert.equal(await page.locator("section.step input[type=checkbox][disabled]").count(), 0, "boxes still disabled");
    // Every box has a label of its own (its task text), not the generic "Aufgabe offen".
    for (let i = 0; i < total; i++) {
      const box = boxes.nth(i);
      const id = await box.getAttribute("id");
      assert.ok(id, `box ${i} has no id`);
      const label = (await page.locator(`label[for="${id}"]`).textContent()).trim();
      assert.ok(label.length > 5, `box ${i} has no label text`);
      assert.equal(await box.getAttribute("aria-label"), null);
    }

    const firstStep = page.locator("section.step").first();
    const stepId = await firstStep.getAttribute("data-step");
    const stepBoxes = firstStep.locator("input[type=checkbox]");
    const inStep = await stepBoxes.count();
    const requests = [];
    page.on("request", (r) => requests.push(r.url()));

    // Tick by clicking the label text (the label association works).
    const firstId = await stepBoxes.first().getAttribute("id");
    await page.locator(`label[for="${firstId}"]`).click();
    await stepBoxes.nth(1).check();
    assert.ok(await stepBoxes.first().isChecked());
    const expected = `2 von ${inStep} erledigt`;
    assert.equal((await page.locator(`[data-progress="${stepId}"]`).textContent()).trim(), expected);
    assert.match(await firstStep.locator(".checklist-progress").textContent(), new RegExp(expected));
    await page.waitForFunction((t) => document.querySelector("[data-checklist] [role=status]").textContent.includes(t), expected);
    assert.deepEqual(requests, [], "ticking a box made a request");

    const key = await stepBoxes.first().getAttribute("data-task");
    assert.match(key, new RegExp(`^${stepId}:[0-9a-z]{7}$`), "task id = step id + hash of the text");
    const stored = JSON.parse(await page.evaluate(() => localStorage.getItem("mitnutzung:checkliste:beistandschaft")));
    assert.equal(stored[key], 1);

    await page.reload({ waitUntil: "load" });
    assert.ok(await stepBoxes.first().isChecked(), "tick lost on reload");
    assert.ok(await stepBoxes.nth(1).isChecked(), "second tick lost on reload");
    assert.ok(!(await stepBoxes.nth(2).isChecked()));
    assert.equal((await page.locator(`[data-progress="${stepId}"]`).textContent()).trim(), expected);

    // Another service has its own list: nothing ticked there.
    await page.goto(origin + OTHER_SERVICE, { waitUntil: "load" });
    assert.equal(await page.locator("section.step input[type=checkbox]:checked").count(), 0, "ticks leaked to another service");

    // Reset (after confirming) clears this service's ticks, also after a reload.
    await page.goto(origin + SERVICE, { waitUntil: "load" });
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Alle Häkchen zurücksetzen" }).click();
    assert.equal(await page.locator("section.step input[type=checkbox]:checked").count(), 0);
    assert.equal(await page.evaluate(() => localStorage.getItem("mitnutzung:checkliste:beistandschaft")), null);
    await page.reload({ waitUntil: "load" });
    assert.equal(await page.locator("section.step input[type=checkbox]:checked").count(), 0, "ticks back after reset");
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test("checklist: a task keeps its tick when the tasks before it change (id from the text, not the position)", async () => {
  const { ctx, page } = await context(1280);
  try {
    await page.goto(origin + SERVICE, { waitUntil: "load" });
    const step = page.locator("section.step").first();
    const second = step.locator("input[type=checkbox]").nth(1);
    const before = await step.locator("input[type=checkbox]").count();
    const key = await second.getAttribute("data-task");
    const label = await page.locator(`label[for="${await second.getAttribute("id")}"]`).textContent();
    // Store a tick for that task only, then take the first task out of the page before the script runs.
    await page.evaluate((k) => localStorage.setItem("mitnutzung:checkliste:beistandschaft", JSON.stringify({ [k]: 1 })), key);
    await page.route("**/dienste/beistandschaft/", async (route) => {
      const res = await route.fetch();
      const html = (await res.text()).replace(/<li><input[^>]*type=checkbox[^>]*>[^<]*<\/li>/, "");
      await route.fulfill({ response: res, body: html });
    });
    await page.reload({ waitUntil: "load" });
    assert.equal(await step.locator("input[type=checkbox]").count(), before - 1, "the first task was not taken out");
    const first = step.locator("input[type=checkbox]").first();
    assert.equal((await page.locator(`label[for="${await first.getAttribute("id")}"]`).textContent()).trim(), label.trim());
    assert.ok(await first.isChecked(), "the tick followed its task");
    assert.equal(await step.locator("input[type=checkbox]:checked").count(), 1);
  } finally {
    await ctx.close();
  }
});

test("without JavaScript the tasks are printable boxes and the navigator is a list of links", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  const page = await ctx.newPage();
  try {
    await page.goto(origin + SERVICE, { waitUntil: "load" });
    assert.ok(await page.locator("section.step input[type=checkbox][disabled]").count() > 0);
    assert.ok(await page.locator("nav.step-nav a[href^='#']").first().isVisible());
    assert.ok(await page.getByRole("button", { name: "Alle Häkchen zurücksetzen" }).isHidden());
  } finally {
    await ctx.close();
  }
});

for (const width of [1280, 320]) {
  test(`step navigator: every link reaches its target (${width} px)`, async () => {
    const { ctx, page, errors } = await context(width);
    try {
      await page.goto(origin + SERVICE, { waitUntil: "load" });
      const nav = page.locator("nav.step-nav");
      const details = nav.locator("details");
      // Wide: an open column beside the text; narrow: a closed <details> at the top.
      assert.equal(await details.evaluate((d) => d.open), width >= 960);
      if (width >= 960) {
        const box = await nav.boundingBox();
        const text = await page.locator(".service-main").boundingBox();
        assert.ok(box.x + box.width <= text.x, "navigator beside the text");
        assert.equal(await nav.evaluate((n) => getComputedStyle(n).position), "sticky");
      } else {
        const navTop = (await nav.boundingBox()).y;
        const factsTop = (await page.locator(".facts").boundingBox()).y;
        assert.ok(navTop < factsTop, "navigator at the top");
      }
      const hrefs = await nav.locator("a[href^='#']").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      const steps = await page.locator("section.step").count();
      assert.ok(hrefs.length > steps, `only ${hrefs.length} links`);
      for (const href of hrefs) {
        assert.equal(await page.locator(href).count(), 1, `no single target for ${href}`);
      }
      // Each step link scrolls its step heading into view, which says "Schritt n von N".
      const stepLinks = nav.locator(".step-nav__link");
      for (let i = 0; i < steps; i++) {
        if (!(await details.evaluate((d) => d.open))) {
          await nav.locator("summary").click();
        }
        const href = await stepLinks.nth(i).getAttribute("href");
        await stepLinks.nth(i).click();
        // (KERN scrolls smoothly: wait until the heading has arrived)
        await page.waitForFunction((h) => {
          const top = document.querySelector(h).getBoundingClientRect().top;
          return location.hash === h && top >= -2 && top < 200;
        }, href, { timeout: 5000 }).catch(() => {});
        const top = await page.locator(href).evaluate((el) => el.getBoundingClientRect().top);
        assert.equal(new URL(page.url()).hash, href);
        assert.ok(top >= -2 && top < 200, `${href} at ${top}`);
        assert.match(await page.locator(href).textContent(), new RegExp(`^Schritt ${i + 1} von ${steps}:`));
      }
      // "nach oben" at the end of each step.
      assert.equal(await page.locator("section.step > .to-top a[href='#inhalt']").count(), steps);
      assert.deepEqual(errors, []);
    } finally {
      await ctx.close();
    }
  });
}

test("320 px: no sideways scrolling; Status and date visible in the users table and the status table", async () => {
  const { ctx, page } = await context(320);
  try {
    for (const [path, row, statusCell, dateCell] of [
      [SERVICE, ".users tbody tr", "td:nth-child(3)", "td:nth-child(4)"],
      [STATUS, "table.status-table tbody tr[data-status]", "td:nth-child(4)", "td:nth-child(5)"],
    ]) {
      await page.goto(origin + path, { waitUntil: "load" });
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(scroll <= 0, `${path}: sideways scrolling by ${scroll} px`);
      const rows = page.locator(row);
      const n = await rows.count();
      assert.ok(n > 0, `${path}: no rows`);
      for (let i = 0; i < n; i++) {
        for (const [sel, label] of [[statusCell, /Status/], [dateCell, /seit/]]) {
          const cell = rows.nth(i).locator(sel);
          assert.ok(await cell.isVisible(), `${path}: row ${i} ${sel} hidden`);
          const box = await cell.boundingBox();
          assert.ok(box.x >= 0 && box.x + box.width <= 320, `${path}: row ${i} ${sel} outside the screen`);
          const before = await cell.evaluate((c) => getComputedStyle(c, "::before").content);
          assert.match(before, label, `${path}: row ${i} ${sel} not labelled`);
        }
        // No scroll container around a table that needs scrolling.
        const region = await rows.nth(i).evaluate((r) => {
          const s = r.closest(".table-scroll");
          return s ? s.scrollWidth - s.clientWidth : 0;
        });
        assert.ok(region <= 0, `${path}: the table scrolls sideways by ${region} px`);
      }
    }
    // Header and navigation: less than a third of the first screen.
    const bottom = await page.evaluate(() => document.querySelector(".site-nav").getBoundingClientRect().bottom);
    assert.ok(bottom < 568 / 3, `header and navigation end at ${bottom} px of 568`);
  } finally {
    await ctx.close();
  }
});

test("status filter: state in the address, a shared address opens filtered, the back button restores the previous filter", async () => {
  const { ctx, page, errors } = await context(1280);
  try {
    await page.goto(origin + STATUS, { waitUntil: "load" });
    const rows = page.locator("table.status-table tbody tr[data-status]");
    const total = await rows.count();
    const visible = () => page.locator("table.status-table tbody tr[data-status]:visible").count();
    const land = await page.locator("select[name=land] option").nth(1).getAttribute("value");

    await page.selectOption("select[name=land]", land);
    assert.equal(new URL(page.url()).searchParams.get("land"), land);
    const byLand = await visible();
    assert.ok(byLand > 0 && byLand < total);
    // The visible count changes at once (the announcement may wait).
    assert.match(await page.locator("#status_anzahl").textContent(), new RegExp(`^${byLand} von ${total}`));

    await page.selectOption("select[name=status]", { index: 1 });
    const status = await page.locator("select[name=status]").inputValue();
    assert.equal(new URL(page.url()).searchParams.get("status"), status);
    assert.equal(new URL(page.url()).searchParams.get("land"), land);

    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has("status"));
    assert.equal(await page.locator("select[name=status]").inputValue(), "");
    assert.equal(await page.locator("select[name=land]").inputValue(), land);
    assert.equal(await visible(), byLand);

    await page.goBack();
    await page.waitForFunction(() => location.search === "");
    assert.equal(await page.locator("select[name=land]").inputValue(), "");
    assert.equal(await visible(), total);

    await page.goForward();
    await page.waitForFunction(() => new URL(location.href).searchParams.has("land"));
    assert.equal(await visible(), byLand);

    // A shared address opens filtered.
    const service = await page.locator("select[name=dienst] option").nth(1).getAttribute("value");
    await page.goto(`${origin}${STATUS}?dienst=${encodeURIComponent(service)}&suche=`, { waitUntil: "load" });
    assert.equal(await page.locator("select[name=dienst]").inputValue(), service);
    const byService = await visible();
    assert.equal(byService, await page.locator(`table.status-table tbody tr[data-service="${service}"]`).count());
    assert.ok(byService < total);
    // An unknown value is ignored rather than hiding every row.
    await page.goto(`${origin}${STATUS}?status=gibt-es-nicht`, { waitUntil: "load" });
    assert.equal(await visible(), total);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test("status search folds umlauts: Muenster and Munster find Münster; the columns keep their width", async () => {
  const names = municipalities();
  const name = names.find((n) => /[äöüÄÖÜ]/.test(n));
  assert.ok(name, `no municipality with an umlaut in ${names.join(", ")}`);
  const spelled = name.replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/Ä/g, "Ae").replace(/Ö/g, "Oe").replace(/Ü/g, "Ue");
  const bare = name.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  const { ctx, page } = await context(1280);
  try {
    await page.goto(origin + STATUS, { waitUntil: "load" });
    const widths = () => page.locator("table.status-table thead th").evaluateAll((ths) => ths.map((th) => Math.round(th.getBoundingClientRect().width)));
    const before = await widths();
    const expected = await page.locator("table.status-table tbody tr[data-status]", { hasText: name }).count();
    assert.ok(expected > 0);
    for (const query of [name, spelled, bare, spelled.toLowerCase()]) {
      await page.fill("input[name=suche]", query);
      const shown = page.locator("table.status-table tbody tr[data-status]:visible");
      assert.equal(await shown.count(), expected, `"${query}"`);
      for (const text of await shown.allTextContents()) assert.ok(text.includes(name), `"${query}" found ${text}`);
      assert.match(await page.locator("#status_anzahl").textContent(), new RegExp(`^${expected} von `), "count not updated at once");
      assert.deepEqual(await widths(), before, `column widths changed for "${query}"`);
    }
    assert.equal(new URL(page.url()).searchParams.get("suche"), spelled.toLowerCase());
  } finally {
    await ctx.close();
  }
});

test("status filter: 'Keine Einträge gefunden' when nothing matches, announced", async () => {
  const { ctx, page } = await context(1280);
  try {
    await page.goto(origin + STATUS, { waitUntil: "load" });
    const empty = page.locator("table.status-table tbody tr.status-empty");
    assert.ok(await empty.isHidden());
    await page.fill("input[name=suche]", "xyzzy-gibt-es-nicht");
    assert.ok(await empty.isVisible());
    assert.match(await empty.textContent(), /Keine Einträge gefunden/);
    assert.equal(await page.locator("table.status-table tbody tr[data-status]:visible").count(), 0);
    assert.match(await page.locator("#status_anzahl").textContent(), /Keine Einträge gefunden/);
    await page.waitForFunction(() => document.querySelector("#status_ansage").textContent.includes("Keine Einträge gefunden"), null, { timeout: 3000 });
    await page.getByRole("button", { name: "Filter zurücksetzen" }).click();
    await page.waitForFunction(() => location.search === "");
    assert.ok(await empty.isHidden());
  } finally {
    await ctx.close();
  }
});

test("status filter: the labels match the column headers", async () => {
  const { ctx, page } = await context(1280);
  try {
    await page.goto(origin + STATUS, { waitUntil: "load" });
    const headers = (await page.locator("table.status-table thead th").allTextContents()).map((t) => t.trim());
    for (const id of ["status_filter_land", "status_filter_dienst", "status_filter_status"]) {
      const label = (await page.locator(`label[for=${id}]`).textContent()).trim();
      assert.ok(headers.includes(label), `label "${label}" is no column header (${headers.join(", ")})`);
    }
  } finally {
    await ctx.close();
  }
});

test("step page: the service chooser at the top, a contents list whose links reach their headings", async () => {
  const { ctx, page } = await context(1280);
  try {
    await page.goto(origin + STEP, { waitUntil: "load" });
    const chooser = page.locator("nav.service-chooser");
    const firstHeading = page.locator("article h2[id]:not(#schritt_inhalt)").first();
    assert.ok((await chooser.boundingBox()).y < (await firstHeading.boundingBox()).y, "chooser above the text");
    assert.match(await chooser.textContent(), /Diesen Schritt für einen bestimmten Dienst lesen/);
    const slug = STEP.split("/").filter(Boolean).pop();
    for (const href of await chooser.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
      assert.ok(href.endsWith(`/#${slug}`), href);
    }
    const tocLinks = page.locator("nav.page-toc a");
    const headings = await page.locator("article h2[id]:not(#schritt_inhalt)").count();
    assert.equal(await tocLinks.count(), headings);
    for (const href of await tocLinks.evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
      assert.equal(await page.locator(`article h2${href}`).count(), 1, href);
    }
    assert.ok(await page.locator("nav.pager a").count() >= 1, "previous/next");
  } finally {
    await ctx.close();
  }
});

test("print: the questionnaire's address, each step on a new sheet, 'erledigt am / durch', the date of the data", async () => {
  const { ctx, page } = await context(1280);
  try {
    await page.goto(origin + SERVICE, { waitUntil: "load" });
    await page.emulateMedia({ media: "print" });
    const download = page.locator(".site-main a[download]").first();
    const after = await download.evaluate((a) => getComputedStyle(a, "::after").content);
    assert.match(after, /https?:\/\/[^ ]+\/downloads\/[^ ]+\.xlsx/, after);
    const breaks = await page.locator("section.step").evaluateAll((s) => s.map((el) => getComputedStyle(el).breakBefore));
    assert.ok(breaks.every((b) => b === "page"), breaks.join());
    const task = page.locator("section.step li:has(> input[type=checkbox])").first();
    assert.match(await task.evaluate((li) => getComputedStyle(li, "::after").content), /erledigt am .* durch/);
    assert.ok(await page.locator(".data-date").isVisible());
    assert.ok(await page.locator("nav.step-nav").isHidden());
  } finally {
    await ctx.close();
  }
});

test("the service page stays under 12,100 px at 1280; the Länder table is folded there and printed unfolded", async () => {
  const { ctx, page } = await context(1280);
  try {
    await page.goto(origin + SERVICE, { waitUntil: "load" });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height < 12100, `service page is ${height} px high`);
    const folded = page.locator("details.laender-details");
    assert.equal(await folded.count(), 1);
    assert.equal(await folded.evaluate((d) => d.open), false);
    await page.emulateMedia({ media: "print" });
    const rows = await page.locator(".laender-details tbody tr").evaluateAll(
      (trs) => trs.filter((tr) => tr.getBoundingClientRect().height > 0).length);
    assert.equal(rows, 16, "all 16 Länder on paper");
    await page.goto(origin + "/schritte/vorbereitung/", { waitUntil: "load" });
    assert.equal(await page.locator("details.laender-details").count(), 0, "open on the step page");
    assert.equal(await page.locator(".laender-table tbody tr").count(), 16);
  } finally {
    await ctx.close();
  }
});
