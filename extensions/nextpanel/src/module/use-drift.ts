// A server's drift: the latest scheduled result kept on the server item until someone asks
// NextPanel now, and the fixes that fit each row. Every fix refreshes the list from NextPanel,
// so a row disappears only when the difference really has.
import { computed, ref, type Ref } from 'vue';
import { useApi } from '@directus/extensions-sdk';
import type { DriftFix, DriftRow, ImportReport, StoredDriftReport } from '../shared/api-types.ts';
import { describeApiError } from '../shared/describe-api-error.ts';

export interface DriftSource {
	id: string;
	drift_checked_at: string | null;
	drift_report: StoredDriftReport | string | null;
}

/** What a fix did, in a form the dialog can show: done, or why not. */
export type FixOutcome = { ok: true; adopted?: boolean } | { ok: false; message: string };

function parseStored(report: DriftSource['drift_report']): StoredDriftReport | null {
	if (typeof report !== 'string') return report;
	try {
		return JSON.parse(report) as StoredDriftReport;
	} catch {
		return null;
	}
}

export function useDrift(server: Ref<DriftSource | null>) {
	const api = useApi();
	const live = ref<{ rows: DriftRow[]; at: string } | null>(null);
	const checking = ref(false);
	const checkError = ref<string | null>(null);

	const stored = computed(() => parseStored(server.value?.drift_report ?? null));
	const rows = computed<DriftRow[] | null>(() => {
		if (live.value) return live.value.rows;
		const report = stored.value;
		return report && 'rows' in report ? report.rows : null;
	});
	const storedError = computed(() => {
		const report = stored.value;
		return !live.value && report && 'error' in report ? report.error : null;
	});

	async function checkNow(): Promise<void> {
		if (!server.value) return;
		checking.value = true;
		try {
			// Checked and kept on the server, so its drift count on every card is current too.
			const response = await api.post<{ data: { rows: DriftRow[]; checked_at: string } }>(
				`/nextpanel/servers/${server.value.id}/drift`,
				{},
			);
			live.value = { rows: response.data.data.rows, at: response.data.data.checked_at };
			checkError.value = null;
		} catch (caught) {
			checkError.value = describeApiError(caught);
		} finally {
			checking.value = false;
		}
	}

	async function applyFix(row: DriftRow, fix: DriftFix, options: { createCustomers?: boolean } = {}): Promise<FixOutcome> {
		if (!server.value) return { ok: false, message: 'No server.' };
		try {
			if (fix === 'adopt') {
				const response = await api.post<{ data: ImportReport }>(`/nextpanel/servers/${server.value.id}/import`, {
					only: [row.remote_id],
					create_customers: options.createCustomers === true,
				});
				const report = response.data.data;
				// Not imported: the plan says why (no customer, username taken...).
				const skipped = report.rows.find((candidate) => candidate.action === 'skip');
				if (report.counts.import === 0 && skipped) return { ok: false, message: skipped.detail };
				return { ok: true, adopted: report.counts.import > 0 };
			}
			const route = { mark_terminated: 'mark-terminated', reapply_status: 'reapply-status', accept_remote_status: 'accept-remote-status' }[
				fix
			];
			await api.post(`/nextpanel/accounts/${row.hosting_account}/${route}`, {});
			return { ok: true };
		} catch (caught) {
			return { ok: false, message: describeApiError(caught) };
		}
	}

	return { rows, live, stored, storedError, checking, checkError, checkNow, applyFix };
}
