import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import { ApiError } from './api/problem';
import { useLoggedIn } from './api/queries';
import { I18nProvider } from './i18n';
import { Layout, VisitorLayout } from './Layout';
import { ExternalLogin } from './pages/auth/ExternalLogin';
import { Login } from './pages/auth/Login';
import { ResetPassword } from './pages/auth/ResetPassword';
import { SignUp } from './pages/auth/SignUp';
import { VerifyEmail } from './pages/auth/VerifyEmail';
import { Home } from './pages/Home';
import { NotFound } from './pages/NotFound';
import { LogWorkout } from './pages/workouts/LogWorkout';
import { Loading } from './ui/forms';

// Screens not needed for the first paint load when first opened.
const WorkoutPage = lazy(() => import('./pages/workouts/WorkoutPage'));
const EditWorkout = lazy(() => import('./pages/workouts/EditWorkout'));
const Upload = lazy(() => import('./pages/workouts/Upload'));
const Stats = lazy(() => import('./pages/Stats'));
const Records = lazy(() => import('./pages/Records'));
const Settings = lazy(() => import('./pages/settings/Settings'));
const Notifications = lazy(() => import('./pages/Notifications'));
const EquipmentList = lazy(() => import('./pages/equipment/EquipmentList'));
const EquipmentPage = lazy(() => import('./pages/equipment/EquipmentPage'));
const EditEquipment = lazy(() => import('./pages/equipment/EditEquipment'));
const PartnerOffers = lazy(() => import('./pages/partner/PartnerOffers'));
const MyTrainings = lazy(() => import('./pages/workouts/MyTrainings'));
const PeopleSearch = lazy(() => import('./pages/people/PeopleSearch'));
const PersonPage = lazy(() => import('./pages/people/PersonPage'));
const FollowList = lazy(() => import('./pages/people/FollowList'));
const FollowRequests = lazy(() => import('./pages/people/FollowRequests'));
const BlockedPeople = lazy(() => import('./pages/people/BlockedPeople'));
const PublicProfile = lazy(() => import('./pages/settings/PublicProfile'));
const MyReports = lazy(() => import('./pages/moderation/MyReports'));
const Moderation = lazy(() => import('./pages/moderation/Moderation'));
const Competitions = lazy(() => import('./pages/competitions/Competitions'));
const NewCompetition = lazy(() => import('./pages/competitions/NewCompetition'));
const CompetitionPage = lazy(() => import('./pages/competitions/CompetitionPage'));
const Leaderboards = lazy(() => import('./pages/competitions/Leaderboards'));
const Partners = lazy(() => import('./pages/partners/Partners'));
const Matches = lazy(() => import('./pages/partners/Matches'));
const Conversations = lazy(() => import('./pages/chat/Conversations'));
const ConversationPage = lazy(() => import('./pages/chat/ConversationPage'));

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A refusal will not change on a retry; a lost connection may.
      retry: (count, error) => count < 2 && error instanceof ApiError && error.isTransient,
      networkMode: 'offlineFirst',
    },
  },
});

/**
 * A training's page is open to anyone the server shows it to: a public
 * training's link works without an account, read-only, under a small header
 * that offers to log in or sign up.
 */
function WorkoutForAnyone({ id }: { id: string }) {
  if (useLoggedIn()) return <Private />;
  return (
    <VisitorLayout>
      <Suspense fallback={<Loading />}>
        <WorkoutPage id={id} />
      </Suspense>
    </VisitorLayout>
  );
}

function Private() {
  const [location] = useLocation();
  if (!useLoggedIn()) return <Redirect to={`/login?next=${encodeURIComponent(location)}`} replace />;
  return (
    <Layout>
      <Suspense fallback={<Loading />}>
        <Switch>
          <Route path="/" component={Home} />
          <Route path="/log" component={LogWorkout} />
          <Route path="/upload" component={Upload} />
          <Route path="/workouts/:id/edit">{(params) => <EditWorkout id={params.id} />}</Route>
          <Route path="/workouts/:id">{(params) => <WorkoutPage id={params.id} />}</Route>
          <Route path="/stats" component={Stats} />
          <Route path="/records" component={Records} />
          <Route path="/settings" component={Settings} />
          <Route path="/notifications" component={Notifications} />
          <Route path="/equipment" component={EquipmentList} />
          <Route path="/equipment/:id/edit">{(params) => <EditEquipment id={params.id} />}</Route>
          <Route path="/equipment/:id">{(params) => <EquipmentPage id={params.id} />}</Route>
          <Route path="/partner/offers" component={PartnerOffers} />
          <Route path="/trainings" component={MyTrainings} />
          <Route path="/people" component={PeopleSearch} />
          <Route path="/people/:id/followers">
            {(params) => <FollowList id={params.id} which="followers" />}
          </Route>
          <Route path="/people/:id/following">
            {(params) => <FollowList id={params.id} which="following" />}
          </Route>
          <Route path="/people/:id">{(params) => <PersonPage key={params.id} id={params.id} />}</Route>
          <Route path="/follow-requests" component={FollowRequests} />
          <Route path="/settings/profile" component={PublicProfile} />
          <Route path="/settings/blocked" component={BlockedPeople} />
          <Route path="/reports" component={MyReports} />
          <Route path="/moderation" component={Moderation} />
          <Route path="/competitions" component={Competitions} />
          <Route path="/competitions/new" component={NewCompetition} />
          <Route path="/competitions/:id">
            {(params) => <CompetitionPage key={params.id} id={params.id} />}
          </Route>
          <Route path="/leaderboards" component={Leaderboards} />
          <Route path="/partners" component={Partners} />
          <Route path="/partners/matches" component={Matches} />
          <Route path="/chat" component={Conversations} />
          <Route path="/chat/:id">{(params) => <ConversationPage key={params.id} id={params.id} />}</Route>
          <Route component={NotFound} />
        </Switch>
      </Suspense>
    </Layout>
  );
}

export function App() {
  // The first screen is on the page and answers input: bench/web reads this mark.
  useEffect(() => {
    performance.mark('athlos:interactive');
  }, []);
  return (
    <I18nProvider>
      <QueryClientProvider client={queries}>
        <Switch>
          <Route path="/login" component={Login} />
          <Route path="/login/external" component={ExternalLogin} />
          <Route path="/signup" component={SignUp} />
          <Route path="/verify-email" component={VerifyEmail} />
          <Route path="/reset-password" component={ResetPassword} />
          <Route path="/workouts/:id">{(params) => <WorkoutForAnyone id={params.id} />}</Route>
          <Route component={Private} />
        </Switch>
      </QueryClientProvider>
    </I18nProvider>
  );
}
