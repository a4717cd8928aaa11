// First load of the web client from the embedded server: the gzipped size of
// the JavaScript the first screen needs, and the time until it answers input
// (the app's `athlos:interactive` mark), cold (empty cache) and warm (service
// worker installed), unthrottled and on a throttled phone profile
// (Fast 3G-like network, CPU slowed 4×).
//
//   node bench/web/first-load.mjs [path/to/athlos]   (default: target/debug/athlos)
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, startServer } from '../../tests/browser/journeys/support.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
process.env.TEST_ATHLOS_BIN ??= process.argv[2] ?? join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'debug', 'athlos');

function initialScripts() {
  const html = readFileSync(join(ROOT, 'web', 'dist', 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  return files.map((file) => {
    const bytes = readFileSync(join(ROOT, 'web', 'dist', file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}

async function measure(browser, url, { throttle, runs = 5 }) {
  const cold = [];
  const warm = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    if (throttle) {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    }
    const interactive = async () => {
      await page.waitForFunction(() => performance.getEntriesByName('athlos:interactive').length > 0);
      return page.evaluate(() => performance.getEntriesByName('athlos:interactive')[0].startTime);
    };
    await page.goto(`${url}/login`);
    cold.push(await interactive());
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.goto(`${url}/login`);
    warm.push(await interactive());
    await context.close();
  }
  const median = (list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)];
  return { cold: median(cold), warm: median(warm) };
}

const scripts = initialScripts();
const total = scripts.reduce((sum, s) => sum + s.gzip, 0);
console.log('initial JavaScript (index.html script + modulepreloads):');
for (const s of scripts) console.log(`  ${s.file}: ${(s.raw / 1024).toFixed(1)} kB, ${(s.gzip / 1024).toFixed(1)} kB gzipped`);
console.log(`  total: ${(total / 1024).toFixed(1)} kB gzipped (budget 250 kB)`);

const server = await startServer();
const browser = await launch();
try {
  const fast = await measure(browser, server.url, { throttle: false });
  const phone = await measure(browser, server.url, { throttle: true });
  console.log('time to interactive, median of 5 (ms):');
  console.log(`  loopback, no throttling:   cold ${fast.cold.toFixed(0)}, warm ${fast.warm.toFixed(0)}`);
  console.log(`  Fast 3G + 4x slower CPU:   cold ${phone.cold.toFixed(0)}, warm ${phone.warm.toFixed(0)}`);
} finally {
  await browser.close();
  await server.stop();
}
