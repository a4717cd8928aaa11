-- What competitions place a person in categories by, each optional (null:
-- not said), so existing accounts need no value.
ALTER TABLE users ADD COLUMN sex TEXT;                    -- female | male
ALTER TABLE users ADD COLUMN birth_year INTEGER;          -- 1900 to the year it was set
ALTER TABLE users ADD COLUMN weight_kg DOUBLE PRECISION;  -- 20 to 300
