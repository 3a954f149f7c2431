#!/usr/bin/env python3
"""Builds a legacy WARD OPS SQLite database (the schema SQLAlchemy's create_all gives at the
last SQLite-capable legacy commit, docs/legacy-import.md) with realistic and messy rows.

    scripts/lib/legacy-fixture.py OUT.db KEY1 KEY2 NOW_EPOCH PINGS [BRANCHES DEVICES [PG.sql]]

KEY1 plays WARD_ENCRYPTION_KEY, KEY2 ENCRYPTION_KEY. PINGS extra ping rows are written as the
legacy's scheduled task wrote its newest ones (every device each 10 s, so six rows per device and
minute), ending a minute before NOW; BRANCHES and DEVICES extra inventory (the benchmark's
bulk: scripts/lib/legacy-import-bench.sh); the messy rows are always there. Used by
Tests/OutpostCollectorTests/Legacy (LegacyFixture) and the benchmark. With PG.sql it also
writes the same tables and rows as PostgreSQL statements (one per line), as a site that moved
the legacy to PostgreSQL has them: UUID, BOOLEAN and TIMESTAMP typed, JSON kept as text (the
fixture's unparseable JSON could not be stored in a json column).
"""
import json
import sqlite3
import sys
from datetime import datetime, timedelta, timezone

from cryptography.fernet import Fernet

out, key1, key2, now_epoch, extra_pings = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
branch_count = int(sys.argv[6]) if len(sys.argv) > 6 else 0
device_count = int(sys.argv[7]) if len(sys.argv) > 7 else 0
f1, f2 = Fernet(key1.encode()), Fernet(key2.encode())
now = datetime.fromtimestamp(now_epoch, timezone.utc).replace(tzinfo=None)


def ts(value):
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


db = sqlite3.connect(out)
db.executescript("""
CREATE TABLE users (id INTEGER NOT NULL, username VARCHAR(50) NOT NULL, email VARCHAR(100) NOT NULL,
    full_name VARCHAR(100), hashed_password VARCHAR(255) NOT NULL, role VARCHAR(16), organization_id INTEGER,
    is_superuser BOOLEAN, region VARCHAR(50), regions VARCHAR(1000), branches VARCHAR(500), is_active BOOLEAN,
    created_at DATETIME, last_login DATETIME, theme_preference VARCHAR(10), language VARCHAR(10),
    timezone VARCHAR(50), notifications_enabled BOOLEAN, dashboard_layout VARCHAR(1000), PRIMARY KEY (id),
    UNIQUE (username), UNIQUE (email));
CREATE TABLE branches (id VARCHAR(36) NOT NULL, name VARCHAR(200) NOT NULL, display_name VARCHAR(200) NOT NULL,
    region VARCHAR(100), branch_code VARCHAR(10), address TEXT, is_active BOOLEAN, device_count INTEGER,
    created_at DATETIME DEFAULT (CURRENT_TIMESTAMP), updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    PRIMARY KEY (id), UNIQUE (name));
CREATE TABLE standalone_devices (id UUID NOT NULL, name VARCHAR(200) NOT NULL, ip VARCHAR(45) NOT NULL,
    hostname VARCHAR(255), vendor VARCHAR(100), device_type VARCHAR(100), model VARCHAR(100), location VARCHAR(200),
    description TEXT, enabled BOOLEAN NOT NULL, discovered_at DATETIME, last_seen DATETIME, tags JSON,
    custom_fields JSON, branch_id VARCHAR(36), normalized_name VARCHAR(200), device_subtype VARCHAR(100),
    floor_info VARCHAR(50), unit_number INTEGER, original_name VARCHAR(200), ssh_port INTEGER,
    ssh_username VARCHAR(100), ssh_enabled BOOLEAN, snmp_community VARCHAR(255), snmp_version VARCHAR(10),
    snmp_port INTEGER, down_since DATETIME, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,
    PRIMARY KEY (id));
CREATE TABLE snmp_credentials (id UUID NOT NULL, device_id UUID NOT NULL, version VARCHAR(10) NOT NULL,
    community_encrypted TEXT, username VARCHAR(100), auth_protocol VARCHAR(20), auth_key_encrypted TEXT,
    priv_protocol VARCHAR(20), priv_key_encrypted TEXT, security_level VARCHAR(20), created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL, PRIMARY KEY (id));
CREATE TABLE ping_results (id INTEGER NOT NULL, device_ip VARCHAR(50) NOT NULL, device_name VARCHAR(255),
    packets_sent INTEGER, packets_received INTEGER, packet_loss_percent INTEGER, min_rtt_ms INTEGER,
    avg_rtt_ms INTEGER, max_rtt_ms INTEGER, is_reachable BOOLEAN, timestamp DATETIME, PRIMARY KEY (id));
CREATE INDEX ix_ping_results_device_ip ON ping_results (device_ip);
CREATE INDEX ix_ping_results_timestamp ON ping_results (timestamp);
CREATE TABLE monitoring_templates (id UUID NOT NULL, name VARCHAR(100) NOT NULL, description TEXT,
    vendor VARCHAR(100), device_types JSON, items JSON, triggers JSON, is_default BOOLEAN, created_by UUID,
    created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, PRIMARY KEY (id), UNIQUE (name));
CREATE TABLE alert_rules (id UUID NOT NULL, device_id UUID, branch_id VARCHAR(36), name VARCHAR(200) NOT NULL,
    description TEXT, expression VARCHAR(500) NOT NULL, severity VARCHAR(20) NOT NULL, notification_channels JSON,
    notification_recipients JSON, device_group VARCHAR(100), monitoring_item_id UUID, enabled BOOLEAN NOT NULL,
    created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, PRIMARY KEY (id));
CREATE TABLE alert_history (id UUID NOT NULL, rule_id UUID, device_id UUID, rule_name VARCHAR(200),
    severity VARCHAR(8) NOT NULL, message TEXT NOT NULL, value VARCHAR(100), threshold VARCHAR(500),
    triggered_at DATETIME NOT NULL, acknowledged BOOLEAN, acknowledged_by UUID, acknowledged_at DATETIME,
    resolved_at DATETIME, notifications_sent JSON, created_at DATETIME NOT NULL, PRIMARY KEY (id),
    FOREIGN KEY(rule_id) REFERENCES alert_rules (id));
CREATE TABLE discovery_rules (id UUID NOT NULL, name VARCHAR(200) NOT NULL, description TEXT,
    network_range VARCHAR(100) NOT NULL, enabled BOOLEAN, schedule VARCHAR(100), snmp_discovery BOOLEAN,
    snmp_communities JSON, ping_only BOOLEAN, last_run DATETIME, last_devices_found INTEGER,
    created_at DATETIME DEFAULT (CURRENT_TIMESTAMP), updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP),
    PRIMARY KEY (id));
CREATE TABLE discovery_credentials (id UUID NOT NULL, name VARCHAR(200) NOT NULL,
    credential_type VARCHAR(50) NOT NULL, community_encrypted TEXT, username VARCHAR(100), auth_protocol VARCHAR(20),
    priv_protocol VARCHAR(20), auth_key_encrypted TEXT, priv_key_encrypted TEXT, ssh_username VARCHAR(100),
    ssh_password_encrypted TEXT, ssh_key_encrypted TEXT, success_count INTEGER, failure_count INTEGER,
    last_success DATETIME, created_by INTEGER, created_at DATETIME DEFAULT (CURRENT_TIMESTAMP), PRIMARY KEY (id));
""")

seed = "2025-10-10 15:27:47.000000"  # Zabbix seed rows: Tbilisi local time
B_BATUMI = "0b9f3c1e-2a44-4c1b-9d0e-1f2a3b4c5d01"
B_ZUGDIDI = "0b9f3c1e-2a44-4c1b-9d0e-1f2a3b4c5d02"
B_ZESTAFONI = "0b9f3c1e-2a44-4c1b-9d0e-1f2a3b4c5d03"
B_ATLANTIS = "0b9f3c1e-2a44-4c1b-9d0e-1f2a3b4c5d04"
B_BAD = "0b9f3c1e-2a44-4c1b-9d0e-1f2a3b4c5d05"
branches = [
    (B_BATUMI, "Batumi", "Batumi", "Achara", "BAT1", "Gorgiladze St. 1", 1),
    (B_ZUGDIDI, "Zugdidi 2 ", "Zugdidi 2 ", "Samegrelo", None, None, 1),
    (B_ZESTAFONI, "Zestafoni", "Zestafoni", "Imereti", "ZES", None, 1),
    (B_ATLANTIS, "Batumi Favorites (2nd)", "Batumi Favorites (2Nd)", "Atlantis", None, None, 0),
    (B_BAD, "Bad\tname", "Bad", "Achara", None, None, 1),
]
for i in range(branch_count):
    branches.append((f"1b9f3c1e-2a44-4c1b-9d0e-{i:012d}", f"Branch {i:03d}", f"Branch {i:03d}", "Imereti",
                     f"B{i:03d}", None, 1))
for b in branches:
    db.execute("INSERT INTO branches VALUES (?,?,?,?,?,?,?,0,?,?)", b + (seed, seed))

D = {n: f"5c0d{n:04d}aa11bb22cc33dd44ee55ff66" for n in range(1, 12)}  # ORM form: 32 hex
devices = [
    (D[1], "Batumi-Router", "10.20.1.5", B_BATUMI, '["Branches"]', "Router"),
    (D[2], "PING-Zugdidi-PayBox_10.30.1.20", "10.30.1.20", B_ZUGDIDI, '["Branches"]', "Paybox"),
    (D[3], "Zugdidi-NVR -  ", "10.30.1.30", B_ZUGDIDI, "[]", "NVR"),                 # trailing spaces
    (D[4], "Batumi-ATM", "10.99.0.7", B_BATUMI, '["Branches"]', "ATM"),              # duplicate address ...
    (D[5], "Zestafoni-ATM", "10.99.0.7", B_ZESTAFONI, '["Branches"]', "ATM"),        # ... in another branch
    (D[6], "ბათუმი-სვიჩი", "10.20.1.10", B_BATUMI, '["Branches"]', "Switch"),        # Georgian name
    (D[7], "Broken-IP", "10.20.1.300", B_BATUMI, "[]", "Router"),                    # invalid address
    (D[8], "Ghost-Branch", "10.40.1.1", "9d9d9d9d-0000-4000-8000-000000000000", "[]", "Router"),  # dangling branch
    (D[9], "Bad-JSON", "10.20.1.11", B_BATUMI, '["Branches"', "Switch"),            # unparseable JSON
    (D[10], "Core", "10.0.0.1", None, None, "Core Router"),                         # no branch, NULL tags
]
for i in range(device_count):
    devices.append((f"6c0d{i:028x}", f"Device {i:04d}", f"10.{100 + i // 60000}.{i // 250 % 240}.{i % 250 + 1}",
                    f"1b9f3c1e-2a44-4c1b-9d0e-{i % max(branch_count, 1):012d}" if branch_count else None,
                    '["Branches"]', "Paybox"))
# The community kept on the device row: plaintext as the legacy wrote it, one Fernet token (a
# value copied from snmp_credentials), '' for none; bulk devices share the branches' "public".
communities = {D[1]: "credo-ro", D[2]: "", D[3]: "nvr-public", D[5]: "atm-ro", D[6]: "public",
               D[10]: f2.encrypt(b"core-ro").decode()}
for d in devices:
    community = communities.get(d[0], "public" if d[0].startswith("6c0d") else None)
    last_seen = "1970-01-01 00:00:00.000000" if d[0] == D[2] else seed
    custom = json.dumps({"zabbix_hostid": "10101", "region": "Achara", "synced_at": "2025-10-10T15:27:47+00:00"})
    db.execute("""INSERT INTO standalone_devices (id, name, ip, hostname, vendor, device_type, location, enabled,
        discovered_at, last_seen, tags, custom_fields, branch_id, ssh_port, ssh_enabled, snmp_community, snmp_version,
        down_since, created_at, updated_at) VALUES (?,?,?,?,?,?,?,1,?,?,?,?,?,22,1,?,?,?,?,?)""",
               (d[0], d[1], d[2], None, "Cisco" if d[5] == "Router" else None, d[5], "Achara / Batumi", seed,
                last_seen, d[4], custom, d[3], community, "2c" if community else None,
                "2025-10-24 08:00:00.123456" if d[0] == D[1] else None,
                seed, seed))

app = "2025-10-20 09:15:00.250000"  # application rows: UTC
creds = [
    ("aa000001aa000001aa000001aa000001", D[1], "v2c", f1.encrypt(b"credo-ro").decode(), None, None, None, None, None),
    ("aa000002aa000001aa000001aa000001", D[2], "v2c", f2.encrypt(b"paybox-ro").decode(), None, None, None, None, None),
    ("aa000003aa000001aa000001aa000001", D[4], "2c", "plain-public", None, None, None, None, None),  # plaintext
    ("aa000004aa000001aa000001aa000001", D[6], "v3", None, "monitor", "SHA", f1.encrypt(b"auth-pass-1").decode(),
     "AES", f1.encrypt(b"priv-pass-1").decode()),
    ("aa000005aa000001aa000001aa000001", D[5], "v2c", "", None, None, None, None, None),  # empty community
    ("aa000006aa000001aa000001aa000001", D[8], "v2c", f1.encrypt(b"ghost").decode(), None, None, None, None, None),
]
for c in creds:
    db.execute("INSERT INTO snmp_credentials VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
               c + ("authPriv" if c[2] == "v3" else None, app, app))

argon = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
pbkdf2 = "$pbkdf2-sha256$29000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGg"
bcrypt = "$2b$12$abcdefghijklmnopqrstuuNLs0AtzmGBnqwNYwOv6MDSWdSfWjbTe"
users = [
    (1, "admin", "admin@credobank.ge", "Admin", argon, "ADMIN", 1, None, "[]"),
    (2, "nino.b", "nino@credobank.ge", "Nino B", pbkdf2, "REGIONAL_MANAGER", 0, "Achara", '["Achara", "Samegrelo"]'),
    (3, "giorgi", "giorgi@credobank.ge", None, bcrypt, "TECHNICIAN", 0, None, None),
    (4, "bad user", "bad@credobank.ge", None, bcrypt, "VIEWER", 0, None, None),      # invalid username
    (5, "hero", "hero@credobank.ge", None, bcrypt, "SUPERHERO", 0, None, None),      # unknown role
]
for u in users:
    db.execute("""INSERT INTO users (id, username, email, full_name, hashed_password, role, is_superuser, region,
        regions, branches, is_active, created_at, last_login) VALUES (?,?,?,?,?,?,?,?,?,'',1,?,?)""",
               u + (app, None))

R_DOWN = "f74211c0-aa82-49b6-0d17-d6a8ba5b74b8"  # seed id: not RFC 4122 (variant nibble)
R_LAT = "c951817f191dc793795a40c0910ae14c"
R_FLAP = "1d2e3f40-0000-4000-8000-000000000001"
R_ISP = "1d2e3f40-0000-4000-8000-000000000002"
R_CPU = "1d2e3f40-0000-4000-8000-000000000003"
R_JUNK = "1d2e3f40-0000-4000-8000-000000000004"
R_URGENT = "1d2e3f40-0000-4000-8000-000000000005"
R_GHOST = "1d2e3f40-0000-4000-8000-000000000006"
rules = [
    (R_DOWN, None, None, "Device Down - Critical", "ping_unreachable >= 5", "critical", "[]", "[]", seed),
    (R_LAT, None, B_BATUMI, "High Latency", "avg_ping_ms > 200", "CRITICAL", "null", '["noc@credobank.ge", "NOC desk"]', seed),
    (R_FLAP, None, None, "Flapping", "status_changes >= 3 in 5 minutes", "high", '["email"]', "[]", app),
    (R_ISP, None, None, "ISP slow", "isp_link AND response_time > 100ms", "medium", "[]", "[]", app),
    (R_CPU, D[1], None, "CPU", "cpu_load > 90", "warning", "[]", "[]", app),
    (R_JUNK, None, None, "Junk", "ping_unreachable >= (((", "low", "[]", "[]", app),
    (R_URGENT, None, None, "Urgent", "packet_loss > 10", "urgent", "[]", "[]", app),
    (R_GHOST, D[8], None, "Ghost", "packet_loss > 10", "info", "[]", "[]", app),
]
for r in rules:
    db.execute("""INSERT INTO alert_rules (id, device_id, branch_id, name, expression, severity,
        notification_channels, notification_recipients, enabled, created_at, updated_at)
        VALUES (?,?,?,?,?,?,?,?,1,?,?)""", r[:8] + (r[8], r[8]))

A = {n: f"ab{n:030x}" for n in range(1, 8)}
alerts = [
    (A[1], R_DOWN, D[1], "Device Down - Critical", "CRITICAL", "Batumi-Router is down", "7", "ping_unreachable >= 5",
     "2025-10-24 08:00:00.123456", 0, None, None, "[]"),                                   # open
    (A[2], R_LAT, D[6], "High Latency", "HIGH", "latency 245ms", "245ms", "avg_ping_ms > 200",
     "2025-10-23 10:00:00.000000", 1, "2025-10-23 10:05:00.000000", "2025-10-23 10:30:00.000000", 0),
    (A[3], None, D[2], "Device Unreachable", "CRITICAL", "Paybox unreachable", "12_minutes_down", "1",
     "2025-10-22 06:00:00", 0, None, None, "[]"),                                           # ping task: no rule
    (A[4], "0d0d0d0d0d0d4d0d8d0d0d0d0d0d0d0d", D[1], "Deleted rule", "MEDIUM", "old", "14.0%", "packet_loss > 10",
     "2025-10-21 06:00:00", 0, None, "2025-10-21 07:00:00", "[]"),                          # rule deleted
    (A[5], R_DOWN, D[1], "Device Down - Critical", "LOW", "time travel", None, None,
     "2025-10-21 06:00:00", 0, None, "2025-10-21 05:00:00", "[]"),                          # resolved before triggered
]
for a in alerts:
    db.execute("""INSERT INTO alert_history (id, rule_id, device_id, rule_name, severity, message, value, threshold,
        triggered_at, acknowledged, acknowledged_at, resolved_at, notifications_sent, created_at)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", a + (a[8],))

legacy_template = {
    "name": "Cisco IOS Legacy", "description": "legacy format", "vendor": "Cisco",
    "device_types": ["router", "switch"],
    "items": [
        {"name": "System Uptime", "oid_name": "sysUpTime", "oid": "1.3.6.1.2.1.1.3.0", "interval": 60,
         "value_type": "integer", "units": "timeticks"},
        {"name": "CPU 5sec Average", "oid_name": "cpu_5sec", "oid": "1.3.6.1.4.1.9.2.1.56.0", "interval": 60,
         "value_type": "gauge", "units": "%"},
        {"name": "Interface Operational Status", "oid_name": "ifOperStatus", "oid": "1.3.6.1.2.1.2.2.1.8",
         "interval": 60, "value_type": "integer", "units": "", "is_table": True},
        {"name": "Interface Input Errors", "oid_name": "ifInErrors", "oid": "1.3.6.1.2.1.2.2.1.14", "interval": 60,
         "value_type": "counter32", "units": "errors", "is_table": True},
    ],
    "triggers": [
        {"name": "High CPU Usage", "expression": "cpu_5sec > 90", "severity": "warning", "for_duration": 300},
        {"name": "Interface Down", "expression": "ifOperStatus == 2", "severity": "error", "for_duration": 60},
        {"name": "Errors", "expression": "rate(ifInErrors) > 100", "severity": "warning", "for_duration": 300},
    ],
}
db.execute("INSERT INTO monitoring_templates VALUES (?,?,?,?,?,?,?,0,NULL,?,?)",
           ("7e000001aa000001aa000001aa000001", legacy_template["name"], legacy_template["description"], "Cisco",
            json.dumps(legacy_template["device_types"]), json.dumps(legacy_template["items"]),
            json.dumps(legacy_template["triggers"]), app, app))
db.execute("INSERT INTO monitoring_templates VALUES (?,?,?,?,?,?,?,0,NULL,?,?)",
           ("7e000002aa000001aa000001aa000001", "Broken", None, None, "[]", '[{"name": ', "[]", app, app))

db.execute("INSERT INTO discovery_rules VALUES (?,?,?,?,1,?,1,?,0,NULL,0,?,?)",
           ("d1000001aa000001aa000001aa000001", "Batumi sweep", None, "10.20.1.0/24", "0 3 * * *",
            '["public", "credo-ro"]', app, app))
db.execute("INSERT INTO discovery_rules VALUES (?,?,?,?,1,?,1,?,0,NULL,0,?,?)",
           ("d1000002aa000001aa000001aa000001", "Bad range", None, "10.20.1.0/33", None, "[]", app, app))

# Ping history: scheduled task (5 then 2 packets, loss as a truncated fraction, RTT 0 when
# down), diagnostics (percentages, NULL RTT), the "ping now" button (4 packets, min=avg=max).
rows = []
recent = now - timedelta(hours=2)
for n in range(40):
    t = recent + timedelta(seconds=10 * n)
    rows.append(("10.20.1.5", "Batumi-Router", 2, 2 if n % 5 else 0, 0 if n % 5 else 1, 3 if n % 5 else 0,
                 4 if n % 5 else 0, 6 if n % 5 else 0, 1 if n % 5 else 0, ts(t)))
rows.append(("10.20.1.10", "ბათუმი-სვიჩი", 5, 3, 40, 11, 12, 14, 1, ts(recent + timedelta(seconds=1))))  # diagnostics
rows.append(("10.20.1.10", "ბათუმი-სვიჩი", 5, 0, 100, None, None, None, 0, ts(recent + timedelta(seconds=2))))
rows.append(("10.30.1.20", "PING-Zugdidi-PayBox", 4, 4, 0, 9, 9, 9, 1, ts(recent + timedelta(seconds=3))))  # ping now
rows.append(("10.99.0.7", "Batumi-ATM", 2, 2, 0, 5, 5, 5, 1, ts(recent + timedelta(seconds=4))))   # shared address
rows.append(("10.99.0.7", "Zestafoni-ATM", 2, 0, 1, 0, 0, 0, 0, ts(recent + timedelta(seconds=5))))
rows.append(("10.55.55.55", "gone", 2, 2, 0, 1, 1, 1, 1, ts(recent + timedelta(seconds=6))))         # orphan
old = now - timedelta(days=20)
for n in range(12):
    rows.append(("10.20.1.5", "Batumi-Router", 5, 5 if n % 3 else 3, 0, 2, 3 + n, 9, 1, ts(old + timedelta(seconds=30 * n))))
rows.append(("10.20.1.5", "Batumi-Router", 5, 5, 0, 2, 3, 4, 1, ts(now - timedelta(days=900))))      # beyond every retention
rows.append(("10.20.1.999", "bad", 2, 2, 0, 1, 1, 1, 1, ts(recent)))                                # invalid address
rows.append(("10.20.1.5", "Batumi-Router", 2, 2, 0, 1, 1, 1, 1, None))                              # NULL timestamp
db.executemany("""INSERT INTO ping_results (device_ip, device_name, packets_sent, packets_received,
    packet_loss_percent, min_rtt_ms, avg_rtt_ms, max_rtt_ms, is_reachable, timestamp) VALUES (?,?,?,?,?,?,?,?,?,?)""",
               rows)
if extra_pings:
    ips = [(d[2], d[1]) for d in devices if d[2] != "10.20.1.300" and d[2] != "10.99.0.7"]
    # As the legacy's scheduled task wrote its newest rows: every device once per 10 s round, the
    # round's pings spread over its first second, the last round a minute before NOW.
    rounds = -(-extra_pings // len(ips))
    start = now - timedelta(minutes=1) - timedelta(seconds=10 * (rounds - 1))
    batch = []
    for n in range(extra_pings):
        ip, name = ips[n % len(ips)]
        offset = timedelta(seconds=10 * (n // len(ips)) + (n % len(ips)) / len(ips))
        up = n % 17 != 0
        batch.append((ip, name, 2, 2 if up else 0, 0 if up else 1, 3 if up else 0, 4 if up else 0,
                      7 if up else 0, 1 if up else 0, ts(start + offset)))
        if len(batch) == 100_000:
            db.executemany("""INSERT INTO ping_results (device_ip, device_name, packets_sent, packets_received,
                packet_loss_percent, min_rtt_ms, avg_rtt_ms, max_rtt_ms, is_reachable, timestamp)
                VALUES (?,?,?,?,?,?,?,?,?,?)""", batch)
            batch = []
    if batch:
        db.executemany("""INSERT INTO ping_results (device_ip, device_name, packets_sent, packets_received,
            packet_loss_percent, min_rtt_ms, avg_rtt_ms, max_rtt_ms, is_reachable, timestamp)
            VALUES (?,?,?,?,?,?,?,?,?,?)""", batch)
db.commit()

if len(sys.argv) > 8:
    types = {"UUID": "uuid", "BOOLEAN": "boolean", "DATETIME": "timestamp", "JSON": "text", "INTEGER": "bigint"}
    with open(sys.argv[8], "w") as sql:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall():
            columns = db.execute(f"PRAGMA table_info({table})").fetchall()
            kinds = [types.get(c[2].split("(")[0], c[2]) for c in columns]
            sql.write(f"CREATE TABLE {table} (" + ", ".join(f'"{c[1]}" {k}' for c, k in zip(columns, kinds)) + ");\n")

            def literal(value, kind):
                if value is None:
                    return "NULL"
                if kind == "boolean":
                    return "TRUE" if value else "FALSE"
                if isinstance(value, (int, float)):
                    return repr(value)
                return "'" + str(value).replace("'", "''") + "'"

            for row in db.execute(f"SELECT * FROM {table}").fetchall():
                sql.write(f"INSERT INTO {table} VALUES (" + ", ".join(literal(v, k) for v, k in zip(row, kinds)) + ");\n")
db.close()
