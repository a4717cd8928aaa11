-- The token a refresh token was traded for (its SHA-256), so that an answer
-- lost on the way (the app navigated away mid-refresh) can be traded again
-- while that successor is still unused. See `Identity::refresh_for`.
ALTER TABLE refresh_tokens ADD COLUMN replaced_by TEXT;
