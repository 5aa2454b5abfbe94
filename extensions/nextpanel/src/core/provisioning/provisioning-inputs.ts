// Checks what a person asked to provision before anything is written or sent: the server, the
// username and the password. Used by the endpoint, the operation and the customer hooks, so
// every entry point refuses the same input with the same words.
import type { Knex } from 'knex';
import { InvalidPayloadError } from '../errors.ts';
import { generatePassword, passwordProblems, DEFAULT_PASSWORD_POLICY } from '../../shared/password.ts';
import { deriveUsername, usernameCandidate, usernameProblem } from '../../shared/username.ts';
import { mostFreeActive, serverUsage } from '../capacity.ts';
import type { Runtime } from '../runtime.ts';

export interface ProvisioningInputs {
	server?: string | null;
	username?: string | null;
	password?: string | null;
	package?: number | null;
}

export interface CheckedInputs {
	server: string | null;
	username: string;
	password: string;
	passwordGenerated: boolean;
	package: number | null;
}

/** `field` names the inputs as the caller knows them (`hosting_server` on customers, `server` on the endpoint). */
export interface FieldNames {
	server: string;
	username: string;
	password: string;
}

export const ENDPOINT_FIELDS: FieldNames = { server: 'server', username: 'username', password: 'password' };
export const CUSTOMER_FIELDS: FieldNames = { server: 'hosting_server', username: 'hosting_username', password: 'hosting_password' };

const invalid = (reason: string) => new InvalidPayloadError({ reason });

export async function checkServerChoice(knex: Knex, serverId: string | null | undefined, fields: FieldNames): Promise<void> {
	if (serverId) {
		const [usage] = await serverUsage(knex, { ids: [serverId] });
		if (!usage) throw invalid(`${fields.server}: there is no NextPanel server with id "${serverId}"`);
		if (usage.status !== 'active')
			throw invalid(`${fields.server}: NextPanel server "${usage.name}" is disabled; choose another server or leave it empty`);
		if (usage.free <= 0)
			throw invalid(
				`${fields.server}: NextPanel server "${usage.name}" is full (${usage.used} of ${usage.capacity} accounts); choose another server or leave it empty`,
			);
		return;
	}
	const usage = await serverUsage(knex);
	if (!usage.some((s) => s.status === 'active'))
		throw invalid('There is no active NextPanel server to provision on: add a server or enable one first');
	if (!mostFreeActive(usage)) throw invalid("Every active NextPanel server is full: raise a server's capacity or add a server first");
}

async function usernameTaken(knex: Knex, username: string): Promise<boolean> {
	return Boolean(await knex('hosting_accounts').select('id').where({ username }).first());
}

/** The first free variant of the customer's derived username: johndoe, johndoe2, johndoe3... */
export async function uniqueUsername(knex: Knex, customer: { full_name?: string | null; email?: string | null }): Promise<string> {
	const base = deriveUsername(customer);
	const rows: { username: string }[] = await knex('hosting_accounts')
		.select('username')
		.where('username', 'like', `${base.replace(/[_%\\]/g, '\\$&')}%`);
	const taken = new Set(rows.map((r) => r.username));
	for (let attempt = 1; ; attempt++) {
		const candidate = usernameCandidate(base, attempt);
		if (!taken.has(candidate)) return candidate;
	}
}

export async function checkInputs(
	runtime: Runtime,
	knex: Knex,
	input: ProvisioningInputs,
	customer: { full_name?: string | null; email?: string | null },
	fields: FieldNames,
): Promise<CheckedInputs> {
	await checkServerChoice(knex, input.server, fields);

	let username: string;
	if (input.username) {
		const problem = usernameProblem(input.username);
		if (problem) throw invalid(`${fields.username}: "${input.username}" ${problem}`);
		if (await usernameTaken(knex, input.username))
			throw invalid(`${fields.username}: "${input.username}" is already used by another hosting account; choose another or leave it empty`);
		username = input.username;
	} else {
		username = await uniqueUsername(knex, customer);
	}

	let password: string;
	let passwordGenerated = false;
	if (input.password) {
		const problems = passwordProblems(input.password, {
			...DEFAULT_PASSWORD_POLICY,
			minLength: runtime.config.NEXTPANEL_PASSWORD_MIN_LENGTH,
		});
		if (problems.length)
			throw invalid(`${fields.password}: the password is too weak: ${problems.join('; ')}. Leave it empty to generate a strong one`);
		password = input.password;
	} else {
		password = generatePassword();
		passwordGenerated = true;
	}

	return { server: input.server ?? null, username, password, passwordGenerated, package: input.package ?? null };
}
