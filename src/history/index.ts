export { applyBaselineFile, BaselineError, baselineFingerprints, markBaseline } from './baseline.js';
export { HistoryError } from './errors.js';
export { renderDiffJson, renderDiffMarkdown, renderDiffText } from './render.js';
export { MIGRATIONS, SCHEMA_VERSION } from './schema.js';
export type { History, HistoryDiff, OpenOptions, ScanMeta, ScanRecord, StoredFinding } from './store.js';
export { openHistory } from './store.js';
