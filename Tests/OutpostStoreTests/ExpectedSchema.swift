/// The schema as reviewed against the legacy plan and docs/architecture.md (golden data: a change
/// to the migrations must change this file too, on purpose). `!` marks NOT NULL.
enum ExpectedSchema {
    /// table -> columns in order, "name type[!]".
    static let columns: [String: String] = [
        "agent_certificates":
            "serial character varying(64)!, agent_id uuid!, not_after timestamp with time zone!, issued_at timestamp with time zone!, renewal boolean!",
        "agent_health":
            "agent_id uuid!, received_at timestamp with time zone!, agent_version character varying(255)!, resident_bytes bigint!, anonymous_bytes bigint!, spool_bytes bigint!, spool_pending_batches bigint!, spool_dropped_batches bigint!, spool_dropped_results bigint!, rounds_overrun bigint!, icmp_demand_pps bigint!, icmp_ceiling_pps bigint!",
        "agent_sequences":
            "agent_id uuid!, high_water bigint!, committed_above bigint[]!, updated_at timestamp with time zone!",
        "agents":
            "id uuid!, branch_id uuid!, name character varying(200), public_key bytea!, cert_serial character varying(64)!, cert_not_after timestamp with time zone!, status character varying(16)!, enrolled_at timestamp with time zone!, last_seen timestamp with time zone, last_address character varying(255), version character varying(255), config_version_acked character varying(128), spool_backlog_batches bigint!, dropped_results_total bigint!",
        "alert_history":
            "id uuid!, rule_id uuid!, device_id uuid, severity character varying(20)!, message text!, value character varying(100), rule_name character varying(200), threshold character varying(500), triggered_at timestamp with time zone!, acknowledged boolean!, acknowledged_by integer, acknowledged_at timestamp with time zone, resolved_at timestamp with time zone, notifications_sent jsonb, created_at timestamp with time zone!, kind character varying(20)!, suppressed_by uuid, acknowledgement_comment text, resolved_by integer, resolution_comment text, in_maintenance boolean!",
        "alert_leases":
            "scope_id uuid!, owner character varying(200)!, expires_at timestamp with time zone!",
        "alert_rules":
            "id uuid!, device_id uuid, branch_id uuid, name character varying(200)!, description text, expression character varying(500)!, severity character varying(20)!, notification_channels jsonb, notification_recipients jsonb, device_group character varying(100), monitoring_item_id uuid, enabled boolean!, created_at timestamp with time zone!, updated_at timestamp with time zone, template_id uuid, template_trigger character varying(200)",
        "api_tokens":
            "id uuid!, user_id integer!, name character varying(100)!, token_hash bytea!, created_at timestamp with time zone!, expires_at timestamp with time zone, last_used_at timestamp with time zone, last_used_from character varying(64), revoked_at timestamp with time zone",
        "audit_log":
            "id bigint!, at timestamp with time zone!, actor character varying(100)!, actor_user_id integer, actor_token_id uuid, source character varying(100)!, action character varying(32)!, entity character varying(50)!, entity_id character varying(100), changes jsonb!",
        "baseline_progress":
            "singleton boolean!, computed_through timestamp with time zone!, updated_at timestamp with time zone!",
        "branches":
            "id uuid!, name character varying(200)!, display_name character varying(200)!, region character varying(100), branch_code character varying(10), address text, is_active boolean!, device_count integer!, created_at timestamp with time zone!, updated_at timestamp with time zone, gateway_device_id uuid, display_name_ka character varying(200), city_id integer, latitude numeric(9,6), longitude numeric(9,6)",
        "device_interfaces":
            "id uuid!, device_id uuid!, if_index integer!, name character varying(255), description text, alias character varying(255), mac_address character varying(17), speed_bps bigint, mtu integer, admin_status character varying(16), oper_status character varying(16), updated_at timestamp with time zone!, if_type integer, last_change_ticks bigint, first_seen_at timestamp with time zone!, last_seen_at timestamp with time zone!, missing_since timestamp with time zone, oper_status_changed_at timestamp with time zone, isp_override boolean, isp_provider character varying(100), in_bps double precision, out_bps double precision, in_utilisation_percent double precision, out_utilisation_percent double precision, errors_per_second double precision, discards_per_second double precision, metrics_at timestamp with time zone",
        "discovery_credentials":
            "id uuid!, name character varying(200)!, credential_type character varying(50)!, community_encrypted text, username character varying(100), auth_protocol character varying(20), auth_key_encrypted text, priv_protocol character varying(20), priv_key_encrypted text, ssh_username character varying(100), ssh_password_encrypted text, ssh_key_encrypted text, success_count integer!, failure_count integer!, last_success timestamp with time zone, created_by integer, created_at timestamp with time zone!",
        "diagnostic_jobs":
            "id uuid!, device_id uuid!, kind character varying(16)!, probe_protocol character varying(8)!, port integer!, cycles integer!, trigger character varying(16)!, status character varying(16)!, agent_id uuid, alert_history_id uuid, cancel_requested boolean!, completed_units integer!, total_units integer, target_ip character varying(45)!, ending character varying(16), hop_count integer, path text[], path_changed boolean, detail text, created_at timestamp with time zone!, dispatched_at timestamp with time zone, completed_at timestamp with time zone, updated_at timestamp with time zone!, resolve_names boolean!",
        "diagnostic_schedules":
            "id uuid!, device_id uuid, device_type character varying(100), kind character varying(16)!, probe_protocol character varying(8)!, cycles integer!, interval_seconds integer!, enabled boolean!, created_at timestamp with time zone!",
        "discovery_jobs":
            "id uuid!, rule_id uuid!, status character varying(50)!, total_ips integer!, scanned_ips integer!, discovered_devices integer!, imported_devices integer!, failed_ips integer!, started_at timestamp with time zone!, completed_at timestamp with time zone, duration_seconds integer, error_message text, scan_summary jsonb, triggered_by character varying(50), triggered_by_user integer, agent_id uuid, dispatched_at timestamp with time zone, scheduled_for timestamp with time zone, cancel_requested boolean!, updated_at timestamp with time zone",
        "discovery_results":
            "id uuid!, rule_id uuid!, ip_address character varying(45)!, hostname character varying(255), mac_address character varying(17), vendor character varying(100), device_type character varying(50), snmp_reachable boolean!, snmp_version character varying(10), sys_descr text, sys_object_id character varying(200), discovered_at timestamp with time zone!, added_to_monitoring boolean!, added_at timestamp with time zone, imported_device_id uuid, job_id uuid, matched_device_id uuid, sys_name character varying(255), sys_location character varying(255), responds_to_icmp boolean!",
        "discovery_rules":
            "id uuid!, name character varying(200)!, description text, network_range character varying(100)!, enabled boolean!, schedule character varying(100), snmp_discovery boolean!, snmp_communities jsonb, ping_only boolean!, last_run timestamp with time zone, last_devices_found integer!, created_at timestamp with time zone!, updated_at timestamp with time zone, network_ranges text[]!, excluded_ranges text[]!, credential_ids uuid[]!, branch_id uuid, agent_id uuid, auto_import boolean!, snmp_port integer!",
        "enrolment_tokens":
            "id uuid!, token_hash bytea!, branch_id uuid!, created_by integer, created_at timestamp with time zone!, expires_at timestamp with time zone!, used_at timestamp with time zone, used_by_agent uuid, revoked_at timestamp with time zone",
        "georgian_cities":
            "id integer!, name_en character varying(100)!, name_ka character varying(100), region_id integer!, latitude numeric(9,6)!, longitude numeric(9,6)!, is_active boolean!, created_at timestamp with time zone!",
        "georgian_regions":
            "id integer!, name_en character varying(100)!, name_ka character varying(100), latitude numeric(9,6)!, longitude numeric(9,6)!, created_at timestamp with time zone!",
        "ingest_quarantine":
            "id bigint!, agent_id uuid!, sequence bigint!, received_at timestamp with time zone!, row_count integer!, sqlstate character(5)!, error text!, payload bytea!, status character varying(16)!, resolved_at timestamp with time zone",
        "item_history":
            "item_id uuid!, device_id uuid!, agent_id uuid, value_type character varying(20)!, value_numeric double precision, value_text text, rate double precision, error text, timestamp timestamp with time zone!, instance_key character varying(128), instance_label character varying(255)",
        "legacy_import_map":
            "legacy_table character varying(64)!, legacy_id character varying(100)!, outpost_id character varying(100)!, imported_at timestamp with time zone!",
        "legacy_import_progress":
            "legacy_table character varying(64)!, source character varying(500)!, last_id bigint!, rows_copied bigint!, rows_rolled bigint!, rows_skipped bigint!, checksum numeric!, updated_at timestamp with time zone!",
        "isp_link_patterns":
            "provider character varying(100)!, contains character varying(200)!, created_at timestamp with time zone!",
        "maintenance_window_targets":
            "window_id uuid!, device_id uuid, branch_id uuid, region character varying(100)",
        "maintenance_windows":
            "id uuid!, name character varying(200)!, comment text, starts_at timestamp with time zone!, ends_at timestamp with time zone, schedule character varying(100), duration_seconds integer, created_by integer, created_at timestamp with time zone!, ended_at timestamp with time zone",
        "metric_baselines":
            "item_id uuid!, device_id uuid!, hour_of_week smallint!, median_value double precision!, mad_value double precision!, samples integer!, computed_at timestamp with time zone!",
        "monitored_hostgroups":
            "id integer!, groupid character varying(64)!, name character varying(255)!, display_name character varying(255), is_active boolean!, created_at timestamp with time zone!, updated_at timestamp with time zone!",
        "monitoring_items":
            "id uuid!, device_id uuid!, template_id uuid, oid_name character varying(100)!, oid character varying(200)!, interval integer!, value_type character varying(20)!, units character varying(20), enabled boolean!, last_poll timestamp with time zone, last_value text, last_error text, created_at timestamp with time zone!, updated_at timestamp with time zone, name character varying(100), is_table boolean!",
        "monitoring_profiles":
            "id uuid!, name character varying(100)!, mode character varying(20)!, is_active boolean!, description text, created_at timestamp with time zone!, updated_at timestamp with time zone",
        "monitoring_templates":
            "id uuid!, name character varying(100)!, description text, vendor character varying(100), device_types jsonb, items jsonb, triggers jsonb, is_builtin boolean!, is_default boolean!, created_by integer, created_at timestamp with time zone!, updated_at timestamp with time zone, match_vendors jsonb!",
        "mtr_results":
            "id bigint!, device_id uuid, agent_id uuid, device_ip character varying(50)!, device_name character varying(255), hop_number integer!, hop_ip character varying(50), hop_hostname character varying(255), packets_sent integer!, packets_received integer!, packet_loss_percent real!, latency_avg real, latency_min real, latency_max real, latency_stddev real, timestamp timestamp with time zone!, job_id uuid, latency_last real, latency_jitter real",
        "network_topology":
            "id uuid!, source_ip character varying(45)!, source_device_id uuid, target_ip character varying(45)!, target_device_id uuid, connection_type character varying(50), interface_name character varying(100), target_interface character varying(100), vlan_id integer, discovered_via character varying(50), is_active boolean!, last_seen timestamp with time zone!, first_discovered timestamp with time zone!, local_port_number integer, remote_chassis_id character varying(100), remote_sysname character varying(100), management_address character varying(45), aged_out_at timestamp with time zone",
        "organizations":
            "id integer!, name character varying(255)!, subdomain character varying(100), zabbix_url character varying(500), zabbix_user character varying(255), zabbix_password character varying(255), monitored_groups jsonb!, logo_url character varying(500), primary_color character varying(7)!, is_active boolean!, is_setup_complete boolean!, created_at timestamp with time zone!, updated_at timestamp with time zone",
        "performance_baselines":
            "device_id uuid!, hour_of_week smallint!, rtt_median_ms double precision, rtt_mad_ms double precision, rtt_samples integer!, loss_median_percent double precision, loss_mad_percent double precision, loss_samples integer!, computed_at timestamp with time zone!",
        "ping_results":
            "id bigint!, device_id uuid, agent_id uuid, device_ip character varying(50)!, device_name character varying(255), packets_sent integer!, packets_received integer!, packet_loss_percent real!, min_rtt_ms real, avg_rtt_ms real, max_rtt_ms real, stddev_rtt_ms real, is_reachable boolean!, timestamp timestamp with time zone!",
        "revoked_certificates":
            "serial character varying(64)!, agent_id uuid, revoked_at timestamp with time zone!, reason text",
        "schema_migrations":
            "version integer!, name character varying(100)!, checksum character(64)!, applied_at timestamp with time zone!",
        "setup_wizard_state":
            "id integer!, step_1_welcome boolean!, step_2_zabbix boolean!, step_3_groups boolean!, step_4_admin boolean!, step_5_complete boolean!, is_complete boolean!, created_at timestamp with time zone!, updated_at timestamp with time zone",
        "snmp_credentials":
            "id uuid!, device_id uuid!, version character varying(10)!, community_encrypted text, username character varying(100), auth_protocol character varying(20), auth_key_encrypted text, priv_protocol character varying(20), priv_key_encrypted text, security_level character varying(20), created_at timestamp with time zone!, updated_at timestamp with time zone",
        "standalone_devices":
            "id uuid!, name character varying(200)!, ip character varying(45)!, hostname character varying(255), vendor character varying(100), device_type character varying(100), model character varying(100), location character varying(200), description text, enabled boolean!, discovered_at timestamp with time zone, last_seen timestamp with time zone, down_since timestamp with time zone, last_probe_at timestamp with time zone, tags jsonb, custom_fields jsonb, branch_id uuid, normalized_name character varying(200), device_subtype character varying(100), floor_info character varying(50), unit_number integer, original_name character varying(200), ssh_port integer!, ssh_username character varying(100), ssh_enabled boolean!, created_at timestamp with time zone!, updated_at timestamp with time zone, is_flapping boolean!",
        "system_config":
            "id integer!, key character varying(100)!, value text, description character varying(500), created_at timestamp with time zone!, updated_at timestamp with time zone",
        "traceroute_results":
            "id bigint!, device_id uuid, agent_id uuid, device_ip character varying(50)!, device_name character varying(255), hop_number integer!, hop_ip character varying(50), hop_hostname character varying(255), latency_ms real, packet_loss real!, timestamp timestamp with time zone!, job_id uuid, probes_sent integer, latencies_ms real[], reply character varying(32), mpls_labels integer[]",
        "user_regions":
            "user_id integer!, region character varying(100)!",
        "user_sessions":
            "id_hash bytea!, user_id integer!, csrf_hash bytea!, created_at timestamp with time zone!, last_seen_at timestamp with time zone!, expires_at timestamp with time zone!, source character varying(64), ended_at timestamp with time zone",
        "users":
            "id integer!, username character varying(50)!, email character varying(100), full_name character varying(100), hashed_password character varying(255)!, role character varying(32)!, organization_id integer, is_superuser boolean!, region character varying(50), branches text, is_active boolean!, created_at timestamp with time zone!, last_login timestamp with time zone, theme_preference character varying(10)!, language character varying(10)!, timezone character varying(50)!, notifications_enabled boolean!, dashboard_layout jsonb, failed_logins integer!, last_failed_login timestamp with time zone, password_set_at timestamp with time zone, disabled_at timestamp with time zone",
        "item_rollup_1h":
            "item_id uuid!, bucket timestamp with time zone!, device_id uuid!, min_value double precision, avg_value double precision, max_value double precision, last_value double precision, samples integer!",
        "item_rollup_1m":
            "item_id uuid!, bucket timestamp with time zone!, device_id uuid!, min_value double precision, avg_value double precision, max_value double precision, last_value double precision, samples integer!",
        "ping_rollup_1h":
            "device_id uuid!, bucket timestamp with time zone!, min_rtt_ms real, avg_rtt_ms double precision, max_rtt_ms real, packets_sent integer!, packets_received integer!, loss_percent real, samples integer!, up_seconds real!, down_seconds real!",
        "ping_rollup_1m":
            "device_id uuid!, bucket timestamp with time zone!, min_rtt_ms real, avg_rtt_ms double precision, max_rtt_ms real, packets_sent integer!, packets_received integer!, loss_percent real, samples integer!, up_seconds real!, down_seconds real!",
        "rollup_pending":
            "kind character varying(4)!, key_id uuid!, minute timestamp with time zone!",
    ]

    /// Foreign keys: "table.column -> referenced ON DELETE action".
    static let foreignKeys: [String] = [
        "agent_certificates.agent_id -> agents CASCADE",
        "agent_health.agent_id -> agents CASCADE",
        "agent_sequences.agent_id -> agents CASCADE",
        "agents.branch_id -> branches RESTRICT",
        "alert_history.acknowledged_by -> users SET NULL",
        "alert_history.device_id -> standalone_devices SET NULL",
        "alert_history.resolved_by -> users SET NULL",
        "alert_history.rule_id -> alert_rules CASCADE",
        "alert_history.suppressed_by -> alert_history SET NULL",
        "alert_rules.branch_id -> branches CASCADE",
        "alert_rules.device_id -> standalone_devices CASCADE",
        "alert_rules.monitoring_item_id -> monitoring_items SET NULL",
        "alert_rules.template_id -> monitoring_templates CASCADE",
        "api_tokens.user_id -> users CASCADE",
        "audit_log.actor_token_id -> api_tokens SET NULL",
        "audit_log.actor_user_id -> users SET NULL",
        "branches.city_id -> georgian_cities SET NULL",
        "branches.gateway_device_id -> standalone_devices SET NULL",
        "device_interfaces.device_id -> standalone_devices CASCADE",
        "diagnostic_jobs.agent_id -> agents SET NULL",
        "diagnostic_jobs.alert_history_id -> alert_history SET NULL",
        "diagnostic_jobs.device_id -> standalone_devices CASCADE",
        "diagnostic_schedules.device_id -> standalone_devices CASCADE",
        "discovery_credentials.created_by -> users SET NULL",
        "discovery_jobs.agent_id -> agents SET NULL",
        "discovery_jobs.rule_id -> discovery_rules CASCADE",
        "discovery_jobs.triggered_by_user -> users SET NULL",
        "discovery_results.imported_device_id -> standalone_devices SET NULL",
        "discovery_results.job_id -> discovery_jobs CASCADE",
        "discovery_results.matched_device_id -> standalone_devices SET NULL",
        "discovery_results.rule_id -> discovery_rules CASCADE",
        "discovery_rules.agent_id -> agents SET NULL",
        "discovery_rules.branch_id -> branches SET NULL",
        "enrolment_tokens.branch_id -> branches CASCADE",
        "enrolment_tokens.created_by -> users SET NULL",
        "enrolment_tokens.used_by_agent -> agents SET NULL",
        "georgian_cities.region_id -> georgian_regions CASCADE",
        "ingest_quarantine.agent_id -> agents CASCADE",
        "maintenance_window_targets.branch_id -> branches CASCADE",
        "maintenance_window_targets.device_id -> standalone_devices CASCADE",
        "maintenance_window_targets.window_id -> maintenance_windows CASCADE",
        "maintenance_windows.created_by -> users SET NULL",
        "metric_baselines.device_id -> standalone_devices CASCADE",
        "metric_baselines.item_id -> monitoring_items CASCADE",
        "monitoring_items.device_id -> standalone_devices CASCADE",
        "monitoring_items.template_id -> monitoring_templates SET NULL",
        "monitoring_templates.created_by -> users SET NULL",
        "network_topology.source_device_id -> standalone_devices CASCADE",
        "network_topology.target_device_id -> standalone_devices CASCADE",
        "performance_baselines.device_id -> standalone_devices CASCADE",
        "revoked_certificates.agent_id -> agents SET NULL",
        "snmp_credentials.device_id -> standalone_devices CASCADE",
        "standalone_devices.branch_id -> branches SET NULL",
        "user_regions.user_id -> users CASCADE",
        "user_sessions.user_id -> users CASCADE",
        "users.organization_id -> organizations SET NULL",
    ]

    /// Indexes on parent tables: "name: definition".
    static let indexes: [String] = [
        "agent_certificates_pkey: CREATE UNIQUE INDEX agent_certificates_pkey ON agent_certificates USING btree (serial)",
        "agent_health_pkey: CREATE UNIQUE INDEX agent_health_pkey ON agent_health USING btree (agent_id)",
        "agent_sequences_pkey: CREATE UNIQUE INDEX agent_sequences_pkey ON agent_sequences USING btree (agent_id)",
        "agents_cert_serial_key: CREATE UNIQUE INDEX agents_cert_serial_key ON agents USING btree (cert_serial)",
        "agents_pkey: CREATE UNIQUE INDEX agents_pkey ON agents USING btree (id)",
        "alert_history_pkey: CREATE UNIQUE INDEX alert_history_pkey ON alert_history USING btree (id)",
        "alert_leases_pkey: CREATE UNIQUE INDEX alert_leases_pkey ON alert_leases USING btree (scope_id)",
        "alert_rules_pkey: CREATE UNIQUE INDEX alert_rules_pkey ON alert_rules USING btree (id)",
        "api_tokens_pkey: CREATE UNIQUE INDEX api_tokens_pkey ON api_tokens USING btree (id)",
        "api_tokens_token_hash_key: CREATE UNIQUE INDEX api_tokens_token_hash_key ON api_tokens USING btree (token_hash)",
        "audit_log_pkey: CREATE UNIQUE INDEX audit_log_pkey ON audit_log USING btree (id)",
        "baseline_progress_pkey: CREATE UNIQUE INDEX baseline_progress_pkey ON baseline_progress USING btree (singleton)",
        "branches_name_key: CREATE UNIQUE INDEX branches_name_key ON branches USING btree (name)",
        "branches_pkey: CREATE UNIQUE INDEX branches_pkey ON branches USING btree (id)",
        "device_interfaces_device_id_if_index_key: CREATE UNIQUE INDEX device_interfaces_device_id_if_index_key ON device_interfaces USING btree (device_id, if_index)",
        "device_interfaces_pkey: CREATE UNIQUE INDEX device_interfaces_pkey ON device_interfaces USING btree (id)",
        "diagnostic_jobs_pkey: CREATE UNIQUE INDEX diagnostic_jobs_pkey ON diagnostic_jobs USING btree (id)",
        "diagnostic_schedules_pkey: CREATE UNIQUE INDEX diagnostic_schedules_pkey ON diagnostic_schedules USING btree (id)",
        "discovery_credentials_pkey: CREATE UNIQUE INDEX discovery_credentials_pkey ON discovery_credentials USING btree (id)",
        "discovery_jobs_pkey: CREATE UNIQUE INDEX discovery_jobs_pkey ON discovery_jobs USING btree (id)",
        "discovery_results_pkey: CREATE UNIQUE INDEX discovery_results_pkey ON discovery_results USING btree (id)",
        "discovery_rules_pkey: CREATE UNIQUE INDEX discovery_rules_pkey ON discovery_rules USING btree (id)",
        "enrolment_tokens_pkey: CREATE UNIQUE INDEX enrolment_tokens_pkey ON enrolment_tokens USING btree (id)",
        "enrolment_tokens_token_hash_key: CREATE UNIQUE INDEX enrolment_tokens_token_hash_key ON enrolment_tokens USING btree (token_hash)",
        "georgian_cities_name_en_key: CREATE UNIQUE INDEX georgian_cities_name_en_key ON georgian_cities USING btree (name_en)",
        "georgian_cities_pkey: CREATE UNIQUE INDEX georgian_cities_pkey ON georgian_cities USING btree (id)",
        "georgian_regions_name_en_key: CREATE UNIQUE INDEX georgian_regions_name_en_key ON georgian_regions USING btree (name_en)",
        "georgian_regions_pkey: CREATE UNIQUE INDEX georgian_regions_pkey ON georgian_regions USING btree (id)",
        "idx_agent_certificates_agent: CREATE INDEX idx_agent_certificates_agent ON agent_certificates USING btree (agent_id, issued_at)",
        "idx_agents_branch: CREATE INDEX idx_agents_branch ON agents USING btree (branch_id)",
        "idx_alert_history_device: CREATE INDEX idx_alert_history_device ON alert_history USING btree (device_id)",
        "idx_alert_history_open: CREATE INDEX idx_alert_history_open ON alert_history USING btree (triggered_at) WHERE (resolved_at IS NULL)",
        "idx_alert_history_rule: CREATE INDEX idx_alert_history_rule ON alert_history USING btree (rule_id)",
        "idx_alert_history_suppressed_by: CREATE INDEX idx_alert_history_suppressed_by ON alert_history USING btree (suppressed_by) WHERE (suppressed_by IS NOT NULL)",
        "idx_alert_history_triggered: CREATE INDEX idx_alert_history_triggered ON alert_history USING btree (triggered_at DESC, id DESC)",
        "idx_alert_rules_branch: CREATE INDEX idx_alert_rules_branch ON alert_rules USING btree (branch_id)",
        "idx_alert_rules_device: CREATE INDEX idx_alert_rules_device ON alert_rules USING btree (device_id)",
        "idx_alert_rules_template_trigger: CREATE UNIQUE INDEX idx_alert_rules_template_trigger ON alert_rules USING btree (device_id, template_id, template_trigger) WHERE (template_id IS NOT NULL)",
        "idx_api_tokens_live_name: CREATE UNIQUE INDEX idx_api_tokens_live_name ON api_tokens USING btree (user_id, name) WHERE (revoked_at IS NULL)",
        "idx_audit_log_at: CREATE INDEX idx_audit_log_at ON audit_log USING btree (at DESC, id DESC)",
        "idx_audit_log_entity: CREATE INDEX idx_audit_log_entity ON audit_log USING btree (entity, entity_id)",
        "idx_branches_active: CREATE INDEX idx_branches_active ON branches USING btree (is_active)",
        "idx_branches_city: CREATE INDEX idx_branches_city ON branches USING btree (city_id)",
        "idx_branches_region: CREATE INDEX idx_branches_region ON branches USING btree (region)",
        "idx_diagnostic_jobs_alert: CREATE INDEX idx_diagnostic_jobs_alert ON diagnostic_jobs USING btree (alert_history_id) WHERE (alert_history_id IS NOT NULL)",
        "idx_diagnostic_jobs_device: CREATE INDEX idx_diagnostic_jobs_device ON diagnostic_jobs USING btree (device_id, created_at DESC)",
        "idx_diagnostic_jobs_pending: CREATE INDEX idx_diagnostic_jobs_pending ON diagnostic_jobs USING btree (created_at) WHERE ((status)::text = 'pending'::text)",
        "idx_discovery_credentials_type: CREATE INDEX idx_discovery_credentials_type ON discovery_credentials USING btree (credential_type)",
        "idx_discovery_jobs_agent: CREATE INDEX idx_discovery_jobs_agent ON discovery_jobs USING btree (agent_id) WHERE ((status)::text = ANY ((ARRAY['dispatched'::character varying, 'running'::character varying])::text[]))",
        "idx_discovery_jobs_rule: CREATE INDEX idx_discovery_jobs_rule ON discovery_jobs USING btree (rule_id)",
        "idx_discovery_jobs_slot: CREATE UNIQUE INDEX idx_discovery_jobs_slot ON discovery_jobs USING btree (rule_id, scheduled_for) WHERE (scheduled_for IS NOT NULL)",
        "idx_discovery_jobs_status: CREATE INDEX idx_discovery_jobs_status ON discovery_jobs USING btree (status)",
        "idx_discovery_results_ip: CREATE INDEX idx_discovery_results_ip ON discovery_results USING btree (ip_address)",
        "idx_discovery_results_job_ip: CREATE UNIQUE INDEX idx_discovery_results_job_ip ON discovery_results USING btree (job_id, ip_address)",
        "idx_discovery_results_mac: CREATE INDEX idx_discovery_results_mac ON discovery_results USING btree (mac_address) WHERE (mac_address IS NOT NULL)",
        "idx_discovery_results_rule: CREATE INDEX idx_discovery_results_rule ON discovery_results USING btree (rule_id)",
        "idx_discovery_rules_name: CREATE UNIQUE INDEX idx_discovery_rules_name ON discovery_rules USING btree (name)",
        "idx_georgian_cities_region: CREATE INDEX idx_georgian_cities_region ON georgian_cities USING btree (region_id)",
        "idx_ingest_quarantine_held: CREATE INDEX idx_ingest_quarantine_held ON ingest_quarantine USING btree (received_at) WHERE ((status)::text = 'held'::text)",
        #"idx_item_history_item_ts: CREATE INDEX idx_item_history_item_ts ON item_history USING btree (item_id, "timestamp" DESC)"#,
        "idx_maintenance_window_targets_window: CREATE INDEX idx_maintenance_window_targets_window ON maintenance_window_targets USING btree (window_id)",
        "idx_metric_baselines_device: CREATE INDEX idx_metric_baselines_device ON metric_baselines USING btree (device_id, hour_of_week)",
        "idx_monitored_hostgroups_active: CREATE INDEX idx_monitored_hostgroups_active ON monitored_hostgroups USING btree (is_active)",
        "idx_monitoring_items_device: CREATE INDEX idx_monitoring_items_device ON monitoring_items USING btree (device_id)",
        "idx_monitoring_items_template: CREATE INDEX idx_monitoring_items_template ON monitoring_items USING btree (template_id)",
        "idx_monitoring_items_template_item: CREATE UNIQUE INDEX idx_monitoring_items_template_item ON monitoring_items USING btree (device_id, template_id, name)",
        #"idx_mtr_results_device_ip_ts: CREATE INDEX idx_mtr_results_device_ip_ts ON mtr_results USING btree (device_ip, "timestamp" DESC)"#,
        "idx_mtr_results_job: CREATE INDEX idx_mtr_results_job ON mtr_results USING btree (job_id, hop_number)",
        "idx_network_topology_neighbour: CREATE UNIQUE INDEX idx_network_topology_neighbour ON network_topology USING btree (source_device_id, connection_type, local_port_number, COALESCE(remote_chassis_id, ''::character varying), COALESCE(target_interface, ''::character varying)) WHERE (local_port_number IS NOT NULL)",
        "idx_network_topology_source: CREATE INDEX idx_network_topology_source ON network_topology USING btree (source_ip)",
        "idx_network_topology_source_device: CREATE INDEX idx_network_topology_source_device ON network_topology USING btree (source_device_id)",
        "idx_network_topology_target: CREATE INDEX idx_network_topology_target ON network_topology USING btree (target_ip)",
        #"idx_ping_results_device_id_ts: CREATE INDEX idx_ping_results_device_id_ts ON ping_results USING btree (device_id, "timestamp" DESC)"#,
        #"idx_ping_results_device_ip_ts: CREATE INDEX idx_ping_results_device_ip_ts ON ping_results USING btree (device_ip, "timestamp" DESC)"#,
        #"idx_ping_results_timestamp: CREATE INDEX idx_ping_results_timestamp ON ping_results USING brin ("timestamp")"#,
        "idx_ping_rollup_1m_down: CREATE INDEX idx_ping_rollup_1m_down ON ping_rollup_1m USING btree (device_id, bucket) INCLUDE (down_seconds) WHERE (down_seconds > (0)::double precision)",
        "idx_rollup_pending_minute: CREATE INDEX idx_rollup_pending_minute ON rollup_pending USING btree (minute)",
        "idx_snmp_credentials_device: CREATE INDEX idx_snmp_credentials_device ON snmp_credentials USING btree (device_id)",
        "idx_standalone_devices_branch: CREATE INDEX idx_standalone_devices_branch ON standalone_devices USING btree (branch_id)",
        "idx_standalone_devices_changed_id: CREATE INDEX idx_standalone_devices_changed_id ON standalone_devices USING btree (COALESCE(updated_at, created_at), id)",
        "idx_standalone_devices_enabled: CREATE INDEX idx_standalone_devices_enabled ON standalone_devices USING btree (enabled)",
        "idx_standalone_devices_ip_id: CREATE INDEX idx_standalone_devices_ip_id ON standalone_devices USING btree (ip, id)",
        "idx_standalone_devices_name_id: CREATE INDEX idx_standalone_devices_name_id ON standalone_devices USING btree (lower((name)::text), id)",
        "idx_standalone_devices_subtype: CREATE INDEX idx_standalone_devices_subtype ON standalone_devices USING btree (device_subtype)",
        "idx_standalone_devices_type: CREATE INDEX idx_standalone_devices_type ON standalone_devices USING btree (device_type)",
        #"idx_traceroute_results_device_ip_ts: CREATE INDEX idx_traceroute_results_device_ip_ts ON traceroute_results USING btree (device_ip, "timestamp" DESC)"#,
        "idx_traceroute_results_job: CREATE INDEX idx_traceroute_results_job ON traceroute_results USING btree (job_id, hop_number)",
        "idx_user_sessions_user: CREATE INDEX idx_user_sessions_user ON user_sessions USING btree (user_id)",
        "idx_users_organization: CREATE INDEX idx_users_organization ON users USING btree (organization_id)",
        "ingest_quarantine_agent_id_sequence_key: CREATE UNIQUE INDEX ingest_quarantine_agent_id_sequence_key ON ingest_quarantine USING btree (agent_id, sequence)",
        "ingest_quarantine_pkey: CREATE UNIQUE INDEX ingest_quarantine_pkey ON ingest_quarantine USING btree (id)",
        "isp_link_patterns_pkey: CREATE UNIQUE INDEX isp_link_patterns_pkey ON isp_link_patterns USING btree (provider)",
        "item_rollup_1h_pkey: CREATE UNIQUE INDEX item_rollup_1h_pkey ON item_rollup_1h USING btree (item_id, bucket)",
        "item_rollup_1m_pkey: CREATE UNIQUE INDEX item_rollup_1m_pkey ON item_rollup_1m USING btree (item_id, bucket)",
        "legacy_import_map_pkey: CREATE UNIQUE INDEX legacy_import_map_pkey ON legacy_import_map USING btree (legacy_table, legacy_id)",
        "legacy_import_progress_pkey: CREATE UNIQUE INDEX legacy_import_progress_pkey ON legacy_import_progress USING btree (legacy_table)",
        "maintenance_windows_pkey: CREATE UNIQUE INDEX maintenance_windows_pkey ON maintenance_windows USING btree (id)",
        "metric_baselines_pkey: CREATE UNIQUE INDEX metric_baselines_pkey ON metric_baselines USING btree (item_id, hour_of_week)",
        "monitored_hostgroups_groupid_key: CREATE UNIQUE INDEX monitored_hostgroups_groupid_key ON monitored_hostgroups USING btree (groupid)",
        "monitored_hostgroups_pkey: CREATE UNIQUE INDEX monitored_hostgroups_pkey ON monitored_hostgroups USING btree (id)",
        "monitoring_items_pkey: CREATE UNIQUE INDEX monitoring_items_pkey ON monitoring_items USING btree (id)",
        "monitoring_profiles_name_key: CREATE UNIQUE INDEX monitoring_profiles_name_key ON monitoring_profiles USING btree (name)",
        "monitoring_profiles_pkey: CREATE UNIQUE INDEX monitoring_profiles_pkey ON monitoring_profiles USING btree (id)",
        "monitoring_templates_name_key: CREATE UNIQUE INDEX monitoring_templates_name_key ON monitoring_templates USING btree (name)",
        "monitoring_templates_pkey: CREATE UNIQUE INDEX monitoring_templates_pkey ON monitoring_templates USING btree (id)",
        #"mtr_results_pkey: CREATE UNIQUE INDEX mtr_results_pkey ON mtr_results USING btree (id, "timestamp")"#,
        "network_topology_pkey: CREATE UNIQUE INDEX network_topology_pkey ON network_topology USING btree (id)",
        "organizations_pkey: CREATE UNIQUE INDEX organizations_pkey ON organizations USING btree (id)",
        "organizations_subdomain_key: CREATE UNIQUE INDEX organizations_subdomain_key ON organizations USING btree (subdomain)",
        "performance_baselines_pkey: CREATE UNIQUE INDEX performance_baselines_pkey ON performance_baselines USING btree (device_id, hour_of_week)",
        #"ping_results_pkey: CREATE UNIQUE INDEX ping_results_pkey ON ping_results USING btree (id, "timestamp")"#,
        "ping_rollup_1h_pkey: CREATE UNIQUE INDEX ping_rollup_1h_pkey ON ping_rollup_1h USING btree (device_id, bucket)",
        "ping_rollup_1m_pkey: CREATE UNIQUE INDEX ping_rollup_1m_pkey ON ping_rollup_1m USING btree (device_id, bucket)",
        "revoked_certificates_pkey: CREATE UNIQUE INDEX revoked_certificates_pkey ON revoked_certificates USING btree (serial)",
        "rollup_pending_pkey: CREATE UNIQUE INDEX rollup_pending_pkey ON rollup_pending USING btree (kind, key_id, minute)",
        "schema_migrations_pkey: CREATE UNIQUE INDEX schema_migrations_pkey ON schema_migrations USING btree (version)",
        "setup_wizard_state_pkey: CREATE UNIQUE INDEX setup_wizard_state_pkey ON setup_wizard_state USING btree (id)",
        "snmp_credentials_pkey: CREATE UNIQUE INDEX snmp_credentials_pkey ON snmp_credentials USING btree (id)",
        "standalone_devices_pkey: CREATE UNIQUE INDEX standalone_devices_pkey ON standalone_devices USING btree (id)",
        "system_config_key_key: CREATE UNIQUE INDEX system_config_key_key ON system_config USING btree (key)",
        "system_config_pkey: CREATE UNIQUE INDEX system_config_pkey ON system_config USING btree (id)",
        #"traceroute_results_pkey: CREATE UNIQUE INDEX traceroute_results_pkey ON traceroute_results USING btree (id, "timestamp")"#,
        "user_regions_pkey: CREATE UNIQUE INDEX user_regions_pkey ON user_regions USING btree (user_id, region)",
        "user_sessions_pkey: CREATE UNIQUE INDEX user_sessions_pkey ON user_sessions USING btree (id_hash)",
        "users_email_key: CREATE UNIQUE INDEX users_email_key ON users USING btree (email)",
        "users_pkey: CREATE UNIQUE INDEX users_pkey ON users USING btree (id)",
        "users_username_key: CREATE UNIQUE INDEX users_username_key ON users USING btree (username)",
    ]

    /// Functions in the public schema.
    static let functions: [String] = [
        "outpost_audit_log_append_only",
        "outpost_create_device_config_trigger",
        "outpost_drop_daily_partitions_before",
        "outpost_drop_monthly_partitions_before",
        "outpost_ensure_daily_partitions",
        "outpost_ensure_monthly_partitions",
        "outpost_maintain_branch_device_count",
        "outpost_notify_alert_rules_changed",
        "outpost_notify_config_branches",
        "outpost_notify_console",
        "outpost_notify_console_alert",
        "outpost_notify_console_device",
        "outpost_notify_device_child_config_changed",
        "outpost_notify_device_config_changed",
        "outpost_notify_settings_config_changed",
        "outpost_notify_template_config_changed",
        "outpost_record_agent_certificate",
    ]

    /// Triggers on parent tables: "table.trigger: function".
    static let triggers: [String] = [
        "agents.trg_agents_record_certificate: outpost_record_agent_certificate",
        "alert_history.trg_alert_history_console_insert: outpost_notify_console_alert",
        "alert_history.trg_alert_history_console_update: outpost_notify_console_alert",
        "alert_rules.trg_alert_rules_changed: outpost_notify_alert_rules_changed",
        "audit_log.trg_audit_log_append_only: outpost_audit_log_append_only",
        "monitoring_items.trg_monitoring_items_config_insert_delete: outpost_notify_device_child_config_changed",
        "monitoring_items.trg_monitoring_items_config_update: outpost_notify_device_child_config_changed",
        "monitoring_templates.trg_monitoring_templates_config: outpost_notify_template_config_changed",
        "snmp_credentials.trg_snmp_credentials_config: outpost_notify_device_child_config_changed",
        "standalone_devices.trg_standalone_devices_config_insert_delete: outpost_notify_device_config_changed",
        "standalone_devices.trg_standalone_devices_config_update: outpost_notify_device_config_changed",
        "standalone_devices.trg_standalone_devices_console: outpost_notify_console_device",
        "standalone_devices.trg_standalone_devices_count_branch_change: outpost_maintain_branch_device_count",
        "standalone_devices.trg_standalone_devices_count_insert_delete: outpost_maintain_branch_device_count",
        "system_config.trg_system_config_config: outpost_notify_settings_config_changed",
    ]
}
