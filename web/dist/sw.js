// The service worker: the app shell and every built file are cached at
// install, so the app opens without a network. API calls are never cached
// here; offline writes wait in the app's own outbox (IndexedDB).
const CACHE = 'athlos-fad18acbdbd4';
const PRECACHE = ["/","/assets/BlockedPeople-DbTiuk8x.js","/assets/ChipChoice-as5LiU_n.js","/assets/CompetitionPage-z7kHU229.js","/assets/Competitions-CUu1zchI.js","/assets/ConfirmDialog-CSUlI1aT.js","/assets/ConversationPage-UWmV0lsp.js","/assets/Conversations-yGeS4Y4C.js","/assets/EditEquipment-DkpKu1Z-.js","/assets/EditWorkout-BGB8tjX7.js","/assets/EquipmentForm-BtlNHR3l.js","/assets/EquipmentList-D2O74cFS.js","/assets/EquipmentPage-BwFd6Gz8.js","/assets/FollowList-JBWv448e.js","/assets/FollowRequests-DlSb2nqp.js","/assets/Leaderboards-CLY5J-5e.js","/assets/Matches-55QVMeIP.js","/assets/MenuButton-DsZ-fiAH.js","/assets/Moderation-CF_vD8aR.js","/assets/MyReports-mcMZnh2O.js","/assets/MyTrainings-WD029SS1.js","/assets/NewCompetition-BXD-wgZc.js","/assets/Notifications-DclPIbOn.js","/assets/PartnerOffers-2fZNfQoI.js","/assets/Partners-CfrqpnaF.js","/assets/PeopleList-Dx1gSWGL.js","/assets/PeopleSearch-BQH2dNCP.js","/assets/PersonPage-aPkdaP3Y.js","/assets/PersonRow-B9xehas-.js","/assets/PlaceAround-Cfo6AIXp.js","/assets/PublicProfile-DLe8nbEp.js","/assets/Records-C8HFNN2A.js","/assets/ReportDialog-v5hXB-D9.js","/assets/ReportSummary-CaebDfkc.js","/assets/Settings-BK4IjFpn.js","/assets/Stats-BOReGV5D.js","/assets/StatusBadge-rlNmPM4o.js","/assets/Upload-BgIYXWFG.js","/assets/WearBar-CzJ5czXZ.js","/assets/WorkoutCharts-BzNUX8mk.js","/assets/WorkoutCharts-CnsZ1jie.css","/assets/WorkoutMap-BY9eB2jn.css","/assets/WorkoutMap-DYhNXLEE.js","/assets/WorkoutPage-BOHRZM4Y.js","/assets/dist-BJrmHKyY.js","/assets/equipment-Cu6B3FKd.js","/assets/equipment-_WGBqv8k.js","/assets/follows-D-Q2odtG.js","/assets/forms-C0yMCGyR.js","/assets/geohash-CjP1Sxr6.js","/assets/i18n-BCFxN91C.js","/assets/id-DtpKxE9L.js","/assets/index-CNQE2hwV.css","/assets/index-Kdjm5yP-.js","/assets/layers-2x-Bpkbi35X.png","/assets/layers-BWBAp2CZ.png","/assets/marker-icon-hN30_KVU.png","/assets/outbox-BpYLAXiD.js","/assets/partners-DIceoZFQ.js","/assets/problems-Cr6z3H1t.js","/assets/regions-DTri6cu3.js","/assets/rolldown-runtime-WkwZ5CU-.js","/assets/ru-BtICHwyn.js","/assets/session-CcERdoI9.js","/assets/src-BzMP9Pid.js","/assets/time-BAmxvsaZ.js","/assets/useInfiniteQuery-BGjvINDF.js","/assets/useMutation-Be2ldMrE.js","/assets/useWorkout-BzpT7jeP.js","/assets/wording-DrVdWK1p.js","/assets/wording-gvIwC7it.js","/icon-192.png","/icon-512.png","/icon.svg","/manifest.webmanifest"];

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
