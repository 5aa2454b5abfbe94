// The layering rules of eslint.config.js, tried on snippets: shared/ imports nothing from the
// folders above it, and the bundle's app code imports no server code. Each case names a file the
// snippet pretends to be; the files need not exist.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { projectRoot } from './lib/paths.ts';

const RULE = '@typescript-eslint/no-restricted-imports';
const eslint = new ESLint({ cwd: projectRoot });
const src = (path: string) => join(projectRoot, 'extensions', 'nextpanel', 'src', path);

async function lint(path: string, code: string) {
	const [result] = await eslint.lintText(code, { filePath: src(path) });
	return result!.messages;
}

const importing = (from: string) => `import { thing } from '${from}';\nexport const other = thing;\n`;
const vue = (from: string) =>
	`<template><div>{{ thing }}</div></template>\n<script setup lang="ts">\nimport { thing } from '${from}';\n</script>\n`;

describe('shared/ is the bottom layer', () => {
	test.each([
		['shared/example.ts', '../core/x.ts'],
		['shared/example.ts', '../hooks/install/index.ts'],
		['shared/example.ts', '../endpoint/index.ts'],
		['shared/example.ts', '../operations/provision/api.ts'],
		['shared/example.ts', '../interfaces/shared/format.ts'],
		['shared/example.ts', '../module/strings.ts'],
		['shared/example.ts', '../displays/hosting-state/index.ts'],
		['shared/wire/example.ts', '../../core/lib/drift.ts'],
	])('%s may not import %s', async (path, from) => {
		const messages = await lint(path, importing(from));
		expect(messages.map((m) => [m.ruleId, m.severity])).toEqual([[RULE, 2]]);
		expect(messages[0]!.message).toMatch(/shared\/ is the bottom layer/);
	});

	test('a type-only import from above is refused too', async () => {
		const messages = await lint('shared/example.ts', "import type { Thing } from '../core/x.ts';\nexport type Other = Thing;\n");
		expect(messages.map((m) => m.ruleId)).toEqual([RULE]);
	});

	test.each([
		['shared/example.ts', './username.ts'],
		['shared/example.ts', './wire/drift.ts'],
		['shared/wire/example.ts', '../account-states.ts'],
		['shared/example.ts', 'zod'],
	])('%s may import %s', async (path, from) => {
		expect(await lint(path, importing(from))).toEqual([]);
	});
});

describe('app code imports no server code', () => {
	test.each([
		['interfaces/provisioning/example.ts', '../../core/errors.ts'],
		['interfaces/provisioning/example.ts', '../../hooks/schedules/index.ts'],
		['module/example.ts', '../endpoint/index.ts'],
		['module/example.ts', '../operations/provision/api.ts'],
		['displays/hosting-state/example.ts', '../../operations/shared-api.ts'],
		['operations/provision/app.ts', './api.ts'],
		['operations/provision/app.ts', '../../core/config.ts'],
		['operations/provision/app.ts', '../lifecycle-operation.ts'],
		['operations/shared-app.ts', './suspend/api.ts'],
		['operations/shared-app.ts', '../core/errors.ts'],
	])('%s may not import %s', async (path, from) => {
		expect((await lint(path, importing(from))).map((m) => m.ruleId)).toEqual([RULE]);
	});

	test('a Vue component may not import server code either', async () => {
		expect((await lint('interfaces/provisioning/example.vue', vue('../../core/errors.ts'))).map((m) => m.ruleId)).toEqual([RULE]);
	});

	test.each([
		['interfaces/provisioning/example.ts', '../../shared/api-types.ts'],
		['interfaces/provisioning/example.ts', '../shared/format.ts'],
		['module/example.ts', './strings.ts'],
		['operations/provision/app.ts', '../shared-app.ts'],
		['operations/provision/app.ts', '../../shared/account-states.ts'],
	])('%s may import %s', async (path, from) => {
		expect(await lint(path, importing(from))).toEqual([]);
	});

	test('a Vue component may import from shared/', async () => {
		expect(await lint('module/example.vue', vue('../shared/api-types.ts'))).toEqual([]);
	});

	test('server code is not bound by these rules', async () => {
		expect(await lint('core/example.ts', importing('../hooks/install/index.ts'))).toEqual([]);
		expect(await lint('operations/provision/api.ts', importing('../../core/errors.ts'))).toEqual([]);
	});
});
