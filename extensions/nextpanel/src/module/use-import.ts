// The import wizard's steps: a dry run to preview, then the import in batches of remote ids with
// progress between them. Each batch is planned again by the server, so an account that changed
// since the preview (now linked, username taken) is reported rather than imported twice.
import { computed, ref, type Ref } from 'vue';
import { useApi } from '@directus/extensions-sdk';
import type { ImportReport, ImportRow } from '../shared/api-types.ts';
import { describeApiError } from '../shared/describe-api-error.ts';
import { importBatches } from './import-batches.ts';

export type ImportStep = 'options' | 'preview' | 'importing' | 'done';

export interface ImportResult {
	imported: number;
	newCustomers: number;
	/** Rows the preview would import but the import skipped: something changed in between. */
	skipped: ImportRow[];
	/** How the import ended: all batches, stopped by the user, or an error (its message). */
	ending: 'complete' | 'stopped' | { error: string };
}

export function useImport(serverId: Ref<string>) {
	const api = useApi();
	const step = ref<ImportStep>('options');
	const createCustomers = ref(false);
	/** The term the imported accounts start with; empty: no term. */
	const paidUntil = ref<string | null>(null);
	const previewing = ref(false);
	const previewError = ref<string | null>(null);
	const preview = ref<ImportReport | null>(null);
	const progress = ref({ done: 0, total: 0 });
	const result = ref<ImportResult | null>(null);
	const stopRequested = ref(false);

	const importable = computed(() => preview.value?.counts.import ?? 0);

	const post = async (body: Record<string, unknown>) =>
		(await api.post<{ data: ImportReport }>(`/nextpanel/servers/${serverId.value}/import`, body)).data.data;

	async function runPreview(): Promise<void> {
		previewing.value = true;
		previewError.value = null;
		try {
			preview.value = await post({ dry_run: true, create_customers: createCustomers.value });
			step.value = 'preview';
		} catch (caught) {
			previewError.value = describeApiError(caught);
		} finally {
			previewing.value = false;
		}
	}

	async function runImport(): Promise<void> {
		if (!preview.value) return;
		const batches = importBatches(preview.value.rows);
		step.value = 'importing';
		stopRequested.value = false;
		progress.value = { done: 0, total: batches.reduce((sum, batch) => sum + batch.length, 0) };
		const outcome: ImportResult = { imported: 0, newCustomers: 0, skipped: [], ending: 'complete' };
		for (const only of batches) {
			if (stopRequested.value) {
				outcome.ending = 'stopped';
				break;
			}
			try {
				const report = await post({ only, create_customers: createCustomers.value, paid_until: paidUntil.value || null });
				outcome.imported += report.counts.import;
				outcome.newCustomers += report.counts.new_customers;
				outcome.skipped.push(...report.rows.filter((row) => row.action === 'skip'));
			} catch (caught) {
				outcome.ending = { error: describeApiError(caught) };
				break;
			}
			progress.value = { ...progress.value, done: progress.value.done + only.length };
		}
		result.value = outcome;
		step.value = 'done';
	}

	function reset(): void {
		step.value = 'options';
		preview.value = null;
		previewError.value = null;
		result.value = null;
		progress.value = { done: 0, total: 0 };
		stopRequested.value = false;
	}

	return {
		step,
		createCustomers,
		paidUntil,
		previewing,
		previewError,
		preview,
		importable,
		progress,
		result,
		stopRequested,
		runPreview,
		runImport,
		reset,
	};
}
