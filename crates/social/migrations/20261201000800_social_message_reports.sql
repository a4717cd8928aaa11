-- Reports of chat messages (subject `message`): social does not keep the
-- messages, so a report keeps the text as it was when reported.
ALTER TABLE reports ADD COLUMN content TEXT;
