// The API's shapes, taken from the server's own OpenAPI document: schema.d.ts
// is generated from web/openapi.json (`npm run types`), so `tsc` checks every
// screen against what the server says it sends. Nothing here is written by
// hand but the analysis of a track, which the document leaves a free object.
import type { components, paths } from './schema';

type Schemas = components['schemas'];

export type Privacy = Schemas['Privacy'];
export type Units = Schemas['Units'];
/** The languages the app speaks; the server titles trainings in the account's. */
export type Language = Schemas['Language'];
export type Account = Schemas['Account'];
export type AccountChange = Schemas['ProfileChange'];
/** What competitions place a person in categories by, with the year of birth and the weight. */
export type Sex = Schemas['Sex'];
export type ServerInfo = Schemas['ServerInfo'];
export type Sport = Schemas['Sport'];
export type NewWorkout = Schemas['NewWorkout'];
export type WorkoutChanges = Schemas['WorkoutChanges'];
export type Totals = Schemas['Totals'];
export type Stats = Schemas['Stats'];
export type PeriodTotals = Schemas['PeriodTotals'];
export type SportRecords = Schemas['SportRecords'];
export type RecordValue = Schemas['Record'];
export type BestEffortRecord = Schemas['BestEffortRecord'];
export type Photo = Schemas['Photo'];
export type Session = Schemas['Session'];
export type Passkey = Schemas['PasskeyInfo'];
export type ConnectedApp = Schemas['ConnectedApp'];
export type ExportInfo = Schemas['ExportInfo'];
export type Tokens = Schemas['Tokens'];
export type LoginAnswer = Schemas['LoginOutcome'];
export type Problem = Schemas['Problem'];

/** The owner of a workout as the server names it beside it (name and picture). */
export type Owner = Schemas['PublicProfile'];

// What a track's analysis holds. The document types `analysis` as a free
// object, so this part is the one the compiler cannot check against it.
export interface Split {
  number: number;
  distance_m: number;
  /** Null when the split is not timed all through (a file with gaps in its times). */
  seconds: number | null;
}

export interface BestEffort {
  distance_m: number;
  seconds: number;
  starts_at_m: number;
}

export interface Sample {
  distance_m: number;
  elapsed_s?: number | null;
  elevation_m?: number | null;
  heart_rate?: number | null;
  speed_mps?: number | null;
}

export interface Analysis {
  splits_km: Split[];
  splits_mile: Split[];
  best_efforts: BestEffort[];
  heart_rate?: { average: number; max: number; seconds_in_zones: number[] } | null;
  /** `[lat, lon]`; a null between two of a file's segments, which are not joined. */
  shape: ([number, number] | null)[];
  /** Samples along the distance; a null between two segments. */
  series: (Sample | null)[];
}

type DocumentedWorkout = Schemas['Workout'];

export type Workout = Omit<DocumentedWorkout, 'analysis'> & { analysis?: Analysis | null };

export type WorkoutPage = Omit<Schemas['WorkoutPage'], 'items'> & { items: Workout[] };

// Offline sync (docs/sync.md). A change's and a result's `record` is a free
// object in the document: it is the record as its own route shows it (a
// workout without its analysis, or an item), typed here by hand; so are a
// mutation's `fields`, which are the regular routes' own.
export type SyncEntity = Schemas['Entity'];
export type Changeable = Schemas['Changeable'];
export type SyncOp = Schemas['Op'];
export type SyncStatus = Schemas['Status'];
export type SyncRecord = Omit<DocumentedWorkout, 'analysis'> | Schemas['Equipment'];
export type SyncChange = Omit<Schemas['Change'], 'record'> & { record?: SyncRecord | null };
export type SyncChanges = Omit<Schemas['Changes'], 'changes'> & { changes: SyncChange[] };
export type SyncMutation = Omit<Schemas['Mutation'], 'fields'> & { fields: Record<string, unknown> };
export type SyncPush = Omit<Schemas['NewMutations'], 'mutations'> & { mutations: SyncMutation[] };
export type SyncResult = Omit<Schemas['MutationResult'], 'record'> & { record?: SyncRecord | null };
export type SyncPushed = Omit<Schemas['Pushed'], 'results'> & { results: SyncResult[] };

// Inventory: equipment, its parts and usage, partners' offers.
export type EquipmentKind = Schemas['Kind'];
export type ComponentKind = Schemas['ComponentKind'];
export type Usage = Schemas['Usage'];
export type Component = Schemas['Component'];
export type Equipment = Schemas['Equipment'];
export type NewEquipment = Schemas['NewEquipment'];
export type EquipmentChanges = Schemas['EquipmentChanges'];
export type NewComponent = Schemas['NewComponent'];
/** A part's new name or threshold: what is left out stays; a `null` threshold never warns. */
export type ComponentChanges = Schemas['ComponentChanges'];
/** The day an item was retired (`YYYY-MM-DD`); today when left out. */
export type Retirement = Schemas['Retirement'];
export type MonthlyUsage = Schemas['MonthlyUsage'];
/** Whether offers are shown to the person, and the country they may be aimed at. */
export type EquipmentSettings = Schemas['Settings'];
export type Offer = Schemas['Offer'];
export type Promotion = Schemas['Promotion'];
export type NewPromotion = Schemas['NewPromotion'];
export type PromotionChanges = Schemas['PromotionChanges'];

// Social: profiles, follows, the feed, kudos, comments and moderation.
export type Person = Schemas['PublicProfile'];
export type PeoplePage = Schemas['PeoplePage'];
export type FollowState = Schemas['FollowState'];
/** What a person tells others: bio, sports, a coarse home area, public or private. */
export type AboutMe = Schemas['StoredProfile'];
export type KudosState = Schemas['KudosState'];
export type Comment = Schemas['Comment'];
export type NewComment = Schemas['NewComment'];
export type CommentChange = Schemas['CommentChange'];
export type Report = Schemas['Report'];
export type NewReport = Schemas['NewReport'];
export type ReportSubject = Schemas['Subject'];
export type ReportReason = Schemas['Reason'];
export type Decision = Schemas['Decision'];
export type ModerationAction = Schemas['Action'];
export type LoggedAction = Schemas['LoggedAction'];
export type Role = Schemas['Role'];

/** A feed entry's route: at most 64 `[lat, lon]`, a null between segments (a free array in the document). */
export type RouteShape = ([number, number] | null)[];

export type FeedEntry = Omit<Schemas['Entry'], 'shape'> & { shape: RouteShape };

export type FeedPage = Omit<Schemas['FeedPage'], 'items'> & { items: FeedEntry[] };

/** What a viewer may see of someone's trainings: how many, how far, how long. */
export type ProfileTotals = Schemas['ProfileTotals'];
export type ProfileRecord = Schemas['ProfileRecord'];

export type Profile = Omit<Schemas['Profile'], 'recent'> & { recent: FeedEntry[] };

// Competitions: what organisers set up, entries, teams and boards.
/** Which competitions to list: joined, open, past or organised (a query parameter, not a schema). */
export type Shelf = NonNullable<
  NonNullable<paths['/api/v1/competitions']['get']['parameters']['query']>['shelf']
>;
export type CompetitionStatus = Schemas['CompetitionStatus'];
export type Team = Schemas['CompetitionTeam'];
export type NewTeam = Schemas['NewTeam'];
export type EntryChoice = Schemas['EntryChoice'];
export type Disqualification = Schemas['Disqualification'];
export type Standing = Schemas['Standing'];
export type BoardPage = Schemas['BoardPage'];
export type AroundMe = Schemas['AroundMe'];
/** What a competition measures. */
export type CompetitionKind = Schemas['CompetitionKind'];
/** Someone's entry in a competition. */
export type CompetitionEntry = Schemas['CompetitionEntry'];
export type Competition = Schemas['CompetitionView'];
export type CompetitionPage = Schemas['CompetitionPage'];
export type NewCompetition = Schemas['NewCompetition'];

// Partners and chat (docs/partners.md): finding people to train with, and one-to-one conversations.
/** A day someone trains on: `mon` … `sun`. */
export type Weekday = Schemas['Day'];
/** Morning 5–10, midday 10–14, afternoon 14–18, evening 18–23. */
export type TimeOfDay = Schemas['TimeOfDay'];
/** A sport to find company for and the speeds (km/h) one trains at in it. */
export type SportLevel = Schemas['SportLevel'];
/** What one opts in with; `home_area` (a geohash) left out takes the profile's. */
export type Seeking = Schemas['Seeking'];
/** The opt-in as the server keeps it (never the cell), and whether the person is in anyone's deck. */
export type MyFinder = Schemas['MyFinder'];
/** A level suggested from one's own trainings of the last 90 days. */
export type Suggestion = Schemas['Suggestion'];
/** Someone in the deck: never where they are, only about how far (a multiple of 5 km). */
export type Candidate = Schemas['Candidate'];
/** The other person of a match or a conversation; `display_name` is empty once their account is gone. */
export type ChatPerson = Schemas['Person'];
export type PartnerMatch = Schemas['Match'];
export type Swiped = Schemas['Swiped'];
export type Undone = Schemas['Undone'];
export type ChatMessage = Schemas['Message'];
export type Conversation = Schemas['Conversation'];
export type HistoryPage = Schemas['HistoryPage'];
/** Up to which `seq` I received and read the other's messages. */
export type Receipts = Schemas['Receipts'];
export type NewChatMessage = Schemas['NewMessage'];

/** Which partner mails one gets (`GET`/`PUT /api/v1/partners/settings`). */
export type PartnerSettings = Schemas['PartnerSettings'];
/** A report of a message (`POST …/messages/{message_id}/report`). */
export type MessageReport = Schemas['NewMessageReport'];
