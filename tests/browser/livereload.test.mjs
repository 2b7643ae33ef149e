// Live reload in a real browser: Debian's headless Chromium driven by playwright-core.
// Run through `cargo test` (tests/it/browser.rs), which passes the binary and fixtures.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";
import { BIN, CHROMIUM, CHROMIUM_ARGS } from "./site.mjs";

const FIXTURES = process.env.MITNUTZUNG_FIXTURES;

// Serve prints this at the start of the line it writes after every successful rebuild.
const REBUILT = "Neu gebaut in ";

function startServe(root) {
  const child = spawn(BIN, ["serve", "--root", root, "--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
  const lines = createInterface({ input: child.stdout });
  const log = [];
  lines.on("line", (line) => log.push(line));
  // The rebuild lines after the URL (the first build's line comes before it).
  const rebuilt = () => log.slice(log.findIndex((l) => l.startsWith("Vorschau: ")) + 1).filter((l) => l.startsWith(REBUILT));
  // Resolves with the `count`-th rebuild line; fails after a generous timeout.
  const rebuilds = (count, timeout = 30000) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no rebuild line ${count} in ${timeout} ms: ${JSON.stringify(log)}`)), timeout);
    const check = () => {
      if (rebuilt().length >= count) {
        clearTimeout(timer);
        lines.off("line", check);
        resolve(rebuilt()[count - 1]);
      }
    };
    lines.on("line", check);
    check();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("serve printed no URL")), 15000);
    lines.on("line", (line) => {
      const match = line.match(/^Vorschau: (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], rebuilds });
      }
    });
  });
}

function site() {
  const root = mkdtempSync(join(tmpdir(), "mitnutzung-browser-"));
  cpSync(join(FIXTURES, "minimal"), root, { recursive: true });
  const paragraphs = Array.from({ length: 80 }, (_, i) => `Absatz ${i} mit etwas Text.`).join("\n\n");
  writeFileSync(join(root, "content/impressum.md"), `---\ntitle: Impressum\n---\n${paragraphs}\n\nSTAND-EINS\n`);
  return root;
}

test("an open tab reloads by itself after an edit, keeps its scroll position, and ignores other pages' edits", async () => {
  const root = site();
  const { child, url, rebuilds } = await startServe(root);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
    await page.goto(url + "impressum/");
    await page.waitForSelector("html[data-live-reload=verbunden]");
    await page.evaluate(() => window.scrollTo(0, 900));
    await page.evaluate(() => { window.ohneNeuladen = true; });
    // A second listener in the tab records every reload message the tab is sent.
    await page.evaluate(() => new Promise((resolve) => {
      window.meldungen = [];
      const source = new EventSource("/__mitnutzung/events");
      source.addEventListener("reload", (event) => window.meldungen.push(JSON.parse(event.data)));
      source.addEventListener("open", resolve);
    }));

    const other = join(root, "content/dienste/beta.md");
    writeFileSync(other, readFileSync(other, "utf8").replace("Beta ist einfach.", "Beta ist jetzt anders."));
    // The rebuild is done (however long it took) once serve printed its line;
    // its message goes out right after, and the tab has it once it is recorded.
    assert.match(await rebuilds(1), /: 1 Datei geändert\.$/);
    await page.waitForFunction(() => window.meldungen?.length === 1, null, { timeout: 10000 });
    assert.deepEqual(await page.evaluate(() => window.meldungen), [{ paths: ["/dienste/beta/"], css_only: false, errors_changed: false }]);
    assert.equal(await page.evaluate(() => window.ohneNeuladen), true, "an edit of another page must not reload this one");

    const file = join(root, "content/impressum.md");
    writeFileSync(file, readFileSync(file, "utf8").replace("STAND-EINS", "STAND-ZWEI"));
    await page.waitForFunction(() => document.body.innerText.includes("STAND-ZWEI"), null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => window.ohneNeuladen), undefined, "the tab reloaded");
    await page.waitForFunction(() => Math.abs(window.scrollY - 900) < 60, null, { timeout: 5000 })
      .catch(async () => assert.fail(`scroll position not kept: was 900, now ${await page.evaluate(() => window.scrollY)}`));

    writeFileSync(file, "---\ntitle: Impressum\n---\n[kaputt](@/fehlt.md)\n");
    await page.waitForSelector("#mitnutzung-fehler", { timeout: 10000 });
    assert.match(await page.textContent("#mitnutzung-fehler"), /content\/impressum\.md:4:1: Fehler\[broken-link\]: Der Link zeigt auf/);
    assert.ok(await page.evaluate(() => document.body.innerText.includes("STAND-ZWEI")), "the last good page stays under the overlay");
  } finally {
    await browser.close();
    child.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
