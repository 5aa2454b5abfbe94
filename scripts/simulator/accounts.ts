// The simulated server's accounts: integer ids from a counter that never goes back (not even on
// reset or delete, so a stale id can never point at someone else's account), usernames unique
// among live accounts, and optional persistence to a JSON file written atomically.
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { CreateAccountInput } from './validation.ts';

export const usageFiguresSchema = z.object({
	disk_used_mb: z.number().nonnegative(),
	disk_limit_mb: z.number().nonnegative(),
	bandwidth_used_mb: z.number().nonnegative(),
	bandwidth_limit_mb: z.number().nonnegative(),
	inodes_used: z.number().int().nonnegative(),
});
export type UsageFigures = z.infer<typeof usageFiguresSchema>;

export const usageOverrideSchema = usageFiguresSchema.partial();
export type UsageOverride = z.infer<typeof usageOverrideSchema>;

export const accountStatusSchema = z.enum(['active', 'suspended']);

/** An account as stored (and persisted): the public fields plus what only the server knows. */
export const storedAccountSchema = z.object({
	id: z.number().int().positive(),
	username: z.string(),
	email: z.string(),
	full_name: z.string().nullable(),
	phone: z.string().nullable(),
	company: z.string().nullable(),
	status: accountStatusSchema,
	billing_id: z.string().nullable(),
	package_id: z.number().int().nullable(),
	is_admin: z.boolean(),
	metadata: z.record(z.string(), z.unknown()),
	created_at: z.string(),
	/** Never the password itself: a salted hash, as a real panel keeps it; null for bulk-seeded accounts, which have none. */
	password_hash: z.string().nullable(),
	suspend_reason: z.string().nullable().default(null),
	deleted: z.boolean().default(false),
	deleted_at: z.string().nullable().default(null),
	usage_override: usageOverrideSchema.nullable().default(null),
});
export type StoredAccount = z.infer<typeof storedAccountSchema>;

export const stateFileSchema = z.object({
	nextId: z.number().int().positive(),
	accounts: z.array(storedAccountSchema),
});
export type StateFile = z.infer<typeof stateFileSchema>;

export type AccountStatus = z.infer<typeof accountStatusSchema>;

/** What a create stores as given; the store fills in the rest. */
export type NewAccountFields = Omit<
	StoredAccount,
	'id' | 'status' | 'created_at' | 'suspend_reason' | 'deleted' | 'deleted_at' | 'usage_override'
>;

/** What the control API may seed differently from the billing API's create. */
export interface SeedFields {
	/** Exactly this id, which must be unused; the counter then stays above it. */
	id?: number;
	status?: AccountStatus;
	/** An ISO timestamp; default: now. */
	created_at?: string;
}

/** What an admin may change on an account outside the billing API. */
export type AccountChanges = Partial<
	Pick<StoredAccount, 'status' | 'username' | 'email' | 'billing_id' | 'package_id' | 'full_name' | 'suspend_reason'>
>;

/** What the billing API shows of an account, in NextPanel's field order. */
export interface PublicAccount {
	id: number;
	username: string;
	email: string;
	full_name: string | null;
	phone: string | null;
	company: string | null;
	status: 'active' | 'suspended';
	billing_id: string | null;
	package_id: number | null;
	is_admin: boolean;
	metadata: Record<string, unknown>;
	created_at: string;
}

export function publicAccount(account: StoredAccount): PublicAccount {
	const { id, username, email, full_name, phone, company, status, billing_id, package_id, is_admin, metadata, created_at } = account;
	return { id, username, email, full_name, phone, company, status, billing_id, package_id, is_admin, metadata, created_at };
}

// A cheap scrypt: this only has to keep plaintext out of the state file, not resist cracking.
const SCRYPT = { N: 1024, r: 8, p: 1 };

export function hashPassword(password: string): string {
	const salt = randomBytes(16);
	return `scrypt$${salt.toString('hex')}$${scryptSync(password, salt, 32, SCRYPT).toString('hex')}`;
}

export function verifyPassword(password: string, stored: string | null): boolean {
	if (stored === null) return false;
	const [scheme, salt, hash] = stored.split('$');
	let expected: Buffer;
	let actual: Buffer;
	if (scheme === 'scrypt' && salt && hash) {
		expected = Buffer.from(hash, 'hex');
		actual = scryptSync(password, Buffer.from(salt, 'hex'), expected.length, SCRYPT);
	} else {
		// State files written by the first simulator version: "salt:sha256(salt + password)".
		const [legacySalt = '', legacyHash = ''] = stored.split(':');
		expected = Buffer.from(legacyHash, 'hex');
		actual = createHash('sha256')
			.update(legacySalt + password)
			.digest();
	}
	return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export class AccountStore {
	#accounts = new Map<number, StoredAccount>();
	/** Live accounts by username: every create checks it, so it must not cost a scan. */
	#byUsername = new Map<string, StoredAccount>();
	#nextId = 1;
	readonly #stateFile: string | undefined;
	readonly #clock: () => number;

	constructor(options: { stateFile?: string | undefined; clock?: () => number } = {}) {
		this.#stateFile = options.stateFile;
		this.#clock = options.clock ?? Date.now;
		if (this.#stateFile && existsSync(this.#stateFile)) this.#load(this.#stateFile);
	}

	/** Accounts the API can see (not deleted), oldest first. */
	live(): StoredAccount[] {
		return this.all().filter((account) => !account.deleted);
	}

	/** Every account ever created, deleted ones included. */
	all(): StoredAccount[] {
		return [...this.#accounts.values()];
	}

	/** A live account by id. */
	get(id: number): StoredAccount | undefined {
		const account = this.#accounts.get(id);
		return account && !account.deleted ? account : undefined;
	}

	/** Any account by id, deleted or not. */
	find(id: number): StoredAccount | undefined {
		return this.#accounts.get(id);
	}

	/** The live account with this username, if any. */
	byUsername(username: string): StoredAccount | undefined {
		return this.#byUsername.get(username);
	}

	usernameTaken(username: string): boolean {
		return this.byUsername(username) !== undefined;
	}

	/** The next id create() will hand out. */
	get nextId(): number {
		return this.#nextId;
	}

	create(input: CreateAccountInput, seed: SeedFields = {}): StoredAccount {
		const { password, ...fields } = input;
		const account = this.#insert({ ...fields, password_hash: hashPassword(password) }, seed);
		this.save();
		return account;
	}

	/** Many accounts at once, with one state-file write; ids from the counter unless a seed names one. */
	createMany(accounts: { fields: NewAccountFields; seed: SeedFields }[]): StoredAccount[] {
		const created = accounts.map(({ fields, seed }) => this.#insert(fields, seed));
		this.save();
		return created;
	}

	#insert(fields: NewAccountFields, seed: SeedFields): StoredAccount {
		const id = seed.id ?? this.#nextId;
		// The control API checks first; this guards the invariant that an id names one account.
		if (this.#accounts.has(id)) throw new Error(`Account id ${id} is already used`);
		const account: StoredAccount = {
			id,
			...fields,
			status: seed.status ?? 'active',
			created_at: seed.created_at ?? new Date(this.#clock()).toISOString(),
			suspend_reason: null,
			deleted: false,
			deleted_at: null,
			usage_override: null,
		};
		this.#accounts.set(id, account);
		this.#index(account);
		this.#nextId = Math.max(this.#nextId, id + 1);
		return account;
	}

	suspend(account: StoredAccount, reason: string | null): StoredAccount {
		return this.#change(account, { status: 'suspended', suspend_reason: reason });
	}

	unsuspend(account: StoredAccount): StoredAccount {
		return this.#change(account, { status: 'active', suspend_reason: null });
	}

	/** Deleted accounts stay on record (for the control API) but leave the billing API. */
	delete(account: StoredAccount): StoredAccount {
		return this.#change(account, { deleted: true, deleted_at: new Date(this.#clock()).toISOString() });
	}

	/** An edit made in NextPanel's own admin UI; the caller has made sure a new username is free. */
	update(account: StoredAccount, changes: AccountChanges): StoredAccount {
		return this.#change(account, changes);
	}

	changePassword(account: StoredAccount, password: string): StoredAccount {
		return this.#change(account, { password_hash: hashPassword(password) });
	}

	/** Pins some usage figures (merged with earlier ones); null clears them all. */
	setUsage(account: StoredAccount, usage: UsageOverride | null): StoredAccount {
		return this.#change(account, { usage_override: usage === null ? null : { ...account.usage_override, ...usage } });
	}

	/** Forgets every account; the id counter keeps counting. */
	clear(): void {
		this.#accounts.clear();
		this.#byUsername.clear();
		this.save();
	}

	#change(account: StoredAccount, changes: Partial<StoredAccount>): StoredAccount {
		this.#unindex(account);
		Object.assign(account, changes);
		this.#index(account);
		this.save();
		return account;
	}

	#index(account: StoredAccount): void {
		if (!account.deleted) this.#byUsername.set(account.username, account);
	}

	#unindex(account: StoredAccount): void {
		if (this.#byUsername.get(account.username) === account) this.#byUsername.delete(account.username);
	}

	#load(file: string): void {
		let state: StateFile;
		try {
			state = stateFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
		} catch (error) {
			// Refuse to start rather than overwrite a file we do not understand.
			const reason = error instanceof z.ZodError ? z.prettifyError(error) : error instanceof Error ? error.message : String(error);
			throw new Error(`The simulator state file ${file} cannot be read: ${reason}`, { cause: error });
		}
		for (const account of state.accounts) {
			this.#accounts.set(account.id, account);
			this.#index(account);
		}
		const highest = Math.max(0, ...state.accounts.map((account) => account.id));
		this.#nextId = Math.max(state.nextId, highest + 1);
	}

	/** Writes the state file atomically: a reader sees the old file or the new one, never half. */
	save(): void {
		if (!this.#stateFile) return;
		const state: StateFile = { nextId: this.#nextId, accounts: this.all() };
		mkdirSync(dirname(this.#stateFile), { recursive: true });
		const temporary = `${this.#stateFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
		writeFileSync(temporary, `${JSON.stringify(state, null, '\t')}\n`, { mode: 0o600 });
		renameSync(temporary, this.#stateFile);
	}
}
