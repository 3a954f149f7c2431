-- The device list's orders (DeviceInventory.list): each ends with the id, so that a page's
-- keyset condition and its ORDER BY ... LIMIT walk one index. The (ip, id) index replaces the
-- one on ip alone, which it serves as well. Substring search scans the table: at the tens of
-- thousands of devices an inventory holds, that is a few milliseconds, and pg_trgm is not
-- guaranteed to be installed.
CREATE INDEX idx_standalone_devices_name_id ON standalone_devices (lower(name), id);
CREATE INDEX idx_standalone_devices_ip_id ON standalone_devices (ip, id);
DROP INDEX idx_standalone_devices_ip;
CREATE INDEX idx_standalone_devices_changed_id ON standalone_devices (coalesce(updated_at, created_at), id);