// The service worker: the app shell and every built file are cached at
// install, so the app opens without a network. API calls are never cached
// here; offline writes wait in the app's own outbox (IndexedDB).
const CACHE = 'athlos-ab5c0fa10d4a';
const PRECACHE = ["/","/assets/ChipChoice-B9fSxpZO.js","/assets/ConfirmDialog-YdmzUt76.js","/assets/EditEquipment-BXZyfLra.js","/assets/EditWorkout-By-6c7Mm.js","/assets/EquipmentForm-CoqplBjS.js","/assets/EquipmentList-mHguVKML.js","/assets/EquipmentPage-CyagGLMn.js","/assets/Notifications-CGS2n65q.js","/assets/PartnerOffers-BkbZ7oaY.js","/assets/Records-BxfN8utk.js","/assets/Settings-DnvAvFzc.js","/assets/Stats-BqMtizWw.js","/assets/Upload-6erp6yP0.js","/assets/WearBar-DiKmwC8s.js","/assets/WorkoutCharts-CnsZ1jie.css","/assets/WorkoutCharts-Y49ie7R5.js","/assets/WorkoutMap-BY9eB2jn.css","/assets/WorkoutMap-DNThqY_l.js","/assets/WorkoutPage-Df7TxugI.js","/assets/dist-BJrmHKyY.js","/assets/equipment-CGPs184M.js","/assets/equipment-_WGBqv8k.js","/assets/forms-BxZg6S7I.js","/assets/i18n-BghG5E9o.js","/assets/index-B1CwHzT9.css","/assets/index-DX2_fgsU.js","/assets/layers-2x-Bpkbi35X.png","/assets/layers-BWBAp2CZ.png","/assets/marker-icon-hN30_KVU.png","/assets/outbox-DP_6xhbM.js","/assets/regions-DTri6cu3.js","/assets/rolldown-runtime-WkwZ5CU-.js","/assets/ru-APYmci_t.js","/assets/session-CcERdoI9.js","/assets/src-qF2DI4zj.js","/assets/useWorkout-BpfL09wU.js","/icon-192.png","/icon-512.png","/icon.svg","/manifest.webmanifest"];

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
