import { formatAge } from '../../output/age.js';
import { fieldAt } from '../../output/universal-fields.js';
import type { OverviewColumn } from './overview-table.js';
import { summarizeSubscriptions } from './subscriptions.js';

/**
 * STATUS, LAST CONNECTED AGO, LAST UPDATED AGO, TOTAL UPDATES and TOTAL ERRORS of an overview
 * whose insight sits at `insightPath` (e.g. `['dataplaneInsight']`).
 */
export function connectionColumns(insightPath: readonly string[]): OverviewColumn[] {
  const summary = (item: unknown) => summarizeSubscriptions(fieldAt(item, [...insightPath, 'subscriptions']));
  return [
    { header: 'STATUS', cell: (item) => summary(item).status },
    { header: 'LAST CONNECTED AGO', cell: (item, now) => formatAge(summary(item).lastConnected, now) },
    { header: 'LAST UPDATED AGO', cell: (item, now) => formatAge(summary(item).lastUpdated, now) },
    { header: 'TOTAL UPDATES', cell: (item) => String(summary(item).totalUpdates) },
    { header: 'TOTAL ERRORS', cell: (item) => String(summary(item).totalErrors) },
  ];
}

/** A version string from the latest subscription (`['version', 'kumaDp', 'version']`), or `-`. */
export function latestVersionColumn(
  header: string,
  insightPath: readonly string[],
  versionPath: readonly string[],
): OverviewColumn {
  return {
    header,
    cell: (item) => {
      const v = fieldAt(summarizeSubscriptions(fieldAt(item, [...insightPath, 'subscriptions'])).latest, versionPath);
      return typeof v === 'string' && v !== '' ? v : '-';
    },
  };
}
