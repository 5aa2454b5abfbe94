// Every text of the package picker in one place, ready for translation. The texts it shares with
// the provision drawer (the default entry, the number input's notes) are in ../shared/servers.ts.

/** "EU-1", "EU-1 and EU-2", "EU-1, EU-2 and EU-3" */
const names = (list: string[]) => (list.length < 2 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`);

export const strings = {
	/** "Automatic" with packages every server it could pick offers. */
	sharedHint: 'The server is chosen on save: these are the packages every server that can take the account offers.',
	/** "Automatic", the servers that could take the account list packages but none in common. */
	nothingShared:
		'The servers that can take the account have no package in common: choose a server to pick one of its packages, or leave this empty for its default.',
	/** An entry of the list: the package's other names on other servers, where they differ. */
	alsoCalled: (others: string[]) => ` \u2013 also \u201c${others.join('\u201d, \u201c')}\u201d`,
	/** The saved value, kept in the list so that it shows, when it is not one of the shared packages. */
	notShared: (id: number) => `Package ${id} (not offered by every server)`,
	/** The value narrows "Automatic" to the servers that offer it. */
	onlySome: (id: number, servers: string[]) =>
		`Package ${id} is not offered by every server that can take the account: it is provisioned on ${names(servers)}${servers.length > 1 ? ', whichever has the most free slots' : ''}.`,
	/** The value no server that can take the account offers: the save is refused. */
	offeredByNone: (id: number) =>
		`No server that can take the account now offers package ${id}: saving will be refused. Choose one of the listed packages, or choose a server.`,
	/** A chosen server that does not list the value. */
	notOffered: (problem: string) => `${problem.charAt(0).toUpperCase()}${problem.slice(1)}: saving will be refused.`,
} as const;
