// The service worker: the app shell and every built file are cached at
// install, so the app opens without a network. API calls are never cached
// here; offline writes wait in the app's own outbox (IndexedDB).
const CACHE = 'athlos-78a5d4cc62b2';
const PRECACHE = ["/","/assets/BlockedPeople-DS7nzaVS.js","/assets/ChipChoice-B4Up7nEk.js","/assets/CompetitionPage-CzKFH-HD.js","/assets/Competitions-BdZAE1__.js","/assets/ConfirmDialog-DUdl1Q9d.js","/assets/EditEquipment-DeaMm8ao.js","/assets/EditWorkout-BbEo-cen.js","/assets/EquipmentForm-Cppkoqud.js","/assets/EquipmentList-lt4kBcpJ.js","/assets/EquipmentPage-emKKuGIA.js","/assets/FollowList-CGaxQfbG.js","/assets/FollowRequests-CmkruXza.js","/assets/Leaderboards-DYK4lcz7.js","/assets/MenuButton-CV3xRFVF.js","/assets/Moderation-n_eh5XyV.js","/assets/MyReports-BdhnGXJQ.js","/assets/MyTrainings--WOaWZ7c.js","/assets/NewCompetition-dCtxBS6V.js","/assets/Notifications-BMzhPw9D.js","/assets/PartnerOffers-BCc32SKi.js","/assets/PeopleList-CGaiMyWD.js","/assets/PeopleSearch-DM7tahtI.js","/assets/PersonPage-fuldfN6T.js","/assets/PlaceAround-C89wTnTm.js","/assets/PublicProfile-DMNt1Udq.js","/assets/Records-BpIh86g4.js","/assets/ReportDialog-Dc_kolHD.js","/assets/ReportSummary-Ddno8rtJ.js","/assets/Settings-CwLQeo1i.js","/assets/Stats-CgFdlNIY.js","/assets/StatusBadge-CFZzU5Wr.js","/assets/Upload-CC4Nuz97.js","/assets/WearBar-Ba-afBUi.js","/assets/WorkoutCharts-C15mvRO6.js","/assets/WorkoutCharts-CnsZ1jie.css","/assets/WorkoutMap-B8b7XYGH.js","/assets/WorkoutMap-BY9eB2jn.css","/assets/WorkoutPage-BwQ5MOdl.js","/assets/dist-BJrmHKyY.js","/assets/equipment-O6jCeEUv.js","/assets/equipment-_WGBqv8k.js","/assets/follows-CKT0cIYZ.js","/assets/forms-BUAn4FtC.js","/assets/i18n-Cj8c9fBt.js","/assets/index-4XufvYjX.js","/assets/index-iVBTlGgC.css","/assets/layers-2x-Bpkbi35X.png","/assets/layers-BWBAp2CZ.png","/assets/marker-icon-hN30_KVU.png","/assets/outbox-C-Wfj5xC.js","/assets/problems-PAHtarsW.js","/assets/regions-DTri6cu3.js","/assets/rolldown-runtime-WkwZ5CU-.js","/assets/ru-BrEncfg4.js","/assets/session-CcERdoI9.js","/assets/src-m-xNhfwl.js","/assets/useInfiniteQuery-DzK0i007.js","/assets/useMutation-LeE_AGJr.js","/assets/useWorkout-geiV-OGz.js","/assets/wording-CWQfy1z9.js","/assets/wording-DrVdWK1p.js","/icon-192.png","/icon-512.png","/icon.svg","/manifest.webmanifest"];

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
