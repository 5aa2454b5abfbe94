// Keeps hosting accounts honest when they are edited through Directus's own item API or app
// forms: state fields belong to the provisioning core, a provisioned account cannot be renamed
// or moved, and deleting one that still exists on NextPanel is refused. A new account created
// through the item API is provisioned in the background, like one created with a customer.
import { defineHook } from '@directus/extensions-sdk';
import type { Accountability } from '@directus/types';
import type { Knex } from 'knex';
import { InvalidPayloadError } from '../../core/errors.ts';
import { storeSealedPassword } from '../../core/provisioning/account-store.ts';
import { provisionInBackground } from '../../core/provisioning/background.ts';
import { takeStashedPassword } from '../../core/provisioning/password-stash.ts';
import { useRuntime } from '../../core/runtime.ts';
import { isCallerProvisioning, takeCoreWriteMarker } from '../../core/scopes.ts';
import { usernameProblem } from '../../shared/username.ts';

/** Fields only the provisioning core writes. */
const MANAGED_FIELDS = [
	'status',
	'nextpanel_account_id',
	'last_error',
	'attempts',
	'provisioned_at',
	'suspended_at',
	'suspend_reason',
	'terminated_at',
	'disk_used_mb',
	'disk_limit_mb',
	'bandwidth_used_mb',
	'bandwidth_limit_mb',
	'usage_synced_at',
	'welcome_mail',
	'welcome_mail_attempts',
	'next_attempt_ms',
	'lease_owner',
	'lease_expires_ms',
	'create_attempted',
	'password_ciphertext',
];

/** Fields NextPanel cannot change after the account exists there. */
const FIXED_ONCE_PROVISIONED = ['username', 'server', 'customer'];

type Payload = Record<string, unknown>;

function refuseManaged(payload: Payload, allowStatusPending: boolean): void {
	const touched = MANAGED_FIELDS.filter(
		(field) => field in payload && !(allowStatusPending && field === 'status' && payload[field] === 'pending'),
	);
	if (touched.length) {
		throw new InvalidPayloadError({
			reason: `${touched.join(', ')}: managed by NextPanel provisioning. Use the provision, suspend, unsuspend, terminate, retry and sync actions instead of editing ${touched.length === 1 ? 'it' : 'them'}.`,
		});
	}
}

function checkUsername(payload: Payload): void {
	if (!('username' in payload)) return;
	const username = payload['username'];
	const problem = typeof username === 'string' ? usernameProblem(username) : 'must be text';
	if (problem) throw new InvalidPayloadError({ reason: `username: "${String(username)}" ${problem}` });
}

export default defineHook(({ filter, action }, context) => {
	filter('hosting_accounts.items.create', (input) => {
		const payload = input as Payload;
		if (takeCoreWriteMarker(payload)) return payload;
		refuseManaged(payload, true);
		checkUsername(payload);
		return payload;
	});

	filter('hosting_accounts.items.update', async (input, meta, ctx) => {
		const payload = input as Payload;
		if (takeCoreWriteMarker(payload)) return payload;
		refuseManaged(payload, false);
		checkUsername(payload);
		const changingFixed = FIXED_ONCE_PROVISIONED.filter((field) => field in payload);
		if (changingFixed.length) {
			const keys = ((meta as { keys?: (string | number)[] }).keys ?? []).map(String);
			const database = (ctx as { database: Knex }).database;
			const locked = await database('hosting_accounts').select('username').whereIn('id', keys).whereNotIn('status', ['pending', 'failed']);
			if (locked.length) {
				throw new InvalidPayloadError({
					reason: `${changingFixed.join(', ')}: cannot change once an account has been provisioned (${locked.map((r) => r.username).join(', ')}); terminate it and provision a new one instead.`,
				});
			}
		}
		return payload;
	});

	filter('hosting_accounts.items.delete', async (input, _meta, ctx) => {
		const keys = (input as (string | number)[]).map(String);
		const database = (ctx as { database: Knex }).database;
		const live = await database('hosting_accounts')
			.select('username', 'status')
			.whereIn('id', keys)
			.where((q) =>
				q
					.whereIn('status', ['provisioning', 'active', 'suspended'])
					.orWhere((p) => p.where({ create_attempted: true }).whereNot('status', 'terminated')),
			);
		if (live.length) {
			throw new InvalidPayloadError({
				reason: `Terminate ${live.map((r) => `"${r.username}" (${r.status})`).join(', ')} first: deleting the record would leave the account running on NextPanel.`,
			});
		}
		return input;
	});

	action('hosting_accounts.items.create', async (meta, ctx) => {
		const { key, payload } = meta as { key: string | number; payload: Payload };
		if (isCallerProvisioning(payload['username'])) return;
		const runtime = useRuntime(context);
		const id = String(key);
		const username = typeof payload['username'] === 'string' ? payload['username'] : null;
		const customer = payload['customer'] ? String(payload['customer']) : null;
		const sealed = username && customer ? await takeStashedPassword(runtime.database, username, customer) : null;
		if (sealed) await storeSealedPassword(runtime.database, id, sealed);
		const user = (ctx as { accountability?: Accountability | null }).accountability?.user ?? null;
		void provisionInBackground(runtime, id, user);
	});
});
