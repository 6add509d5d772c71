// Banshi's service worker. Bundled by esbuild and given its precache list by
// Workbox's injectManifest at build time (app/sw/build.mjs, run by trunk's
// post_build hook over the staging dir, so the list has the hashed names).
//
// What it keeps on the phone:
// - precached: the shell (index.html, served for `/`), the wasm and its JS
//   glue, the CSS, the manifest and icons — the whole app, offline;
// - the catalog API (`/api/events`, `/api/events/{id}`), stale-while-
//   revalidate: an event opened once opens again with no network. The
//   requests the page made before this worker controlled it are replayed
//   into the same cache by the app (`CACHE_URLS`, hooks/use_service_worker.rs).
// Navigations get the shell, whose loader starts the app for the path.
// A new version waits until the resident taps 有新版本，点击更新 (the app
// then sends SKIP_WAITING and reloads): never in the middle of a form.
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { StaleWhileRevalidate } from 'workbox-strategies';

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// The first install takes the open page at once, so what it fetches next
// (another event, a navigation) is kept for offline. An update does not:
// it waits for SKIP_WAITING.
clientsClaim();

registerRoute(new NavigationRoute(createHandlerBoundToURL('/'), { denylist: [/^\/api\//] }));

registerRoute(
  ({ url, request }) =>
    request.method === 'GET' && url.origin === self.location.origin && /^\/api\/events(\/[^/]+)?$/.test(url.pathname),
  new StaleWhileRevalidate({ cacheName: 'banshi-catalog' }),
);

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

// Background Sync: the app registers `banshi-outbox` while something waits
// to be sent; when the browser sees the network again it wakes this worker,
// which asks every open page to send its outbox (outbox.rs does the work:
// the drafts, photos and idempotency keys live in the page's IndexedDB and
// its wasm). With no page open nothing is sent: the outbox waits, safely,
// until the app is opened again.
self.addEventListener('sync', (event) => {
  if (event.tag !== 'banshi-outbox') return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((clients) => {
      for (const c of clients) c.postMessage({ type: 'FLUSH_OUTBOX' });
    }),
  );
});
