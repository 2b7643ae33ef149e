// Live reload in a real browser: Debian's headless Chromium driven by playwright-core.
// Run through `cargo test` (tests/browser.rs), which passes the binary and fixtures.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const BIN = process.env.MITNUTZUNG_BIN;
const FIXTURES = process.env.MITNUTZUNG_FIXTURES;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

function startServe(root) {
  const child = spawn(BIN, ["serve", "--root", root, "--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("serve printed no URL")), 15000);
    lines.on("line", (line) => {
      const match = line.match(/^Vorschau: (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
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
  const { child, url } = await startServe(root);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
    await page.goto(url + "impressum/");
    await page.waitForSelector("html[data-live-reload=verbunden]");
    await page.evaluate(() => window.scrollTo(0, 900));
    await page.evaluate(() => { window.ohneNeuladen = true; });

    const other = join(root, "content/dienste/beta.md");
    writeFileSync(other, readFileSync(other, "utf8").replace("Beta ist einfach.", "Beta ist jetzt anders."));
    await new Promise((r) => setTimeout(r, 1500));
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
