// The service worker: the app shell and every built file are cached at
// install, so the app opens without a network. API calls are never cached
// here; offline writes wait in the app's own outbox (IndexedDB).
const CACHE = 'athlos-d395f7ae2062';
const PRECACHE = ["/","/assets/BlockedPeople-CV2KHfXw.js","/assets/ChipChoice-CoYSPJY6.js","/assets/CompetitionPage-CzsI329X.js","/assets/Competitions-XargTAsR.js","/assets/ConfirmDialog-CUi3JJtg.js","/assets/EditEquipment-DZa9UPD5.js","/assets/EditWorkout-FOPVJMO0.js","/assets/EquipmentForm-MxudtX5N.js","/assets/EquipmentList-D6KzHjPk.js","/assets/EquipmentPage-BVHDKY_X.js","/assets/FollowList-CcsvnVlx.js","/assets/FollowRequests-DMe7tQmV.js","/assets/Leaderboards-C1W1XLzR.js","/assets/MenuButton-DWjeDS3w.js","/assets/Moderation-B39J7Cwu.js","/assets/MyReports-gRISvKaN.js","/assets/MyTrainings-ZBxtWGUA.js","/assets/NewCompetition-C1F3linC.js","/assets/Notifications-CDvpm9iW.js","/assets/PartnerOffers-Csk4wCKD.js","/assets/PeopleList-D1zW3kTy.js","/assets/PeopleSearch-3HkR1tGS.js","/assets/PersonPage-Bh61iutu.js","/assets/PlaceAround-DvHc9xnG.js","/assets/PublicProfile-CCYAzRlg.js","/assets/Records--CzKL7-3.js","/assets/ReportDialog-DXljhOmq.js","/assets/ReportSummary-DAodVcFP.js","/assets/Settings-Bt6nJraF.js","/assets/Stats-DXGe5cLp.js","/assets/StatusBadge-rYfeiulE.js","/assets/Upload--gQPUan1.js","/assets/WearBar-Dgk4X8os.js","/assets/WorkoutCharts-CnsZ1jie.css","/assets/WorkoutCharts-DXLP-BFe.js","/assets/WorkoutMap-BY9eB2jn.css","/assets/WorkoutMap-CjK2QZnX.js","/assets/WorkoutPage-CBSin9qR.js","/assets/dist-BJrmHKyY.js","/assets/equipment-BDW6pq68.js","/assets/equipment-_WGBqv8k.js","/assets/follows-D7Cb122c.js","/assets/forms-DP7NRE_2.js","/assets/i18n-AXBZjD0N.js","/assets/index-D21F1hkX.css","/assets/index-D9owv11V.js","/assets/layers-2x-Bpkbi35X.png","/assets/layers-BWBAp2CZ.png","/assets/marker-icon-hN30_KVU.png","/assets/outbox-i4dpKpi1.js","/assets/problems-3C9pL4I4.js","/assets/regions-DTri6cu3.js","/assets/rolldown-runtime-WkwZ5CU-.js","/assets/ru-DRkBAvO6.js","/assets/session-CcERdoI9.js","/assets/src-Dgsicq2L.js","/assets/useInfiniteQuery-4_zUNlzU.js","/assets/useMutation-CrB1Yqtp.js","/assets/useWorkout-DQJaoAil.js","/assets/wording-BV9eYg9o.js","/assets/wording-DrVdWK1p.js","/icon-192.png","/icon-512.png","/icon.svg","/manifest.webmanifest"];

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
