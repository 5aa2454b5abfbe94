// Lets the bundle import the reviewed schema reference (snapshots/schema.yaml) as data: the
// YAML is parsed at build time and inlined, so the packed bundle carries its own schema.
import { parse } from 'yaml';

export function yamlImport() {
	return {
		name: 'nextpanel-yaml-import',
		transform(code, id) {
			if (!/\.ya?ml$/.test(id)) return null;
			return { code: `export default ${JSON.stringify(parse(code))};`, map: null };
		},
	};
}
