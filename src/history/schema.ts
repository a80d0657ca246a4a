/**
 * The history database schema, as an ordered list of migrations. Migration N takes a database at
 * `PRAGMA user_version = N` to N + 1. Never edit a released migration: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // v1: scans and their findings.
  `CREATE TABLE scans (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     target TEXT NOT NULL,
     started_at TEXT NOT NULL,
     tool_version TEXT NOT NULL,
     sources TEXT NOT NULL,
     options TEXT NOT NULL,
     summary TEXT NOT NULL
   );
   CREATE TABLE findings (
     scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
     fingerprint TEXT NOT NULL,
     rule_id TEXT NOT NULL,
     severity TEXT NOT NULL,
     resource_id TEXT NOT NULL,
     resource_name TEXT NOT NULL,
     message TEXT NOT NULL,
     suppressed INTEGER NOT NULL,
     finding TEXT NOT NULL,
     PRIMARY KEY (scan_id, fingerprint)
   );`,
  // v2: when the scan ended, whether it was complete, baseline marks, and indexes for per-target lookups.
  `ALTER TABLE scans ADD COLUMN finished_at TEXT;
   ALTER TABLE scans ADD COLUMN complete INTEGER NOT NULL DEFAULT 1;
   ALTER TABLE findings ADD COLUMN in_baseline INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX scans_by_target ON scans(target, id);
   CREATE INDEX findings_by_rule ON findings(rule_id);`,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;
