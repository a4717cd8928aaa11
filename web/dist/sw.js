// The service worker: the app shell and every built file are cached at
// install, so the app opens without a network. API calls are never cached
// here; offline writes wait in the app's own outbox (IndexedDB).
const CACHE = 'athlos-4855ea68bf6e';
const PRECACHE = ["/","/assets/EditWorkout-BhpsUvfm.js","/assets/Records-ra2ZdP7n.js","/assets/Settings-DlYL3SrE.js","/assets/Stats-C7hoodA1.js","/assets/Upload-C3VpgVlN.js","/assets/WorkoutCharts-CbjlpM-_.js","/assets/WorkoutCharts-CnsZ1jie.css","/assets/WorkoutMap-BY9eB2jn.css","/assets/WorkoutMap-Btle3av0.js","/assets/WorkoutPage-uYsmPfs7.js","/assets/dist-BJrmHKyY.js","/assets/forms-DrvnBn1J.js","/assets/index-CE3FXj-Z.js","/assets/index-CHOC4eOv.css","/assets/layers-2x-Bpkbi35X.png","/assets/layers-BWBAp2CZ.png","/assets/marker-icon-hN30_KVU.png","/assets/queries-Tchxasen.js","/assets/ru-D-zyBafg.js","/assets/useWorkout-BzzWbD4N.js","/icon-192.png","/icon-512.png","/icon.svg","/manifest.webmanifest"];

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
