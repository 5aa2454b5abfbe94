// `npm run cli -- <command>`: NextPanel provisioning from the command line, against any Directus
// with this bundle (a URL and a token, or a login).
import { Command, InvalidArgumentError, Option } from 'commander';
import { driftOf, importAccounts, printDrift, printImport } from './adopt.ts';
import { CliError, connect, describe, type ConnectionOptions, type Directus } from './connection.ts';
import { doctor } from './doctor.ts';
import { printLifecycle, runLifecycle, type LifecycleAction } from './lifecycle.ts';
import { printSummary, provisionFromCsv } from './provision.ts';
import { printRemoval, removal } from './uninstall.ts';

const positive = (value: string) => {
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('use a whole number from 1 to 64');
	return n;
};

const program = new Command()
	.name('nextpanel')
	.description('Provision and manage NextPanel hosting accounts through Directus')
	.addOption(new Option('--url <url>', 'Directus URL').env('DIRECTUS_URL'))
	.addOption(new Option('--token <token>', 'static or access token').env('DIRECTUS_TOKEN'))
	.addOption(new Option('--email <email>', 'log in with this e-mail').env('DIRECTUS_EMAIL'))
	.addOption(new Option('--password <password>', 'and this password').env('DIRECTUS_PASSWORD'))
	.showHelpAfterError();

async function withDirectus<T>(run: (directus: Directus) => Promise<T>): Promise<T> {
	const directus = await connect(program.opts<ConnectionOptions>());
	try {
		return await run(directus);
	} finally {
		directus.close();
	}
}

program
	.command('provision')
	.description('create customers from a CSV file and provision their hosting; rerun to resume')
	.requiredOption('--csv <file>', 'columns: full_name,email[,company,phone,username,server,package]')
	.option('--dry-run', 'show what would happen without changing anything', false)
	.option('--concurrency <n>', 'rows processed at once', positive, 4)
	.option('--report <file>', 'write a JSON report of every row')
	.option('--passwords-out <file>', 'write generated passwords to this file (mode 600); otherwise they go only by welcome mail')
	.option('--no-progress', 'no progress bar')
	.action(
		async (options: { csv: string; dryRun: boolean; concurrency: number; report?: string; passwordsOut?: string; progress: boolean }) => {
			const reports = await withDirectus((directus) => provisionFromCsv(directus, options));
			printSummary(reports);
			if (reports.some((r) => r.outcome === 'failed' || r.outcome === 'invalid')) process.exitCode = 1;
		},
	);

program
	.command('doctor')
	.description('test a NextPanel server: reachability, credentials, permission level, version')
	.requiredOption('--server <id|url>', 'a saved server id, or a base URL with --key and --secret')
	.addOption(new Option('--key <key>', 'API key when testing a URL').env('NEXTPANEL_API_KEY'))
	.addOption(new Option('--secret <secret>', 'API secret when testing a URL').env('NEXTPANEL_API_SECRET'))
	.addHelpText(
		'after',
		'\nExit codes: 0 ok, 2 unreachable, 3 timeout, 4 auth failed, 5 IP not allowed, 6 insufficient permission, 7 bad response, 1 other errors.',
	)
	.action(async (options: { server: string; key?: string; secret?: string }) => {
		process.exitCode = await withDirectus((directus) => doctor(directus, options.server, options));
	});

for (const action of ['suspend', 'unsuspend', 'sync'] as LifecycleAction[]) {
	const command = program
		.command(`${action} [accounts...]`)
		.description(`${action === 'sync' ? 'sync the usage of' : action} hosting accounts by id, or all of a customer's`)
		.option('--customer <id>', 'every eligible account of this customer')
		.option('--concurrency <n>', 'accounts at once', positive, 4);
	if (action === 'suspend') command.option('--reason <text>', 'shown in NextPanel');
	command.action(async (accounts: string[], options: { customer?: string; concurrency: number; reason?: string }) => {
		const reports = await withDirectus((directus) => runLifecycle(directus, action, { accounts, ...options }));
		printLifecycle(reports);
		if (reports.some((r) => !r.ok)) process.exitCode = 1;
	});
}

program
	.command('import')
	.description('adopt the accounts a NextPanel server already has (never writes to NextPanel)')
	.requiredOption('--server <id>', 'the saved server to import from')
	.option('--dry-run', 'show what would be imported without writing anything', false)
	.option('--create-customers', 'create a customer for an account no customer matches (by billing id or e-mail)', false)
	.option('--report <file>', 'write a JSON report of every account')
	.option('--no-progress', 'no progress bar')
	.action(async (options: { server: string; dryRun: boolean; createCustomers: boolean; report?: string; progress: boolean }) => {
		const result = await withDirectus((directus) => importAccounts(directus, options));
		printImport(result, options.dryRun);
	});

program
	.command('drift')
	.description('list where Directus and a NextPanel server disagree; exit code 0 in step, 1 with drift')
	.requiredOption('--server <id>', 'the saved server to compare')
	.action(async (options: { server: string }) => {
		const rows = await withDirectus((directus) => driftOf(directus, options.server));
		printDrift(rows);
		if (rows.length) process.exitCode = 1;
	});

program
	.command('reveal-password <account>')
	.description('show the generated password of a hosting account, once (it is wiped as it is shown)')
	.action(async (account: string) => {
		const { data } = await withDirectus((directus) =>
			directus.nextpanel<{ data: { password: string } }>('POST', `/accounts/${encodeURIComponent(account)}/reveal-password`, {}),
		);
		// Only the password on stdout, so it can be piped; nothing of it is logged anywhere.
		process.stdout.write(`${data.password}\n`);
		console.error('This was the only time: the password is gone from Directus now.');
	});

program
	.command('uninstall')
	.description('remove what the plugin created in this project (its install log says what); never writes to NextPanel')
	.option('--dry-run', 'show what would be removed without changing anything', false)
	.option('--delete-data', "also drop the plugin's collections when they hold rows (hosting accounts, servers, call logs)", false)
	.action(async (options: { dryRun: boolean; deleteData: boolean }) => {
		printRemoval(await withDirectus((directus) => removal(directus, 'uninstall', options)));
	});

program
	.command('repair')
	.description('undo what an earlier version put on a Directus system collection (such as directus_users), and keep the plugin')
	.option('--dry-run', 'show what would be repaired without changing anything', false)
	.action(async (options: { dryRun: boolean }) => {
		printRemoval(await withDirectus((directus) => removal(directus, 'repair', options)));
	});

try {
	await program.parseAsync(process.argv);
} catch (error) {
	console.error(`nextpanel: ${describe(error)}`);
	process.exitCode = error instanceof CliError ? error.exitCode : 1;
}
