// The service worker: the app shell and every built file are cached at
// install, so the app opens without a network. API calls are never cached
// here; offline writes wait in the app's own outbox (IndexedDB).
const CACHE = 'athlos-76047d7b2b73';
const PRECACHE = ["/","/assets/EditWorkout-ARP7DhwE.js","/assets/Records-BYFLafPH.js","/assets/Settings-DB2mHznB.js","/assets/Stats-CZlmGpTA.js","/assets/Upload-CSdTyUcL.js","/assets/WorkoutCharts-B2Jln_4X.js","/assets/WorkoutCharts-CnsZ1jie.css","/assets/WorkoutMap-BY9eB2jn.css","/assets/WorkoutMap-Yf8h887n.js","/assets/WorkoutPage-DIryWBfW.js","/assets/dist-BJrmHKyY.js","/assets/forms-CwTuDBm0.js","/assets/i18n-XRzDwjnl.js","/assets/index-CfiJ-Yjh.css","/assets/index-DBwH0v_J.js","/assets/layers-2x-Bpkbi35X.png","/assets/layers-BWBAp2CZ.png","/assets/marker-icon-hN30_KVU.png","/assets/ru-B6rq2R2A.js","/assets/session-DQCAYhdL.js","/assets/useWorkout-DjhCzh-t.js","/icon-192.png","/icon-512.png","/icon.svg","/manifest.webmanifest"];

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
