// Shared by the browser tests: the bundled site built once into a temp folder,
// served over HTTP on 127.0.0.1 (404.html for unknown paths, nothing outside
// the folder), and Debian's headless Chromium launched with quiet flags.
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, resolve, sep } from "node:path";
import { chromium } from "playwright-core";

export const BIN = process.env.MITNUTZUNG_BIN;
export const ROOT = process.env.MITNUTZUNG_ROOT;
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".woff2": "font/woff2", ".svg": "image/svg+xml", ".json": "application/json", ".csv": "text/csv",
  ".xml": "application/xml", ".txt": "text/plain", ".xlsx": "application/octet-stream" };

/** The file of `publicDir` that a request path names, or null (also for "..", encoded or not). */
function fileOf(publicDir, url) {
  let path;
  try {
    path = decodeURIComponent(new URL(url, "http://x").pathname);
  } catch {
    return null;
  }
  if (path.endsWith("/")) path += "index.html";
  const file = resolve(publicDir, "." + path);
  return file.startsWith(publicDir + sep) ? file : null;
}

/** Build the site, serve it and start Chromium; `close()` undoes all three. */
export async function builtSite(prefix) {
  const out = mkdtempSync(join(tmpdir(), prefix));
  const publicDir = join(out, "public");
  execFileSync(BIN, ["build", "--root", ROOT, "--output", publicDir], { stdio: "pipe" });
  const server = createServer((req, res) => {
    const file = fileOf(publicDir, req.url);
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(readFileSync(join(publicDir, "404.html")));
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const close = async () => {
    await browser.close();
    server.close();
    rmSync(out, { recursive: true, force: true });
  };
  return { out, origin, browser, close };
}
