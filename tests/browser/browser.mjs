// Shared set-up of the browser tests: Debian's Chromium driven by
// playwright-core (no browser download), headless, with background network
// features off so that the only requests are the page's own. Playwright
// starts every browser with a new temporary profile.
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.LUNGLENS_CHROMIUM ?? '/usr/bin/chromium';

// Chromium flags that offer WebGPU on SwiftShader, a software adapter, so
// that the WebGPU path runs on machines without a GPU.
export const softwareWebGpuArgs = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

// Starts headless Chromium. With webGpu false the GPU is off; with webGpu
// true WebGPU is offered on SwiftShader (softwareWebGpuArgs).
export function launchBrowser({ webGpu = false } = {}) {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox', ...(webGpu ? softwareWebGpuArgs : ['--disable-gpu']), '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

// Records requests to origins other than `origin`, console errors and
// uncaught exceptions of `page`, so tests can assert that all stay empty.
export function watchPage(page, origin) {
  const watch = { foreignRequests: [], consoleErrors: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => watch.consoleErrors.push(String(error)));
  page.on('request', (request) => {
    if (!request.url().startsWith(origin)) watch.foreignRequests.push(request.url());
  });
  return watch;
}
