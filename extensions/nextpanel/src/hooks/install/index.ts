// Installs or upgrades the plugin's schema while Directus starts, before it serves a request.
// A failure is logged with what to do and never stops Directus: the routes, the app and the
// schedules then report what is missing.
import { defineHook } from '@directus/extensions-sdk';
import { installPlugin } from '../../core/install/installer.ts';
import { useRuntime } from '../../core/runtime.ts';

export default defineHook(({ init }, context) => {
	init('app.before', async () => {
		const runtime = useRuntime(context);
		try {
			const report = await installPlugin(runtime);
			if (report.wrongTouches.length) {
				context.logger.warn(
					`nextpanel: an earlier version left ${report.wrongTouches.join('; ')} on Directus system collections; \`npm run cli -- repair --dry-run\` shows how it would be undone`,
				);
			}
			if (!report.installed) {
				context.logger.error(`nextpanel: nothing was installed: ${report.problem}`);
				return;
			}
			for (const notice of report.notices) context.logger.warn(`nextpanel: ${notice}`);
			const { collections, fields, relations } = report.added;
			const added = [
				collections.length ? `collections ${collections.join(', ')}` : null,
				fields.length ? `${fields.length} field(s)` : null,
				relations.length ? `${relations.length} relation(s)` : null,
			].filter(Boolean);
			if (added.length) context.logger.info(`nextpanel: installed ${added.join(', ')}`);
			for (const step of report.steps) context.logger.info(`nextpanel: install step ${step}`);
			if (!added.length && !report.steps.length) context.logger.info('nextpanel: schema up to date');
		} catch (error) {
			context.logger.error(
				`nextpanel: installing the schema failed, nothing of this attempt was kept: ${error instanceof Error ? error.message : String(error)}. Directus runs on; the NextPanel routes answer 503 until a restart installs it.`,
			);
		}
	});
});
