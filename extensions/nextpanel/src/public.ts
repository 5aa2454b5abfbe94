// What code outside the bundle may import from it: the benchmarks reach the installer's
// additions-only diff filter and the bounded-concurrency map through here (as `#nextpanel`,
// the root package.json's `imports`), not by paths into the bundle's folders. Directus never
// loads this file; it only re-exports.
export { additionsOnly, type DiffEntry, type SchemaDiff } from './core/install/schema-additions.ts';
export { mapLimited } from './shared/map-limited.ts';
export { dueUsageAccounts, planUsageBatch } from './core/lib/usage-due.ts';
