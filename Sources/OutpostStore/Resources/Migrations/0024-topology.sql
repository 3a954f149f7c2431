-- LLDP and CDP neighbours in network_topology (docs/topology.md). A row is an edge from a
-- local port of a known device (source_device_id, interface_name, local_port_number) to a
-- remote port (target_interface) of a chassis (remote_chassis_id, remote_sysname,
-- management_address), resolved to a known device (target_device_id) where possible.
-- first_discovered / last_seen: the first and newest walk that listed it; an edge not listed
-- for the configured age is marked inactive (is_active false, aged_out_at set), not deleted,
-- and becomes active again when a walk lists it again.
ALTER TABLE network_topology
    ADD COLUMN local_port_number  INTEGER CHECK (local_port_number >= 0),
    ADD COLUMN remote_chassis_id  VARCHAR(100),
    ADD COLUMN remote_sysname     VARCHAR(100),
    ADD COLUMN management_address VARCHAR(45),
    ADD COLUMN aged_out_at        TIMESTAMPTZ;

-- One row per (device, protocol, local port, remote chassis, remote port) learnt by a walk.
CREATE UNIQUE INDEX idx_network_topology_neighbour
    ON network_topology (source_device_id, connection_type, local_port_number,
                         COALESCE(remote_chassis_id, ''), COALESCE(target_interface, ''))
    WHERE local_port_number IS NOT NULL;
CREATE INDEX idx_network_topology_source_device ON network_topology (source_device_id);
