// The questionnaire form /dienste/<id>/fragebogen/ in headless Chromium:
// the error summary and the messages at the fields (the Rust rules' texts),
// PVOG rows and persons added and removed, a draft kept only when asked for,
// no request to another host, and the filled-in XLSX captured as a download
// and read back with openpyxl by its defined names (and by LibreOffice).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT, builtSite } from "./site.mjs";

const FORM = "/dienste/beistandschaft/fragebogen/";
let site, origin, browser, out;

before(async () => {
  site = await builtSite("mitnutzung-form-");
  ({ origin, browser, out } = site);
});

after(async () => {
  await site?.close();
});

/** The form page in a fresh context; `foreign` collects requests to other hosts. */
async function open(width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const foreign = [];
  const errors = [];
  page.on("request", (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) foreign.push(r.url()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(origin + FORM, { waitUntil: "load" });
  return { context, page, foreign, errors };
}

/** The build's rules, as the page carries them. */
async function rules(page) {
  return page.evaluate(() => JSON.parse(document.getElementById("fragebogen_daten").textContent).rules);
}

const VALUES = {
  kommune: "Gera",
  land: "Thüringen",
  ags: "16052000",
  amt: "Jugendamt",
  anschrift: "Gagarinstraße 99, 07545 Gera",
  zustaendigkeit: "Stadt Gera",
  logo: "https://www.gera.de/logo.svg",
  oe_id: "L100012.OE.225060530",
  dse: "https://www.gera.de/datenschutz",
  postfach_antraege: "jugendamt@gera.de",
  "fachlich.1.name": "Erika Muster",
  "fachlich.1.email": "erika.muster@gera.de",
  "technisch.name": "Max Technik",
  "technisch.email": "it@gera.de",
  "technisch.telefon": "+49 365 838-0",
  "ausgefuellt_von.name": "Fritz Füller",
  "ausgefuellt_von.email": "fritz@gera.de",
  ausgefuellt_am: "2026-12-02",
};

async function fillRequired(page, values = VALUES) {
  for (const [name, value] of Object.entries(values)) {
    const el = page.locator(`[data-name="${name}"]`);
    if ((await el.count()) === 0) continue;
    if ((await el.evaluate((e) => e.tagName)) === "SELECT") await el.selectOption(value);
    else await el.fill(value);
  }
  await page.fill("#f_pvog_1_A", "99072002077000");
  await page.fill("#f_pvog_1_B", "Beistandschaft");
  await page.fill("#f_pvog_1_C", "Gera");
  await page.fill("#f_pvog_1_D", "160520000000");
  await page.fill("#f_pvog_1_E", "https://pvog.example.de/gera/beistandschaft");
}

test("an empty submit shows the error summary with links to the fields", async () => {
  const { context, page, errors } = await open();
  try {
    assert.equal(await page.locator("[data-error-summary]").isVisible(), false);
    await page.click("button[data-download]");
    const summary = page.locator("[data-error-summary]");
    assert.ok(await summary.isVisible());
    assert.equal(await page.evaluate(() => document.activeElement.id), "fehler_zusammenfassung");
    assert.match(await page.title(), /^Fehler: /);
    const links = await summary.locator("a").evaluateAll((as) => as.map((a) => [a.getAttribute("href"), a.textContent]));
    assert.ok(links.length >= 8, JSON.stringify(links));
    assert.ok(links.some(([href, text]) => href === "#f_kommune" && text === "Geben Sie „Name der Kommune“ an."), JSON.stringify(links));
    assert.ok(links.some(([href]) => href === "#f_pvog_1_E"), "the PVOG table is required");
    // the message at the field, tied to it
    const kommune = page.locator("#f_kommune");
    assert.equal(await kommune.getAttribute("aria-invalid"), "true");
    assert.match(await kommune.getAttribute("aria-describedby"), /f_kommune_fehler/);
    assert.equal(await page.locator("#f_kommune_fehler").textContent(), "Geben Sie „Name der Kommune“ an.");
    // a link of the summary moves the focus to its field
    await summary.locator('a[href="#f_kommune"]').click();
    assert.equal(await page.evaluate(() => document.activeElement.id), "f_kommune");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a wrong e-mail address gets the message of the build's rule", async () => {
  const { context, page } = await open();
  try {
    const email = (await rules(page)).email;
    await fillRequired(page);
    await page.fill('[data-name="postfach_antraege"]', "stelle@gera");
    await page.click("button[data-download]");
    const message = await page.locator("#f_postfach_antraege_fehler").textContent();
    assert.equal(message, `${email.message} ${email.hint}`);
    const summary = await page.locator("[data-error-list]").textContent();
    assert.ok(summary.includes(email.message), summary);
    const items = await page.locator("[data-error-list] li").allTextContents();
    assert.equal(items.length, 1, items.join("\n"));
    // fixed: the message goes at the next change
    await page.fill('[data-name="postfach_antraege"]', "stelle@gera.de");
    await page.locator('[data-name="postfach_antraege"]').dispatchEvent("change");
    assert.equal(await page.locator("#f_postfach_antraege_fehler").isVisible(), false);
    assert.equal(await page.locator("[data-error-summary]").isVisible(), false);
  } finally {
    await context.close();
  }
});

test("an AGS of another Land gets import's message, at the AGS field", async () => {
  const { context, page } = await open();
  try {
    await fillRequired(page);
    await page.locator('[data-name="land"]').selectOption("Bayern");
    await page.click("button[data-download]");
    assert.equal(
      await page.locator("#f_ags_fehler").textContent(),
      "Der Gemeindeschlüssel „16052000“ gehört zu Thüringen, nicht zu Bayern. Die ersten beiden Ziffern sind die Nummer des Landes (09 für Bayern); prüfen Sie Land und Gemeindeschlüssel.",
    );
    const items = await page.locator("[data-error-list] li").allTextContents();
    assert.equal(items.length, 1, items.join("\n"));
    assert.match(items[0], /gehört zu Thüringen, nicht zu Bayern\.$/);
    // the Land that fits clears it
    await page.locator('[data-name="land"]').selectOption("Thüringen");
    assert.equal(await page.locator("#f_ags_fehler").isVisible(), false);
    assert.equal(await page.locator("[data-error-summary]").isVisible(), false);
  } finally {
    await context.close();
  }
});

test("a LeiKa key that is not the service's gets import's message in its PVOG row", async () => {
  // The bundled services have no confirmed key yet, so the page is given one.
  const { context, page } = await open();
  try {
    await page.route(origin + FORM, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('"leikas":[]},"inputs"', '"leikas":[["99000000001000","Beispiel"]]},"inputs"');
      assert.ok(body.includes("99000000001000"), "the page's data has the place for the keys");
      await route.fulfill({ response, body });
    });
    await page.reload({ waitUntil: "load" });
    await fillRequired(page);
    await page.click("button[data-download]");
    assert.equal(
      await page.locator("#f_pvog_1_A_fehler").textContent(),
      "Der LeiKa-Schlüssel „99072002077000“ gehört nicht zu diesem Dienst. Die Schlüssel des Dienstes: 99000000001000.",
    );
    const items = await page.locator("[data-error-list] li").allTextContents();
    assert.deepEqual(items, ["PVOG-Links, Zeile 1, LeiKa: Der LeiKa-Schlüssel „99072002077000“ gehört nicht zu diesem Dienst."]);
  } finally {
    await context.close();
  }
});

test("PVOG rows and contact persons are added and removed", async () => {
  const { context, page } = await open();
  try {
    const rows = page.locator("[data-pvog-row]");
    assert.equal(await rows.count(), 1);
    assert.equal(await page.locator("[data-remove-row]").first().isVisible(), false);
    await page.click("[data-add-row]");
    assert.equal(await rows.count(), 2);
    assert.equal(await page.evaluate(() => document.activeElement.id), "f_pvog_2_A");
    assert.equal(await page.locator('label[for="f_pvog_2_E"]').count(), 1);
    await page.fill("#f_pvog_2_C", "Zeile zwei");
    await page.click("[data-add-row]");
    await page.fill("#f_pvog_3_C", "Zeile drei");
    await rows.nth(1).locator("[data-remove-row]").click();
    assert.equal(await rows.count(), 2);
    assert.equal(await page.inputValue("#f_pvog_2_C"), "Zeile drei", "the rows are numbered again");
    assert.equal(await page.locator("#f_pvog_3_C").count(), 0);

    const second = page.locator('[data-person="fachlich.2"]');
    assert.equal(await second.isVisible(), false);
    await page.locator('[data-person="fachlich.1"] [data-add-person]').click();
    assert.ok(await second.isVisible());
    assert.equal(await page.evaluate(() => document.activeElement.id), "f_fachlich_2_name");
    await page.fill("#f_fachlich_2_name", "Zweite Person");
    await second.locator("[data-remove-person]").click();
    assert.equal(await second.isVisible(), false);
    assert.equal(await page.inputValue("#f_fachlich_2_name"), "");
  } finally {
    await context.close();
  }
});

test("a draft is kept only when asked for, and deleted", async () => {
  const { context, page } = await open();
  try {
    const key = "mitnutzung-fragebogen-beistandschaft";
    await page.fill("#f_kommune", "Gera");
    await page.locator("#f_kommune").dispatchEvent("change");
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), key), null, "nothing stored without asking");
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    await page.click("[data-draft-save]");
    const stored = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), key));
    assert.equal(stored.values.kommune, "Gera");
    assert.ok(await page.locator("[data-draft-delete]").isVisible());
    // a new visit gets it back
    await page.reload();
    assert.equal(await page.inputValue("#f_kommune"), "Gera");
    assert.match(await page.locator("[data-status]").textContent({ timeout: 2000 }), /Entwurf|^$/);
    await page.click("[data-draft-delete]");
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), key), null);
    assert.equal(await page.locator("[data-draft-delete]").isVisible(), false);
    await page.reload();
    assert.equal(await page.inputValue("#f_kommune"), "");
  } finally {
    await context.close();
  }
});

test("the filled-in questionnaire downloads as the service's XLSX with the values in its named cells", async () => {
  const { context, page, foreign, errors } = await open();
  const dir = mkdtempSync(join(tmpdir(), "mitnutzung-form-dl-"));
  try {
    await fillRequired(page);
    await page.fill('[data-name="bemerkungen"]', "Zeile 1\nZeile 2 <b>&</b>");
    await page.click("[data-add-row]");
    await page.fill("#f_pvog_2_A", "99072002077000");
    await page.fill("#f_pvog_2_C", "Gera-Langenberg");
    await page.fill("#f_pvog_2_E", "https://pvog.example.de/gera/2");
    await page.fill("#f_pvog_2_F", "2026-12-01");
    const mailto = await page.locator("a[data-mailto]").first().getAttribute("href");
    assert.equal(decodeURIComponent(mailto.split("subject=")[1]), "Anbindungsfragebogen Beistandschaft – Gera");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("button[data-download]")]);
    assert.equal(download.suggestedFilename(), "anbindungsfragebogen-beistandschaft-gera.xlsx");
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    assert.equal(await page.locator("[data-error-summary]").isVisible(), false);
    assert.deepEqual(foreign, [], "no request leaves the origin");
    assert.deepEqual(errors, []);

    const script = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
def value(name):
    dest = list(wb.defined_names[name].destinations)[0]
    return wb[dest[0]][dest[1].replace("$", "")].value
names = [n for n in wb.defined_names if not n.startswith("_") and n != "pvog"]
pvog = wb["PVOG-Links"]
rows = [[c.value for c in pvog[r]][:6] for r in (5, 6, 7)]
print(json.dumps({"values": {n: value(n) for n in names}, "meta": value("_dienst"), "pvog": rows}))
`;
    const read = JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" }));
    for (const [name, expected] of Object.entries(VALUES)) {
      assert.equal(read.values[name], expected, name);
    }
    assert.equal(read.values.bemerkungen, "Zeile 1\nZeile 2 <b>&</b>");
    assert.equal(read.values.ausgefuellt_am, "2026-12-02");
    assert.equal(read.values["fachlich.2.name"], null);
    assert.equal(read.meta, "beistandschaft");
    assert.deepEqual(read.pvog[0], ["99072002077000", "Beistandschaft", "Gera", "160520000000", "https://pvog.example.de/gera/beistandschaft", null]);
    assert.deepEqual(read.pvog[1], ["99072002077000", null, "Gera-Langenberg", null, "https://pvog.example.de/gera/2", "2026-12-01"]);
    assert.deepEqual(read.pvog[2], [null, null, null, null, null, null]);

    // LibreOffice opens it too
    execFileSync("soffice", ["--headless", "--convert-to", "csv", "--outdir", dir, file], { stdio: "pipe", timeout: 120000 });
    const csv = readFileSync(join(dir, "anbindungsfragebogen-beistandschaft-gera.csv"), "utf8");
    assert.ok(csv.includes("Gera") && csv.includes("jugendamt@gera.de"), csv);

    // The Betriebskoordination imports it into a copy of the site and builds:
    // Gera (live, so --force) is at "questionnaire", its contacts nowhere public.
    const copy = join(dir, "site");
    for (const part of ["content", "themes"]) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    execFileSync(BIN, ["import", file, "--root", copy, "--service", "beistandschaft", "--force", "--since", "2026-12-02"], { stdio: "pipe" });
    const yaml = readFileSync(join(copy, "content/kommunen/gera.yaml"), "utf8");
    assert.ok(yaml.includes("erika.muster@gera.de"), "the contact is kept under internal:");
    execFileSync(BIN, ["build", "--root", copy, "--output", join(copy, "public")], { stdio: "pipe" });
    const status = readFileSync(join(copy, "public/status.csv"), "utf8");
    assert.ok(status.includes("Thüringen,Gera,gera,16052000,beistandschaft,Beistandschaft,questionnaire,Fragebogen ausfüllen,2026-12-02,true"), status);
    // and on /status/: Gera's row for the service, at the questionnaire since that day
    const statusPage = readFileSync(join(copy, "public/status/index.html"), "utf8");
    const row = statusPage.split("<tr").find((r) => r.includes("data-service=beistandschaft") && r.includes(">Gera<"));
    assert.ok(row, "no row for Gera and Beistandschaft on /status/");
    assert.ok(row.includes("data-status=questionnaire") && row.includes("Fragebogen ausfüllen") && row.includes("<time datetime=2026-12-02>02.12.2026</time>"), row);
    const files = readdirSync(join(copy, "public"), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    for (const f of files) {
      const bytes = readFileSync(join(f.parentPath ?? f.path, f.name));
      for (const secret of ["erika.muster@gera.de", "it@gera.de", "fritz@gera.de", "Gagarinstraße"]) {
        assert.ok(!bytes.includes(Buffer.from(secret, "utf8")), `${f.name} publishes ${secret}`);
      }
    }
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("without JavaScript the page lists every field and the download, and hides the script's buttons", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(origin + FORM);
    assert.equal(await page.locator("button[data-download]").isVisible(), false);
    assert.equal(await page.locator("[data-draft-save]").isVisible(), false);
    assert.ok(await page.locator("#f_kommune").isVisible());
    assert.ok(await page.locator('[data-person="fachlich.3"]').isVisible(), "every slot is listed");
    assert.ok(await page.locator('a[href="/downloads/anbindungsfragebogen-beistandschaft.xlsx"]').first().isVisible());
    assert.ok((await page.locator("body").textContent()).includes("Pflichtangabe"));
  } finally {
    await context.close();
  }
});
