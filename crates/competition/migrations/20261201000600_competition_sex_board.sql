-- A board narrowed to one sex, in board order: its pages, and the count
-- inside one band for "my place among women", read only the index (the
-- whole board's index would fetch every row of the band to read its sex).
CREATE INDEX competition_entries_sex_board
    ON competition_entries (competition_id, disqualified, sex, place_key, achieved_at, user_id);
