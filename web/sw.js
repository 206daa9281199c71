// Service worker of the lunglens web app. At install it caches every file
// that site-files.json lists under "files": the app, both WebAssembly builds,
// the vendor files (ONNX Runtime Web included) and the neural engine's
// models. So the app and both engines work offline once the page has been
// loaded. The files under "cachedOnUse" (the WebGPU build of ONNX Runtime
// Web) are cached when a page first loads them.
//
// scripts/build-web.sh replaces the build id below with a hash of the site's
// files. A changed hash changes this file, so the browser installs the new
// version and the old cache is deleted on activation.
'use strict';

const buildId = '__LUNGLENS_BUILD_ID__';
const cacheName = `lunglens-${buildId}`;
const scopeUrl = new URL(self.registration.scope);
// Site paths (relative to the scope) cached when first loaded: site-files.json's "cachedOnUse".
const cachedOnUse = new Set(__LUNGLENS_CACHED_ON_USE__);

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const manifestUrl = new URL('site-files.json', scopeUrl);
    const response = await fetch(manifestUrl, { cache: 'no-cache' });
    if (!response.ok) throw new Error(`${manifestUrl} returned HTTP ${response.status}`);
    const { files } = await response.json();
    const cache = await caches.open(cacheName);
    await cache.addAll(files.map((file) => new URL(file, scopeUrl).href));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('lunglens-') && name !== cacheName) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// Cache first for the site's own files. A file missing from the cache comes
// from the network. A file of cachedOnUse is then cached too when the
// response is a complete 200 without redirect. Requests to other origins are
// not handled (the page's CSP forbids them).
self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== scopeUrl.origin) return;

  event.respondWith((async () => {
    const cache = await caches.open(cacheName);
    const key = url.pathname.endsWith('/') ? new URL('index.html', url).href : url.href;
    const cached = await cache.match(key, { ignoreSearch: true });
    if (cached) return cached;

    const response = await fetch(request);
    const sitePath = url.pathname.slice(scopeUrl.pathname.length);
    if (cachedOnUse.has(sitePath) && response.status === 200 && response.type === 'basic' && !response.redirected)
      event.waitUntil(cache.put(new URL(url.pathname, url.origin).href, response.clone()));
    return response;
  })());
});
