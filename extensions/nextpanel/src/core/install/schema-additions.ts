// Directus's schema diff lists what to create, change and delete to make a database match a
// snapshot. The plugin only ever creates: this reduces a diff to the whole new items in it.

export interface DiffEntry {
	collection: string;
	field?: string;
	diff: { kind: string; path?: unknown[] }[];
}

export interface SchemaDiff {
	collections: DiffEntry[];
	fields: DiffEntry[];
	relations: DiffEntry[];
	systemFields?: DiffEntry[];
}

/** Keeps only whole new items: nothing that exists is changed or removed. */
export function additionsOnly(diff: SchemaDiff | null): SchemaDiff {
	const isNew = (entry: DiffEntry) => entry.diff.length === 1 && entry.diff[0]!.kind === 'N' && entry.diff[0]!.path === undefined;
	return {
		collections: (diff?.collections ?? []).filter(isNew),
		fields: (diff?.fields ?? []).filter(isNew),
		relations: (diff?.relations ?? []).filter(isNew),
		systemFields: [],
	};
}
