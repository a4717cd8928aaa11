// The API's shapes, as the server documents them at /openapi.json.

export type Privacy = 'public' | 'followers' | 'private';
export type Units = 'metric' | 'imperial';

export interface Account {
  id: string;
  email: string;
  email_verified: boolean;
  display_name: string;
  role: 'user' | 'admin';
  two_factor_enabled: boolean;
  recovery_codes_left: number | null;
  created_at: string;
  units?: Units;
  default_privacy?: Privacy;
  avatar_url?: string | null;
}

export interface ServerInfo {
  name: string;
  version: string;
  url: string;
  modules: string[];
  map_tiles?: string | null;
  map_attribution?: string | null;
}

export interface Sport {
  id: string;
  name: string;
  icon: string;
  has_distance: boolean;
  position: number;
}

export interface Split {
  number: number;
  distance_m: number;
  seconds: number;
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
  shape: [number, number][];
  series: Sample[];
}

export interface Workout {
  id: string;
  user_id: string;
  sport: string;
  title: string;
  notes: string;
  privacy: Privacy;
  state: 'ready' | 'processing' | 'failed';
  failure?: string | null;
  started_at: string;
  duration_s: number;
  moving_s?: number | null;
  distance_m?: number | null;
  elevation_gain_m?: number | null;
  elevation_loss_m?: number | null;
  average_speed_mps?: number | null;
  max_speed_mps?: number | null;
  average_heart_rate?: number | null;
  max_heart_rate?: number | null;
  file?: { format: string; name: string; size: number } | null;
  created_at: string;
  updated_at: string;
  analysis?: Analysis | null;
}

export interface WorkoutPage {
  items: Workout[];
  next_cursor?: string | null;
}

export interface NewWorkout {
  sport: string;
  started_at: string;
  duration_s: number;
  distance_m?: number;
  elevation_gain_m?: number;
  title?: string;
  notes?: string;
  privacy?: Privacy;
}

export interface Totals {
  workouts: number;
  distance_m: number;
  duration_s: number;
  moving_s: number;
  elevation_gain_m: number;
}

export interface Stats {
  period: 'week' | 'month' | 'year';
  from: string;
  to: string;
  periods: { start: string; total: Totals; sports: Record<string, Totals> }[];
}

export interface RecordValue {
  value: number;
  workout_id: string;
  achieved_at: string;
}

export interface SportRecords {
  sport: string;
  best_efforts: { distance_m: number; record: RecordValue }[];
  longest_distance?: RecordValue | null;
  longest_duration?: RecordValue | null;
  most_elevation_gain?: RecordValue | null;
}

export interface Photo {
  id: string;
  thumbnail_ready: boolean;
}

export interface Session {
  id: string;
  device: string;
  address: string;
  created_at: number;
  last_used_at: number;
  current: boolean;
}

export interface Passkey {
  id: string;
  name: string;
  created_at: number;
  last_used_at?: number | null;
}

export interface ConnectedApp {
  client_id: string;
  name: string;
  scopes: string[];
  allowed_at: string;
}

export interface ExportInfo {
  id: string;
  status: 'pending' | 'ready' | 'failed';
  size_bytes?: number | null;
  created_at: number;
  ready_at?: number | null;
  expires_at?: number | null;
}

export type LoginAnswer =
  | { access_token: string; refresh_token: string; expires_in: number; session_id: string }
  | { second_factor_required: true; challenge: string; methods: string[] };
