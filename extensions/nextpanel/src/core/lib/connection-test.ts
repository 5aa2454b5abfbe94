// A connection test that answers the question operators actually have: "will provisioning
// work?". Reachability alone said "connected" while every create failed with 403, so this also
// checks the credentials and the key's permission level, and says how to fix what failed.
import type { NextPanelClient } from '../nextpanel/client.ts';
import { NextPanelFailure, type FailureCode } from '../nextpanel/failure.ts';
import {
	CONNECTION_STATUSES,
	type CheckName,
	type ConnectionCheck,
	type ConnectionStatus,
	type ConnectionTestResult,
} from '../../shared/wire/connection-test.ts';

export { CONNECTION_STATUSES, type CheckName, type ConnectionCheck, type ConnectionStatus, type ConnectionTestResult };

function statusFor(code: FailureCode): ConnectionStatus {
	return (CONNECTION_STATUSES as readonly string[]).includes(code) ? (code as ConnectionStatus) : 'bad_response';
}

function asFailure(error: unknown): NextPanelFailure {
	return error instanceof NextPanelFailure ? error : new NextPanelFailure({ code: 'bad_response', message: String(error) });
}

export async function testConnection(client: NextPanelClient, timeoutMs: number): Promise<ConnectionTestResult> {
	const checks: ConnectionCheck[] = [];
	const skipRest = (after: CheckName, names: CheckName[]) =>
		names.forEach((name) => checks.push({ name, ok: false, skipped: true, message: `Not checked: the ${after} check failed first.` }));
	const failed = (failure: NextPanelFailure, version: string | null, latency: number | null): ConnectionTestResult => ({
		ok: false,
		status: statusFor(failure.code),
		message: failure.message,
		version,
		latency_ms: latency,
		checks,
	});

	const started = performance.now();
	let version: string | null;
	let latency: number | null;
	try {
		const health = await client.health(timeoutMs);
		latency = Math.round(performance.now() - started);
		version = health.version ?? null;
		const degraded = health.status !== 'healthy' || (health.database !== undefined && health.database !== 'connected');
		checks.push({
			name: 'reachable',
			ok: true,
			skipped: false,
			message: degraded
				? `NextPanel answered in ${latency} ms but reports status "${health.status}"${health.database ? `, database "${health.database}"` : ''}; provisioning may fail until it is healthy.`
				: `NextPanel answered in ${latency} ms.`,
		});
	} catch (error) {
		const failure = asFailure(error);
		checks.push({ name: 'reachable', ok: false, skipped: false, message: failure.message });
		skipRest('reachable', ['credentials', 'permission', 'version']);
		return failed(failure, null, null);
	}

	try {
		const accounts = await client.listAccounts(timeoutMs);
		checks.push({
			name: 'credentials',
			ok: true,
			skipped: false,
			message: `The API key and secret are accepted (${accounts.length} account${accounts.length === 1 ? '' : 's'} on the server).`,
		});
	} catch (error) {
		const failure = asFailure(error);
		checks.push({ name: 'credentials', ok: false, skipped: false, message: failure.message });
		skipRest('credentials', ['permission', 'version']);
		return failed(failure, version, latency);
	}

	try {
		await client.probeWritePermission(timeoutMs);
		checks.push({
			name: 'permission',
			ok: true,
			skipped: false,
			message: 'The key has the SUPER_ADMIN level needed to create, suspend, unsuspend and delete accounts.',
		});
	} catch (error) {
		const failure = asFailure(error);
		checks.push({ name: 'permission', ok: false, skipped: false, message: failure.message });
		skipRest('permission', ['version']);
		return failed(failure, version, latency);
	}

	checks.push({
		name: 'version',
		ok: true,
		skipped: false,
		message: version ? `NextPanel version ${version}.` : 'The server did not report its version.',
	});
	return {
		ok: true,
		status: 'ok',
		message: `Connected: NextPanel${version ? ` ${version}` : ''} is reachable, the credentials work and the key may provision accounts.`,
		version,
		latency_ms: latency,
		checks,
	};
}
