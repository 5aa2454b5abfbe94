// The simulated server's accounts: integer ids that are never reused, usernames unique among
// live accounts, and optional persistence to a JSON file (written atomically).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface Account {
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
	suspend_reason: string | null;
	/** Never the password itself: a salted hash, as a real panel would keep. */
	password_hash: string;
	deleted: boolean;
	usage_override: Partial<Usage> | null;
}

export interface Usage {
	disk_used_mb: number;
	disk_limit_mb: number;
	bandwidth_used_mb: number;
	bandwidth_limit_mb: number;
	inodes_used: number;
}

export type PublicAccount = Omit<Account, 'password_hash' | 'deleted' | 'usage_override' | 'suspend_reason'>;

export function hashPassword(password: string): string {
	const salt = randomBytes(8).toString('hex');
	return `${salt}:${createHash('sha256').update(salt + password).digest('hex')}`;
}

export function publicView(account: Account): PublicAccount {
	const { password_hash: _hash, deleted: _deleted, usage_override: _usage, suspend_reason: _reason, ...rest } = account;
	return rest;
}

interface Snapshot {
	nextId: number;
	accounts: Account[];
}

export class AccountStore {
	#accounts = new Map<number, Account>();
	#nextId = 1;
	readonly #file: string | undefined;

	constructor(file?: string) {
		this.#file = file;
		if (file && existsSync(file)) {
			const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
			this.#nextId = snapshot.nextId;
			for (const account of snapshot.accounts) this.#accounts.set(account.id, account);
		}
	}

	live(): Account[] {
		return [...this.#accounts.values()].filter((a) => !a.deleted);
	}

	all(): Account[] {
		return [...this.#accounts.values()];
	}

	get(id: number): Account | undefined {
		const account = this.#accounts.get(id);
		return account && !account.deleted ? account : undefined;
	}

	usernameTaken(username: string): boolean {
		return this.live().some((a) => a.username === username);
	}

	create(fields: Omit<Account, 'id' | 'created_at' | 'deleted' | 'usage_override' | 'status' | 'suspend_reason'>): Account {
		const account: Account = { ...fields, id: this.#nextId++, status: 'active', suspend_reason: null, created_at: new Date().toISOString(), deleted: false, usage_override: null };
		this.#accounts.set(account.id, account);
		this.save();
		return account;
	}

	update(account: Account, changes: Partial<Account>): Account {
		Object.assign(account, changes);
		this.save();
		return account;
	}

	clear(): void {
		this.#accounts.clear();
		this.#nextId = 1;
		this.save();
	}

	save(): void {
		if (!this.#file) return;
		const snapshot: Snapshot = { nextId: this.#nextId, accounts: this.all() };
		const temporary = `${this.#file}.${process.pid}.tmp`;
		writeFileSync(temporary, JSON.stringify(snapshot));
		renameSync(temporary, this.#file);
	}
}
