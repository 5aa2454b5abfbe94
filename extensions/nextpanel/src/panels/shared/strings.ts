// Every text of the Insights panels in one place, ready for translation.
import { ACCOUNT_STATUS_LABELS } from '../../shared/account-status-labels.ts';
import { CONNECTION_STATUS_LABELS, knownConnectionStatus } from '../../interfaces/connection-test/strings.ts';

export const strings = {
	forbidden: 'You may not read these figures. An administrator can give your role read access to hosting accounts and NextPanel servers.',
	failed: (reason: string) => `The figures could not be loaded: ${reason}`,
	retry: 'Try again',
	loading: 'Loading the figures',
	unexpectedAnswer: (detail: string) =>
		`the server's answer was not understood (${detail}). Are the bundle and the server the same version?`,
	options: {
		server: 'Server',
		serverNote: 'One server, or all of them. A global variable works too: {{ server }}.',
		allServers: 'All servers',
		range: 'Last days',
		rangeNote: 'How many days back from today, when From and To are empty.',
		from: 'From',
		to: 'To',
		dateNote: 'YYYY-MM-DD, or a global variable such as {{ from }}.',
		interval: 'Interval',
		day: 'Day',
		week: 'Week',
		limit: 'Accounts shown',
		metric: 'Compare',
		metricAny: 'Disk or bandwidth, whichever is nearer its limit',
		metricDisk: 'Disk',
		metricBandwidth: 'Bandwidth',
		errors: 'Last errors shown',
	},
	panels: {
		capacity: { name: 'NextPanel server capacity', description: 'Accounts against capacity per server, with health and last check' },
		provisioning: {
			name: 'NextPanel provisioning over time',
			description: 'Created, failed, retried and terminated accounts per day or week',
		},
		accounts: { name: 'NextPanel accounts by status', description: 'Hosting accounts per status, overdue and due within 7 days' },
		usage: { name: 'NextPanel usage near limits', description: 'The accounts nearest their disk or bandwidth limit' },
		calls: { name: 'NextPanel failures and calls', description: 'Failed calls per server and the last errors' },
	},
	capacity: {
		none: 'No NextPanel server yet.',
		figures: (used: number, capacity: number, free: number) => `${used} of ${capacity} · ${free} free`,
		noneMatching: 'No NextPanel server has the id in this panel’s Server option.',
		bar: (name: string, percent: number) => `${name}: ${percent}% of capacity used`,
		disabled: 'Disabled',
		full: 'Full',
		lastCheck: (when: string) => `checked ${when}`,
		never: 'never tested',
		check: (health: string, when: string) => `${health} · ${when}`,
		health: (status: string | null) => {
			if (!status) return 'Not tested';
			const known = knownConnectionStatus(status);
			return known ? CONNECTION_STATUS_LABELS[known] : status;
		},
	},
	accounts: {
		status: ACCOUNT_STATUS_LABELS,
		total: 'Accounts',
		overdue: 'Overdue',
		dueSoon: 'Due in 7 days',
		terms: 'Service terms',
		open: (label: string) => `${label}: open these hosting accounts`,
		openAll: 'Open all hosting accounts',
		bookmark: 'Hosting accounts (from Insights)',
		openFailed: (reason: string) => `The filtered list could not be prepared, so all hosting accounts are shown: ${reason}`,
		share: (label: string, count: number, percent: number) => `${label}: ${count} (${percent}%)`,
	},
	provisioning: {
		series: { created: 'Created', failed: 'Failed', retried: 'Retried', terminated: 'Terminated' },
		empty: 'Nothing was provisioned, failed or terminated in this range.',
		table: 'Figures as a table',
		date: 'Period',
		total: 'Total',
		bucket: (label: string, parts: string) => `${label}: ${parts}`,
		part: (series: string, count: number) => `${series} ${count}`,
		weekOf: (day: string) => `Week of ${day}`,
		chart: (from: string, to: string) => `Provisioning from ${from} to ${to}`,
	},
	usage: {
		empty: 'No account has usage figures yet: they come with the usage job or "Sync usage".',
		account: 'Account',
		disk: 'Disk',
		bandwidth: 'Bandwidth',
		share: (percent: number) => `${percent}%`,
		of: (used: string, limit: string) => `${used} of ${limit}`,
		unlimited: 'no limit',
	},
	calls: {
		perServer: 'Calls per server',
		failedOf: (failed: number, calls: number) => `${failed} failed of ${calls}`,
		noCalls: 'No calls to NextPanel in this range.',
		lastErrors: 'Last errors',
		noErrors: 'No failed calls in this range.',
		openLog: 'Open the call log',
		noServer: 'No server',
		account: 'Account',
	},
} as const;
