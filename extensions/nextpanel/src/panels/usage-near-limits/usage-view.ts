// The usage panel's options as the route's query, and its rows in words: the share that sorts an
// account, and used of limit for disk and bandwidth.
import { NONE, formatMegabytes } from '../../interfaces/shared/format.ts';
import { USAGE_METRICS, type UsageMetric, type UsageRow } from '../../shared/wire/insights.ts';
import { optionInteger, optionText } from '../shared/panel-options.ts';
import { strings } from '../shared/strings.ts';

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;

export function optionMetric(value: unknown): UsageMetric {
	const text = optionText(value)?.toLowerCase();
	return (USAGE_METRICS as readonly string[]).includes(text ?? '') ? (text as UsageMetric) : 'any';
}

export function usageQuery(options: { server?: unknown; limit?: unknown; metric?: unknown }) {
	return {
		limit: optionInteger(options.limit, { fallback: DEFAULT_LIMIT, min: 1, max: MAX_LIMIT }),
		metric: optionMetric(options.metric),
		server: optionText(options.server),
	};
}

export type UsageLevel = 'normal' | 'high' | 'over';

export interface UsageFigure {
	text: string;
	/** 0-100 and more, rounded; null without a limit. */
	percent: number | null;
}

export interface UsageView {
	account: string;
	username: string;
	serverName: string;
	status: string;
	share: number | null;
	/** The share as a whole percentage; above 100 when the account is over its limit. */
	percent: number;
	level: UsageLevel;
	/** Which limit the share is of: the one asked for, or the nearer one for "any". */
	leading: 'disk' | 'bandwidth';
	disk: UsageFigure;
	bandwidth: UsageFigure;
}

const percentOf = (share: number | null) => (share === null ? null : Math.round(share * 100));

function figure(used: number | null, limit: number | null, share: number | null): UsageFigure {
	if (used === null) return { text: NONE, percent: null };
	if (limit === null || limit <= 0) return { text: `${formatMegabytes(used)} · ${strings.usage.unlimited}`, percent: null };
	return { text: strings.usage.of(formatMegabytes(used), formatMegabytes(limit)), percent: percentOf(share) };
}

export function usageView(row: UsageRow, metric: UsageMetric): UsageView {
	const percent = percentOf(row.share) ?? 0;
	const leading = metric === 'any' ? ((row.bandwidth_share ?? -1) > (row.disk_share ?? -1) ? 'bandwidth' : 'disk') : metric;
	return {
		account: row.account,
		username: row.username,
		serverName: row.server_name ?? strings.usage.noServer,
		status: row.status,
		share: row.share,
		percent,
		level: percent >= 100 ? 'over' : percent >= 80 ? 'high' : 'normal',
		leading,
		disk: figure(row.disk_used_mb, row.disk_limit_mb, row.disk_share),
		bandwidth: figure(row.bandwidth_used_mb, row.bandwidth_limit_mb, row.bandwidth_share),
	};
}

export function accountPath(id: string): string {
	return `/content/hosting_accounts/${encodeURIComponent(id)}`;
}
