// What a person asked to provision, checked against the database before anything is written or
// sent: the server (and its package list), the username and the password. Every entry point
// (REST, a Flow, the item API, a customer save) goes through `checkAccountInputs`, so the same
// input is refused with the same words, naming the fields as the caller knows them.
import type { Knex } from 'knex';
import { generatePassword, passwordProblems, DEFAULT_PASSWORD_POLICY } from '../../shared/password.ts';
import { deriveUsername, usernameCandidate, usernameProblem } from '../../shared/username.ts';
import type { AccountInputs } from '../../shared/api-schemas.ts';
import { InvalidPayloadError, StateConflictError } from '../errors.ts';
import { chooseServer, type ServerChoiceProblem } from './server-choice.ts';
import type { CustomerIdentity } from './customers.ts';

/** How the caller names the inputs: `server` on REST and hosting accounts, `hosting_server` on customers. */
export interface FieldNames {
	server: string;
	username: string;
	password: string;
	package: string;
}

export const ACCOUNT_FIELD_NAMES: FieldNames = { server: 'server', username: 'username', password: 'password', package: 'package' };
export const CUSTOMER_FIELD_NAMES: FieldNames = {
	server: 'hosting_server',
	username: 'hosting_username',
	password: 'hosting_password',
	package: 'hosting_package',
};

export interface CheckedInputs {
	server: string | null;
	username: string;
	password: string;
	passwordGenerated: boolean;
	package: number | null;
}

const invalid = (reason: string) => new InvalidPayloadError({ reason });

/** A server choice that cannot be met, as the error the caller gets: bad input is a 400, full servers a 409. */
export function serverChoiceError({
	problem,
	fields,
	chosen,
}: {
	problem: ServerChoiceProblem;
	fields: FieldNames;
	/** The caller named the server (rather than leaving the choice to NextPanel provisioning). */
	chosen: boolean;
}): Error {
	const field = problem.kind === 'package' ? fields.package : fields.server;
	if (problem.kind === 'full' || problem.kind === 'none')
		return new StateConflictError({ reason: chosen ? `${field}: ${problem.message}` : problem.message });
	return new InvalidPayloadError({ reason: `${field}: ${problem.message}` });
}

/** Refuses a server (or, with none chosen, every server) that cannot take the account now. */
async function checkServerChoice(knex: Knex, inputs: Pick<AccountInputs, 'server' | 'package'>, fields: FieldNames): Promise<void> {
	const choice = await chooseServer(knex, { server: inputs.server, package: inputs.package }, { lock: false });
	if ('problem' in choice) throw serverChoiceError({ problem: choice.problem, fields, chosen: inputs.server !== null });
}

async function usernameTaken(knex: Knex, username: string): Promise<boolean> {
	return Boolean(await knex('hosting_accounts').select('id').where({ username }).first());
}

/**
 * The first free variant of the customer's derived username: johndoe, johndoe2, johndoe3...
 * Candidates are looked up by exact name, a batch at a time, so the lookup uses the unique index
 * on username in every database (a LIKE prefix search scans the whole table in SQLite, and in
 * PostgreSQL under most collations).
 */
export async function uniqueUsername(knex: Knex, customer: Pick<CustomerIdentity, 'name' | 'email'>): Promise<string> {
	const base = deriveUsername({ full_name: customer.name, email: customer.email });
	for (let first = 1; ; first += USERNAME_BATCH) {
		const candidates = Array.from({ length: USERNAME_BATCH }, (_, i) => usernameCandidate(base, first + i));
		const rows: { username: string }[] = await knex('hosting_accounts').select('username').whereIn('username', candidates);
		const taken = new Set(rows.map((r) => r.username));
		const free = candidates.find((candidate) => !taken.has(candidate));
		if (free) return free;
	}
}

const USERNAME_BATCH = 20;

export function checkUsernameSyntax(username: string, fields: FieldNames): void {
	const problem = usernameProblem(username);
	if (problem) throw invalid(`${fields.username}: "${username}" ${problem}`);
}

export function checkPasswordStrength(password: string, minLength: number, fields: FieldNames): void {
	const problems = passwordProblems(password, { ...DEFAULT_PASSWORD_POLICY, minLength });
	if (problems.length) {
		throw invalid(`${fields.password}: the password is too weak: ${problems.join('; ')}. Leave it empty to generate a strong one`);
	}
}

/**
 * Checks the inputs and completes them: a username derived from the customer when none is
 * given, a generated password when none is given. The only place a password is generated.
 */
export async function checkAccountInputs(
	knex: Knex,
	inputs: AccountInputs,
	customer: Pick<CustomerIdentity, 'name' | 'email'>,
	options: { fields: FieldNames; passwordMinLength: number; serverChosenLater?: boolean },
): Promise<CheckedInputs> {
	const { fields } = options;
	if (inputs.username) checkUsernameSyntax(inputs.username, fields);
	if (inputs.password) checkPasswordStrength(inputs.password, options.passwordMinLength, fields);
	// A caller that reserves the server in the same transaction as the create asks the same rule there.
	if (!options.serverChosenLater) await checkServerChoice(knex, inputs, fields);
	let username: string;
	if (inputs.username) {
		if (await usernameTaken(knex, inputs.username)) {
			throw new StateConflictError({
				reason: `${fields.username}: "${inputs.username}" is already used by another hosting account; choose another or leave it empty`,
			});
		}
		username = inputs.username;
	} else {
		username = await uniqueUsername(knex, customer);
	}
	return {
		server: inputs.server,
		username,
		password: inputs.password ?? generatePassword(),
		passwordGenerated: !inputs.password,
		package: inputs.package,
	};
}
