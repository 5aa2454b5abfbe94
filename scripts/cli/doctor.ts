// `doctor --server <id|url>`: the connection test with every check and its advice; the exit
// code says what is wrong, for scripts and monitoring.
import { CliError, type Directus } from './connection.ts';

export const EXIT_CODES: Record<string, number> = {
	ok: 0,
	unreachable: 2,
	timeout: 3,
	auth_failed: 4,
	ip_not_allowed: 5,
	insufficient_permission: 6,
	bad_response: 7,
};

interface TestResult {
	ok: boolean;
	status: string;
	message: string;
	version: string | null;
	latency_ms: number | null;
	checks: { name: string; ok: boolean; skipped: boolean; message: string }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function doctor(directus: Directus, server: string, credentials: { key?: string; secret?: string }): Promise<number> {
	let result: TestResult;
	if (UUID.test(server)) {
		result = await directus.nextpanel<TestResult>('POST', `/servers/${server}/test`, {});
	} else {
		if (!credentials.key || !credentials.secret)
			throw new CliError(
				'Testing a URL needs --key and --secret (or NEXTPANEL_API_KEY / NEXTPANEL_API_SECRET); a saved server is tested by its id.',
			);
		result = await directus.nextpanel<TestResult>('POST', '/servers/test', {
			base_url: server,
			api_key: credentials.key,
			api_secret: credentials.secret,
		});
	}
	const mark = (c: TestResult['checks'][number]) => (c.ok ? '✔' : c.skipped ? '·' : '✘');
	console.log(`${result.ok ? '✔' : '✘'} ${result.message}`);
	if (result.latency_ms !== null || result.version)
		console.log(
			`  ${[result.latency_ms !== null ? `${result.latency_ms} ms` : null, result.version ? `NextPanel ${result.version}` : null].filter(Boolean).join(' · ')}`,
		);
	for (const check of result.checks)
		console.log(`  ${mark(check)} ${check.name.padEnd(12)} ${check.skipped ? 'not checked' : check.message}`);
	return EXIT_CODES[result.status] ?? 1;
}
