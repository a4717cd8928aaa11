// The service worker: the app shell and every built file are cached at
// install, so the app opens without a network. API calls are never cached
// here; offline writes wait in the app's own outbox (IndexedDB).
const CACHE = 'athlos-794e549314fe';
const PRECACHE = ["/","/assets/EditWorkout-CsB7Y-nc.js","/assets/Notifications-VhnQEio7.js","/assets/Records-BX7cxnNe.js","/assets/Settings-CnWp5vl9.js","/assets/Stats-nzXMTrXr.js","/assets/Upload-C88WCSxU.js","/assets/WorkoutCharts-BuzZ2sW0.js","/assets/WorkoutCharts-CnsZ1jie.css","/assets/WorkoutMap-BY9eB2jn.css","/assets/WorkoutMap-CDhehkdj.js","/assets/WorkoutPage-1dLQla1f.js","/assets/dist-BJrmHKyY.js","/assets/forms-DUKdyWPV.js","/assets/i18n-DvPAYEIM.js","/assets/index-CN5azOKs.js","/assets/index-jce9yke7.css","/assets/layers-2x-Bpkbi35X.png","/assets/layers-BWBAp2CZ.png","/assets/marker-icon-hN30_KVU.png","/assets/ru-DZWKkvi0.js","/assets/session-DQCAYhdL.js","/assets/useWorkout-BqY4n5ZJ.js","/icon-192.png","/icon-512.png","/icon.svg","/manifest.webmanifest"];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith('athlos-') && n !== CACHE).map((n) => caches.delete(n))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    // Pages: the network first (a new version shows at once), the cached
    // shell when offline. Every path is the same app.
    event.respondWith(fetch(request).catch(() => caches.match('/', { cacheName: CACHE })));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)));
});
