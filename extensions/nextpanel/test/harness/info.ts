// What the harness hands to every test file (vitest provide/inject).
export interface SimulatorInfo {
	apiUrl: string;
	controlUrl: string;
}

export interface HarnessInfo {
	url: string;
	adminEmail: string;
	adminPassword: string;
	adminToken: string;
	operatorToken: string;
	viewerToken: string;
	simulators: { a: SimulatorInfo; b: SimulatorInfo; c: SimulatorInfo };
	mailbox: string;
	logFile: string;
	database: string;
	/** DB_* variables of the run's database, for tests that must set up states Directus would refuse. */
	databaseEnv: Record<string, string>;
	encryptionKey: string;
}

declare module 'vitest' {
	export interface ProvidedContext {
		harness: HarnessInfo;
	}
}
