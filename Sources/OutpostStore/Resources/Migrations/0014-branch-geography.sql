-- ===================== branches: Georgian name, town and coordinates =====================
-- city_id: the town the branch is in (its coordinates unless the branch has its own);
-- latitude/longitude: the branch's own position, both or neither.
ALTER TABLE branches
    ADD COLUMN display_name_ka VARCHAR(200),
    ADD COLUMN city_id         INTEGER REFERENCES georgian_cities(id) ON DELETE SET NULL,
    ADD COLUMN latitude        NUMERIC(9,6) CHECK (latitude BETWEEN -90 AND 90),
    ADD COLUMN longitude       NUMERIC(9,6) CHECK (longitude BETWEEN -180 AND 180),
    ADD CONSTRAINT branches_coordinates_paired CHECK ((latitude IS NULL) = (longitude IS NULL));
CREATE INDEX idx_branches_city ON branches (city_id);
