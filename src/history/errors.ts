/**
 * The history's error type, in a module of its own: the CLI tells it apart from a bug on every run,
 * and a scan that records nothing (`--no-db`) must not load the database code to do so.
 */

/** A history database problem the user can act on (unreadable file, newer schema, too few scans...). */
export class HistoryError extends Error {}
